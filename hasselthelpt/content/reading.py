"""Reading content files, without rendering Markdown or opening images: the model's `Item`, `Corpus` and
`ContentError`, YAML (bounded, with line numbers), front matter, and each file's fields checked by the schema.

`load_index` is the light loader: the fields of every vacancy and organisation, enough for the form endpoint (which
never needs their HTML or photos). loading.py builds the full corpus on the same reading.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..incremental import file_key
from .publication import is_archived
from .schema import CONTENT_TYPES, SLUG_RE, ContentType, check_mapping

class SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's when present: much faster
    """YAML loader that leaves dates as text, so the schema parses them and names field and line when one
    is wrong (YAML itself would crash on 2026-13-01)."""


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# Bounds on what one content file may be, so that no file can make loading slow or a build crash. The longest
# text (a page, 50,000 characters) fits many times; the schema nests three levels deep (translations).
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 10



@dataclass(frozen=True)
class ContentError:
    """A problem with a content file. A warning (`warning=True`) does not stop a build; `check --strict`
    treats warnings as errors."""

    path: str  # relative to the project root
    field: str
    problem: str
    fix: str
    line: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        subject = f"field '{self.field}'" if self.field else "file"
        label = "warning: " if self.warning else ""
        return f"{where}: {label}{subject} {self.problem}.\n    How to fix: {self.fix}"


@dataclass
class Item:
    """One content file, checked: `data` holds every schema field (defaults filled in), `html` the rendered
    Markdown fields. Attribute access reads `data`, so templates say `vacancy.title`."""

    type: str
    slug: str
    path: str
    data: dict[str, Any]
    html: dict[str, str] = field(default_factory=dict)
    source: Path | None = field(default=None, repr=False)
    organisation_archived: bool = False  # a vacancy of an archived organisation: closed (set by cross_check)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["data"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Corpus:
    vacancies: dict[str, Item] = field(default_factory=dict)
    organisations: dict[str, Item] = field(default_factory=dict)
    stories: dict[str, Item] = field(default_factory=dict)
    events: dict[str, Item] = field(default_factory=dict)
    pages: dict[str, Item] = field(default_factory=dict)
    press: dict[str, Item] = field(default_factory=dict)  # press releases (hasselthelpt/outputs/press.py)
    warnings: list[ContentError] = field(default_factory=list)  # problems that do not stop a build
    # type name -> slugs of files that exist but failed to load: references to them are not errors of their own
    broken: dict[str, set[str]] = field(default_factory=dict)

    def of_type(self, type_name: str) -> dict[str, Item]:
        return getattr(self, _PLURAL[type_name])

    def exists(self, type_name: str, slug: str) -> bool:
        """Whether a file of this type and name exists, loaded or not (a broken one has its own error)."""
        return slug in self.of_type(type_name) or slug in self.broken.get(type_name, ())


_PLURAL = {"vacancy": "vacancies", "organisation": "organisations", "story": "stories", "event": "events",
           "page": "pages", "press": "press"}



def key_lines(text: str, first_line: int = 1) -> dict[str, int]:
    """Map dotted field paths ('place.deelgemeente') to their line number in a YAML text."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                path = f"{prefix}{key.value}"
                lines[path] = key.start_mark.line + first_line
                walk(value, path + ".")
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                walk(value, f"{prefix.rstrip('.')}[{i}].")

    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, "")
    return lines


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split a Markdown file into (YAML front matter, body); None when it has no front matter."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end == -1:
        if text.endswith("\n---"):
            return text[4:-4], ""
        return None
    return text[4:end + 1], text[end + 5:]


def load_yaml(text: str, rel: str, first_line: int = 1) -> tuple[Any, list[ContentError]]:
    """The data of a YAML text, or the error that it cannot be read. Bounded: a file that repeats parts with
    aliases (a "billion laughs" file) or nests deeper than any content type is refused, never expanded."""
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark else None
        problem = getattr(exc, "problem", None) or "cannot be read"
        return None, [ContentError(rel, "", f"is not valid YAML ({problem})", "Check the indentation and put "
                                   "text that contains ':' or '#' between quotes.", line)]
    except (ValueError, OverflowError, RecursionError) as exc:  # an explicit tag (!!timestamp) or a huge number
        reason = "a number that is too long" if "digits" in str(exc) else str(exc)[:80]
        return None, [ContentError(rel, "", f"has a value YAML cannot read ({reason})",
                                   "Put the value between quotes, or write it as the field's help says.")]
    problem = _shape_problem(data)
    if problem:
        return None, [ContentError(rel, "", *problem)]
    return data, []


def _shape_problem(data: Any) -> tuple[str, str] | None:
    """Refuse repeated parts (YAML aliases to a list or mapping) and deep nesting, without recursion."""
    seen: set[int] = set()
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        if id(value) in seen:
            return ("repeats a part with a YAML alias (*name)", "Write each value out in full: content files "
                    "cannot use & and * to repeat parts.")
        if depth >= MAX_DEPTH:
            return (f"nests lists or fields more than {MAX_DEPTH} levels deep", "Check the indentation: no "
                    "field needs more than three levels.")
        seen.add(id(value))
        stack += [(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value)]
    return None


def line_of(lines: dict[str, int], path: str) -> int | None:
    """The line of a dotted field path, or of its nearest parent that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = path.rpartition(".")[0]
    return None



def content_files(root: Path, ctype: ContentType) -> list[Path]:
    folder = root / ctype.folder
    if not folder.is_dir():
        return []
    suffixes = (".yaml", ".yml") if ctype.suffix == ".yaml" else (".md",)
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in suffixes)


@dataclass(frozen=True)
class Fields:
    """One file's fields as the schema reads them. `data` is None when the file cannot be read as fields at all
    (too large, not UTF-8, no front matter, bad YAML, no mapping); `errors` then say why, else the schema's
    problems."""

    rel: str
    data: dict[str, Any] | None
    errors: list[ContentError]
    text: str = ""  # the YAML text (a Markdown file's front matter)
    first_line: int = 1  # its first line in the file
    body: str | None = None  # a Markdown file's text below the front matter


def read_fields(ctype: ContentType, path: Path, root: Path) -> Fields:
    rel = path.relative_to(root).as_posix()
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return Fields(rel, None, [ContentError(rel, "", f"is {size / 1_000_000:.1f} MB; a content file may be at "
                                               f"most {MAX_FILE_BYTES // 1_000_000} MB", "Shorten the text: even "
                                               "the longest page fits easily. Photos go in their own files below "
                                               "content/images/.")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return Fields(rel, None, [ContentError(rel, "", "is not UTF-8 text", "Save the file as UTF-8 in your editor.")])
    first_line, body = 1, None
    if ctype.suffix == ".md":
        parts = split_front_matter(text)
        if parts is None:
            return Fields(rel, None, [ContentError(rel, "", "has no front matter", "Start the file with a line "
                                                   "'---', the fields in YAML, and another line '---' before the "
                                                   "text.", 1)])
        text, body = parts
        first_line = 2
    raw, errors = load_yaml(text, rel, first_line)
    if errors:
        return Fields(rel, None, errors)
    if not isinstance(raw, dict):
        return Fields(rel, None, [ContentError(rel, "", "does not hold fields", "Write one 'field: value' per line.",
                                               first_line)])
    data, problems = check_mapping(ctype.fields, raw)
    errors = []
    if problems:
        lines = key_lines(text, first_line)
        errors = [ContentError(rel, name, what, fix, line_of(lines, name)) for name, (what, fix) in problems]
    return Fields(rel, data, errors, text, first_line, body)


# The light index's fields of each file as last read in this process, by what tells that a file changed: the
# endpoint reads the index again after every build of `serve` and every publish (0.8 s for the city, in the path
# of an edit's preview), and a file's fields are a pure function of its bytes and the schema.
_INDEXED: dict[str, tuple[list[int], ContentType, bytes]] = {}


def _read_fields_again(ctype: ContentType, path: Path, root: Path) -> Fields:
    key = file_key(path)
    known = _INDEXED.get(str(path))
    if known is not None and known[0] == key and known[1] is ctype:
        return pickle.loads(known[2])  # a copy: whoever gets it may change it
    fields = read_fields(ctype, path, root)
    _INDEXED[str(path)] = (key, ctype, pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL))
    return fields


def load_index(root: Path, types: tuple[str, ...] = ("vacancy", "organisation")) -> tuple[Corpus, list[ContentError]]:
    """The items of these types with their fields only (no `html`; photos not opened), as the schema checks them;
    files with errors are left out, as `load_corpus` leaves them out. A vacancy of an archived organisation is
    marked closed, as in the full corpus."""
    corpus, errors = Corpus(), []
    for name in types:
        ctype, items = CONTENT_TYPES[name], corpus.of_type(name)
        for path in content_files(root, ctype):
            if not SLUG_RE.match(path.stem) or path.stem in items:
                continue  # `check` names these; the endpoint only reads the good files
            fields = _read_fields_again(ctype, path, root)
            errors += fields.errors
            if fields.data is not None and not fields.errors:
                items[path.stem] = Item(name, path.stem, fields.rel, fields.data, source=path)
    orgs = corpus.organisations
    for v in corpus.vacancies.values():
        v.organisation_archived = v.organisation in orgs and is_archived(orgs[v.organisation])
    return corpus, errors
