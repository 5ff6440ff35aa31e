"""`hasselthelpt import FILE.csv`: vacancies from the city's current vacancy bank, as vacancy files.

A mapping file (default: deploy/vacancy-import-mapping.yaml) says which CSV column is which vacancy field, and
which of the bank's words stand for which of the schema's values. Each row is checked by the schema
(hasselthelpt/content/schema.py: lengths, characters, choices) and by the rules `check` applies across fields
(content.loading.cross_check: the organisation exists, the place fits the location, insured, the dates); a row that
passes becomes vacancies/<slug>.yaml, written as `hasselthelpt new` and the review queue write files. Every
other row is reported with its number, the column and the reason. An existing file is never overwritten: that
row is reported too.

Row numbers are those a spreadsheet shows: the header is row 1, the first vacancy row 2.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .content import characters
from .content.schema import CONTENT_TYPES, DATETIME_FORMAT, Field, check_mapping

VACANCY = CONTENT_TYPES["vacancy"]
DEFAULT_MAPPING = "deploy/vacancy-import-mapping.yaml"  # in the project folder
MAX_FILE_BYTES = 20_000_000  # far more than the city's whole vacancy bank
MAX_CELL = 100_000  # characters: beyond the longest field (5000), so a huge cell is reported, not refused unread
LIST_SEPARATORS = re.compile(r"\s*[,;|]\s*")
TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE = {"nee", "n", "no", "false", "onwaar", "0", ""}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
MAX_SHOWN = 60  # characters of a cell quoted in a problem


class MappingError(ValueError):
    """The mapping file itself is wrong: nothing is imported."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # the CSV column ('' when the problem is the row as a whole)
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column '{characters.shown(self.column, 40)}'" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows not imported, with every reason
    warnings: list[Problem] = field(default_factory=list)  # imported, but worth a look (HTML shown as text)
    notes: list[str] = field(default_factory=list)  # about the file: columns missing or not read

    @property
    def failed_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})


@dataclass(frozen=True)
class Mapping:
    delimiter: str  # ',' ';' or 'auto'
    columns: dict[str, str]  # CSV column -> field path (title, place.address)
    values: dict[str, dict[str, str]]  # field path -> folded word -> schema value
    defaults: dict[str, Any]


def _fields() -> dict[str, Field]:
    """Field path -> Field, for every field an import may set (sub-fields of place and contact included)."""
    out = {}
    for f in VACANCY.fields:
        if f.kind == "object":
            out.update({f"{f.name}.{s.name}": s for s in f.fields})
        elif f.kind != "list":  # the shifts of a one-off task: not in a flat CSV
            out[f.name] = f
    return out


FIELDS = _fields()


def fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def load_mapping(path: Path) -> Mapping:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MappingError(f"{path}: cannot be read as YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
        raise MappingError(f"{path}: needs 'columns:', each CSV column with the vacancy field it fills")
    unknown = sorted(set(raw) - {"delimiter", "columns", "values", "defaults"})
    if unknown:
        raise MappingError(f"{path}: unknown key(s) {', '.join(unknown)}; known are delimiter, columns, values, "
                           "defaults")
    delimiter = str(raw.get("delimiter", "auto"))
    if delimiter not in (",", ";", "auto"):
        raise MappingError(f"{path}: delimiter must be ',', ';' or auto")
    columns = {str(k): str(v) for k, v in raw["columns"].items()}
    targets = list(columns.values())
    for target in targets:
        if target not in FIELDS:
            raise MappingError(f"{path}: column '{target}' is not a vacancy field; use one of {', '.join(FIELDS)}")
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if twice:
        raise MappingError(f"{path}: more than one column fills {', '.join(twice)}")
    values: dict[str, dict[str, str]] = {}
    for target, words in (raw.get("values") or {}).items():
        f = FIELDS.get(str(target))
        if f is None or f.kind not in ("choice", "choices") or not isinstance(words, dict):
            raise MappingError(f"{path}: values: '{target}' is not a field with a list of allowed values")
        for word, value in words.items():
            if str(value) not in (f.choices or {}):
                raise MappingError(f"{path}: values: {target}: '{word}' maps to '{value}', which is not one of "
                                   f"{', '.join(f.choices or {})}")
        values[str(target)] = {fold(w): str(v) for w, v in words.items()}
    defaults = dict(raw.get("defaults") or {})
    for target in defaults:
        if target not in FIELDS:
            raise MappingError(f"{path}: defaults: '{target}' is not a vacancy field")
    return Mapping(delimiter, columns, values, defaults)


# --- Reading the CSV ---

def read_rows(data: bytes, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """(header, [(row number, cells)], encoding). UTF-8 (with or without BOM), else Windows-1252, as spreadsheets
    on Windows save it."""
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="replace"), "Windows-1252"
    first_line = text.split("\n", 1)[0]
    if delimiter == "auto":
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL * 4))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return [], [], encoding
    header = [" ".join(h.split()) for h in rows[0]]
    return header, [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)], encoding


def _shown(value: str) -> str:
    return characters.shown(value, MAX_SHOWN)


def _convert(f: Field, path: str, text: str, mapping: Mapping) -> tuple[Any, str | None]:
    """A cell as the field's value, or (None, reason)."""
    if f.lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # a spreadsheet's line ends, in Markdown
    elif f.kind not in ("text",):
        text = text.strip()
    if len(text) > MAX_CELL:
        return None, f"is {len(text)} characters long; at most {f.max_length or MAX_CELL} fit"
    words = mapping.values.get(path, {})

    def choice(word: str) -> str | None:
        folded = fold(word)
        if folded in words:
            return words[folded]
        for value, label in (f.choices or {}).items():
            if folded in (fold(value), fold(label)):
                return value
        return None

    if f.kind == "choice":
        value = choice(text)
        if value is None:
            return None, (f"'{_shown(text)}' is not one of the known values; add it under values: {path}: in the "
                          f"mapping file, with one of {', '.join(f.choices or {})}")
        return value, None
    if f.kind == "choices":
        parts = [p for p in LIST_SEPARATORS.split(text.strip()) if p]
        out, wrong = [], []
        for part in parts:
            value = choice(part)
            if value is None:
                wrong.append(part)
            elif value not in out:
                out.append(value)
        if wrong:
            return None, (f"{', '.join(repr(_shown(w)) for w in wrong[:5])} not known; add under values: {path}: "
                          f"in the mapping file, with values from {', '.join(f.choices or {})}")
        return out, None
    if f.kind == "bool":
        if fold(text) in TRUE:
            return True, None
        if fold(text) in FALSE:
            return False, None
        return None, f"'{_shown(text)}' is not ja or nee"
    if f.kind == "int":
        if not re.fullmatch(r"[0-9]{1,6}", text):
            return None, f"'{_shown(text)}' is not a whole number"
        return int(text), None
    if f.kind == "date":
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date(), None
            except ValueError:
                continue
        return None, f"'{_shown(text)}' is not a date (write YYYY-MM-DD or DD/MM/YYYY)"
    return text, None  # texts: the schema checks their length and characters


def _organisation(text: str, organisations: dict[str, str]) -> str | None:
    """The organisation's file name, from its file name or its name as the site knows it."""
    if text.strip() in organisations:
        return text.strip()
    by_name = {fold(name): slug for slug, name in organisations.items()}
    return by_name.get(fold(text))


def row_data(cells: dict[str, str], mapping: Mapping, organisations: dict[str, str], today: dt.date,
             archived: frozenset[str] = frozenset()) -> tuple[dict, list[tuple[str, str]]]:
    """A row's vacancy fields (nested as in a file) and its (column, reason) problems."""
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    given: dict[str, Any] = {}
    for target, value in mapping.defaults.items():
        given[target] = value
    for column, target in mapping.columns.items():
        if column not in cells or not cells[column].strip():
            continue
        f = FIELDS[target]
        if target == "organisation":
            slug = _organisation(cells[column], organisations)
            if slug is None:
                problems.append((column, f"'{_shown(cells[column])}' is not an organisation of the site; make it "
                                 "first ('hasselthelpt new organisation NAME'), then import again"))
                continue
            if slug in archived:
                problems.append((column, f"'{_shown(cells[column])}' has stopped (its file says status: archived): "
                                 "its vacancies are closed"))
                continue
            given[target] = slug
            continue
        value, reason = _convert(f, target, cells[column], mapping)
        if reason:
            problems.append((column, reason))
        else:
            given[target] = value
    given.setdefault("publish_from", today)
    for target, value in given.items():
        if "." in target:
            group, sub = target.split(".", 1)
            data.setdefault(group, {})[sub] = value
        else:
            data[target] = value
    return data, problems


def file_data(cleaned: dict) -> dict:
    """The vacancy as its file holds it: schema order, defaults and empty fields left out."""
    out = {}
    for f in VACANCY.fields:
        value = cleaned.get(f.name)
        if value is None or value == [] or (value == f.default and not f.required):
            continue
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
        if f.kind == "list":
            value = [{k: v.strftime(DATETIME_FORMAT) if isinstance(v, dt.datetime) else v
                      for k, v in row.items() if v is not None} for row in value]
        out[f.name] = value
    return out


def yaml_text(data: dict, source: str, row: int, today: dt.date) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value):  # Markdown and long texts as a readable block
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    Dumper.add_representer(str, text)
    name = "".join(c for c in Path(source).name if c.isprintable())[:80]
    header = (f"# Geïmporteerd uit {name} (rij {row}) op {today.isoformat()} met 'hasselthelpt import'. "
              "Lees het na, dan 'hasselthelpt check'.\n")
    return header + yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110)


def slug_for(title: str) -> str:
    """The file name from the title, as the review queue makes it; markup in a title adds nothing to it."""
    from .endpoint.review import slugify

    return slugify(re.sub(r"<[^<>]*>", " ", title))


def import_csv(data: bytes, source: str, root: Path, mapping: Mapping, today: dt.date,
               dry_run: bool = False) -> Outcome:
    """Import every good row as a vacancy file below root; report the others."""
    from .content.loading import MarkdownRenderer, cross_check, load_file
    from .content.publication import is_archived
    from .content.reading import Corpus, Item, load_index

    outcome = Outcome()
    if len(data) > MAX_FILE_BYTES:
        outcome.problems.append(Problem(1, "", f"the file is {len(data) / 1e6:.1f} MB; at most "
                                        f"{MAX_FILE_BYTES // 1_000_000} MB are read"))
        return outcome
    try:
        header, rows, encoding = read_rows(data, mapping.delimiter)
    except csv.Error as exc:
        outcome.problems.append(Problem(1, "", f"is not a CSV file that can be read ({exc})"))
        return outcome
    if encoding != "UTF-8":
        outcome.notes.append(f"The file is not UTF-8; it was read as {encoding}. Check the accents in the result.")
    missing = [c for c in mapping.columns if c not in header]
    if missing:
        outcome.notes.append("Columns of the mapping that the file lacks: " + ", ".join(missing))
    unread = [h for h in header if h and h not in mapping.columns]
    if unread:
        outcome.notes.append("Columns of the file that the mapping does not read: "
                             + ", ".join(_shown(h) for h in unread))
    index, _ = load_index(root, ("organisation", "vacancy"))
    organisations = {slug: org.name for slug, org in index.organisations.items()}
    archived = frozenset(slug for slug, org in index.organisations.items() if is_archived(org))
    render = MarkdownRenderer()
    target_column = {t: c for c, t in mapping.columns.items()}
    taken: set[str] = set()
    folder = root / VACANCY.folder
    for number, cells in rows:
        if len(cells) != len(header):
            outcome.problems.append(Problem(number, "", f"has {len(cells)} cells where the header has "
                                            f"{len(header)}; check the separators and quotes in that row"))
            continue
        named = dict(zip(header, cells))
        data_, problems = row_data(named, mapping, organisations, today, archived)
        cleaned, schema_problems = check_mapping(VACANCY.fields, data_)
        reported = {c for c, _ in problems}
        for path, (what, fix) in schema_problems:
            column = target_column.get(path.split("[")[0], "")
            if column and column in reported:
                continue  # its cell was refused above: "is missing" would say it twice
            label = path if column else f"{path} (no column)"
            problems.append((column, f"{'' if column else label + ' '}{what}. {fix}"))
        if problems:
            outcome.problems += [Problem(number, c, r) for c, r in problems]
            continue
        slug = slug_for(cleaned["title"])
        path = folder / f"{slug}{VACANCY.suffix}"
        if path.exists() or slug in taken or slug in index.vacancies:
            outcome.problems.append(Problem(number, target_column.get("title", ""), f"vacancies/{slug}.yaml "
                                            "already exists: not overwritten. Rename or remove that file, or give "
                                            "this vacancy another title, and import the row again"))
            continue
        rel = path.relative_to(root).as_posix()
        item = Item("vacancy", slug, rel, cleaned)
        across = [e for e in cross_check(Corpus(vacancies={slug: item}, organisations=index.organisations), root)
                  if e.path == rel]
        if across:
            outcome.problems += [Problem(number, target_column.get(e.field.split("[")[0].split(".")[0], "")
                                         or target_column.get(e.field, ""), f"{e.field} {e.problem}. {e.fix}")
                                 for e in across]
            continue
        text = yaml_text(file_data(cleaned), source, number, today)
        taken.add(slug)
        if dry_run:
            outcome.written.append(path)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8") as out:  # 'x': never over a file that appeared meanwhile
                out.write(text)
        except FileExistsError:
            outcome.problems.append(Problem(number, "", f"{rel} appeared meanwhile: not overwritten"))
            continue
        loaded, errors = load_file(VACANCY, path, root, render)
        hard = [e for e in errors if not e.warning]
        if hard or loaded is None:
            path.unlink()
            outcome.problems += [Problem(number, target_column.get(e.field, ""), f"{e.field} {e.problem}")
                                 for e in hard] or [Problem(number, "", "the written file could not be read back")]
            continue
        outcome.warnings += [Problem(number, target_column.get(e.field, ""), f"{e.field} {e.problem}")
                             for e in errors if e.warning]
        outcome.written.append(path)
    return outcome


# --- The command ---

def cmd_import(args: argparse.Namespace) -> int:
    from .settings import TIMEZONE

    try:
        mapping = load_mapping(args.mapping or args.project / DEFAULT_MAPPING)
    except MappingError as exc:
        print(f"Mapping error: {exc}", file=sys.stderr)
        return 2
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    today = args.today or dt.datetime.now(TIMEZONE).date()
    outcome = import_csv(data, str(args.file), args.project, mapping, today, dry_run=args.dry_run)
    for note in outcome.notes:
        print(note, file=sys.stderr)
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in outcome.problems:
        print(problem, file=sys.stderr)
    if args.problems:
        from .report import csv_text

        args.problems.write_text(csv_text(("rij", "kolom", "reden"), ([str(p.row), p.column, p.reason]
                                                                     for p in outcome.problems)), encoding="utf-8")
    verb = "Would write" if args.dry_run else "Wrote"
    for path in outcome.written:
        print(f"{verb} {path.relative_to(args.project)}")
    failed = outcome.failed_rows
    print(f"{verb} {len(outcome.written)} vacancy file(s); {len(failed)} row(s) not imported"
          + (f" (rows {', '.join(map(str, failed))})" if failed else "")
          + (". Run 'hasselthelpt check', read the files, then commit them." if outcome.written else "."))
    return 1 if failed else 0


def add_command(sub: argparse._SubParsersAction) -> None:
    i = sub.add_parser("import", help="import vacancies from the city's vacancy bank (a CSV export) as vacancy "
                       "files; every row that cannot be imported is reported")
    i.add_argument("file", type=Path, help="the CSV file")
    i.add_argument("--mapping", type=Path, help="the mapping of columns to fields (default: "
                   "deploy/vacancy-import-mapping.yaml)")
    i.add_argument("--dry-run", action="store_true", help="check every row and say what would be written")
    i.add_argument("--problems", type=Path, help="also write the rows not imported to this CSV file (row, column, "
                   "reason), for whoever keeps the vacancy bank")
    i.add_argument("--today", type=dt.date.fromisoformat, help="the day used for publish_from when a row has none "
                   "(YYYY-MM-DD; tests)")
    i.set_defaults(func=cmd_import)
