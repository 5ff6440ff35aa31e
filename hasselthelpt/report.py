"""The city's figures (`hasselthelpt report --out DIR`): a static HTML report for the intranet, with charts
(hasselthelpt/report_charts.py) and their data tables, and the same figures as CSV files.

Per month, theme, deelgemeente and organisation: sign-ups, answers (sign-ups the organisation answered), matches
and the median response time in days; then the vacancies with sign-ups but no answer, and the open vacancies
without any sign-up. Only counts and public facts of vacancies (title, organisation): no name, address, phone
number or message of anyone. The sign-ups come from the endpoint's store (endpoint/signup_facts.py), the
vacancies from the content model.

`figures` is pure (sign-up facts, corpus and today in, a `Report` out); `report_files` turns a report into the
bytes of each file; the command writes them, never below the public site's output folder.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .content import characters
from .content.facts import where_key
from .content.publication import takes_signups
from .content.schema import THEMES, WHERE
from .endpoint.answer_migrations import OUTCOMES
from .endpoint.exports import safe_cell
from .endpoint.signup_facts import SignupFact
from .jinja import MONTHS, nl_date
from .settings import DEV_CONF, PROD_CONF, TIMEZONE, config_values

TEMPLATE = "report.html"
MATCH = "match"
assert MATCH in OUTCOMES
UNKNOWN = "onbekend"  # a sign-up for a vacancy that is no longer in the content
UNKNOWN_LABEL = "Onbekend (vacature niet meer in de inhoud)"
ORGANISATIONS_IN_CHART = 15  # the chart shows the organisations with the most sign-ups; the table shows all

# The column headers of every figure table, the same in the page and in the CSV files.
COUNT_HEADERS = ("Aanmeldingen", "Antwoorden", "Matches", "Mediane reactietijd (dagen)")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    signups: int
    answers: int
    matches: int
    median_days: float | None  # over the answered sign-ups; None: none answered

    def cells(self) -> list[str]:
        """The row as the page shows it (Dutch decimal comma)."""
        median = "–" if self.median_days is None else f"{self.median_days:.1f}".replace(".", ",")
        return [self.label, str(self.signups), str(self.answers), str(self.matches), median]

    def csv_cells(self) -> list[str]:
        median = "" if self.median_days is None else f"{self.median_days:.1f}"
        return [self.label, str(self.signups), str(self.answers), str(self.matches), median]


@dataclass(frozen=True)
class Table:
    name: str  # the file name of its CSV, and the page's anchor: per-maand
    title: str  # Per maand
    dimension: str  # the first column's header: Maand
    intro: str
    rows: tuple[Row, ...]
    horizontal: bool = True  # bars across (long labels), or up (months)
    chart_rows: int | None = None  # the chart shows only the first N rows (the table shows all)

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.dimension, *COUNT_HEADERS)


@dataclass(frozen=True)
class VacancyLine:
    """One vacancy in the lists at the end: public facts and counts only."""
    slug: str
    title: str
    organisation: str
    signups: int
    since: dt.date  # the oldest unanswered sign-up, or the day the vacancy went online
    days: int  # days since `since`
    valid_through: dt.date | None = None


@dataclass(frozen=True)
class VacancyList:
    name: str
    title: str
    intro: str
    headers: tuple[str, ...]
    lines: tuple[VacancyLine, ...]
    cells: Callable[[VacancyLine], list[str]] = field(compare=False, repr=False)

    def rows(self) -> list[list[str]]:
        return [self.cells(line) for line in self.lines]


@dataclass(frozen=True)
class Report:
    today: dt.date
    first: dt.date | None  # the first and last day with a sign-up
    last: dt.date | None
    total: Row
    tables: tuple[Table, ...]
    lists: tuple[VacancyList, ...]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _row(key: str, label: str, facts: list[SignupFact]) -> Row:
    answered = [f.response_days for f in facts if f.answered_at is not None]
    return Row(key, label, len(facts), len(answered), sum(1 for f in facts if f.outcome == MATCH),
               _median([d for d in answered if d is not None]))


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(TIMEZONE).date()


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    out, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def clean_label(text: str) -> str:
    """A text from the content (a title, an organisation's name) as the report shows it: one line, without the
    characters `check` refuses (control, bidi and invisible characters) even if one slipped in."""
    one_line = " ".join(str(text).split())
    found = characters.refused(one_line, multiline=False)
    while found:
        one_line = one_line[:found[0]] + one_line[found[0] + 1:]
        found = characters.refused(one_line, multiline=False)
    return one_line or "(zonder naam)"


def figures(facts: Iterable[SignupFact], corpus, today: dt.date) -> Report:
    """Every figure of the report, from the sign-ups and the content."""
    facts = list(facts)
    vacancies, organisations = corpus.vacancies, corpus.organisations

    def org_name(slug: str) -> str:
        org = organisations.get(slug)
        return clean_label(org.name) if org is not None else clean_label(slug)

    by_month: dict[tuple[int, int], list[SignupFact]] = defaultdict(list)
    by_theme: dict[str, list[SignupFact]] = defaultdict(list)
    by_where: dict[str, list[SignupFact]] = defaultdict(list)
    by_org: dict[str, list[SignupFact]] = defaultdict(list)
    by_vacancy: dict[str, list[SignupFact]] = defaultdict(list)
    for fact in facts:
        day = local_day(fact.created_at)
        by_month[(day.year, day.month)].append(fact)
        by_vacancy[fact.vacancy].append(fact)
        v = vacancies.get(fact.vacancy)
        if v is None:
            by_theme[UNKNOWN].append(fact)
            by_where[UNKNOWN].append(fact)
            by_org[UNKNOWN].append(fact)
            continue
        for theme in v.themes:  # a vacancy with two themes counts for both
            by_theme[theme].append(fact)
        by_where[where_key(v)].append(fact)
        by_org[v.organisation].append(fact)

    days = [local_day(f.created_at) for f in facts]
    first, last = (min(days), max(days)) if days else (None, None)
    months = _months(first, max(last, today)) if first else []
    month_rows = tuple(_row(f"{y}-{m:02d}", month_label(y, m), by_month.get((y, m), [])) for y, m in months)

    def with_unknown(rows: list[Row], groups: dict) -> tuple[Row, ...]:
        if groups.get(UNKNOWN):
            rows.append(_row(UNKNOWN, UNKNOWN_LABEL, groups[UNKNOWN]))
        return tuple(rows)

    theme_rows = with_unknown([_row(k, label, by_theme.get(k, [])) for k, label in THEMES.items()], by_theme)
    where_rows = with_unknown([_row(k, label, by_where.get(k, [])) for k, label in WHERE.items()], by_where)
    org_rows = sorted((_row(slug, org_name(slug), group) for slug, group in by_org.items() if slug != UNKNOWN),
                      key=lambda r: (-r.signups, r.label.casefold(), r.key))
    org_rows = with_unknown(org_rows, by_org)

    tables = (
        Table("per-maand", "Per maand", "Maand", "Aanmeldingen per maand waarin ze binnenkwamen (Belgische tijd).",
              month_rows, horizontal=False),
        Table("per-thema", "Per thema", "Thema", "Een vacature met twee thema's telt bij allebei: opgeteld zijn "
              "het meer aanmeldingen dan er binnenkwamen.", theme_rows),
        Table("per-deelgemeente", "Per deelgemeente", "Deelgemeente", "Waar het vrijwilligerswerk is: de "
              "deelgemeente, of thuis en op verschillende plaatsen.", where_rows),
        Table("per-organisatie", "Per organisatie", "Organisatie", "Organisaties met minstens één aanmelding, de "
              f"meeste eerst. De grafiek toont de {ORGANISATIONS_IN_CHART} met de meeste aanmeldingen; de tabel "
              "toont ze allemaal.", org_rows, chart_rows=ORGANISATIONS_IN_CHART),
    )

    unanswered = []
    for slug, group in by_vacancy.items():
        if any(f.answered_at is not None for f in group):
            continue
        v = vacancies.get(slug)
        oldest = min(local_day(f.created_at) for f in group)
        unanswered.append(VacancyLine(slug, clean_label(v.title) if v else UNKNOWN_LABEL,
                                      org_name(v.organisation) if v else "–", len(group), oldest,
                                      (today - oldest).days, v.valid_through if v else None))
    unanswered.sort(key=lambda line: (-line.days, line.title.casefold(), line.slug))
    without = [VacancyLine(v.slug, clean_label(v.title), org_name(v.organisation), 0, v.publish_from,
                           (today - v.publish_from).days, v.valid_through)
               for v in vacancies.values() if takes_signups(v, today) and not by_vacancy.get(v.slug)]
    without.sort(key=lambda line: (-line.days, line.title.casefold(), line.slug))
    lists = (
        VacancyList("zonder-antwoord", "Vacatures met aanmeldingen, maar zonder antwoord",
                    "Vacatures waarvan de organisatie nog op geen enkele aanmelding antwoordde. De oudste "
                    "aanmelding eerst.", ("Vacature", "Organisatie", "Aanmeldingen", "Oudste aanmelding",
                                          "Dagen zonder antwoord"), tuple(unanswered),
                    lambda l: [l.title, l.organisation, str(l.signups), l.since.isoformat(), str(l.days)]),
        VacancyList("zonder-aanmelding", "Open vacatures zonder aanmelding",
                    "Vacatures die vandaag aanmeldingen aannemen, maar er nog geen kregen. Wie het langst online "
                    "staat eerst.", ("Vacature", "Organisatie", "Online sinds", "Geldig tot", "Dagen online"),
                    tuple(without),
                    lambda l: [l.title, l.organisation, l.since.isoformat(),
                               l.valid_through.isoformat() if l.valid_through else "", str(l.days)]),
    )
    return Report(today, first, last, _row("totaal", "Totaal", facts), tables, lists)


# --- The files ---

def csv_text(headers: Iterable[str], rows: Iterable[list[str]]) -> str:
    """CSV for a spreadsheet: a byte order mark (accents), and no cell that could run as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(headers))
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()


def report_files(report: Report, templates: Path) -> dict[str, bytes]:
    """File name -> bytes: index.html and one CSV per table and list. Same report, same bytes."""
    from .jinja import environment
    from .report_charts import count_chart, median_chart

    files = {}
    sections = []
    for table in report.tables:
        files[f"{table.name}.csv"] = csv_text(table.headers, (r.csv_cells() for r in table.rows)).encode("utf-8")
        sections.append({"table": table, "charts": [count_chart(table), median_chart(table)]})
    for vlist in report.lists:
        files[f"{vlist.name}.csv"] = csv_text(vlist.headers, vlist.rows()).encode("utf-8")
    html = environment(templates).get_template(TEMPLATE).render(
        report=report, sections=sections, lists=report.lists, nl_date=nl_date, period=_period(report))
    files["index.html"] = html.encode("utf-8")
    return files


def _period(report: Report) -> str:
    if report.first is None:
        return "Er zijn nog geen aanmeldingen."
    return f"Aanmeldingen van {nl_date(report.first)} tot {nl_date(report.last)}."


def write_report(files: dict[str, bytes], out: Path) -> list[Path]:
    from .files import write_if_changed

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in sorted(files.items()):
        write_if_changed(out / name, data)
        written.append(out / name)
    return written


# --- The command ---

def public_outputs(project: Path) -> list[Path]:
    """The public site's output folders (development and production settings): the report never goes there."""
    found = []
    for conf in (DEV_CONF, PROD_CONF):
        path = project / conf
        if path.is_file():
            found.append((project / str(config_values(path).get("OUTPUT_PATH", "output"))).resolve())
    return found or [(project / "output").resolve()]


def in_public_site(out: Path, project: Path) -> Path | None:
    """The public site folder that `out` lies in, if any: the project's output folders, or a release's site/
    folder (`hasselthelpt publish`'s DIR/releases/<time>/site/, also through DIR/current)."""
    from . import releases

    out = out.resolve()
    for public in public_outputs(project):
        if out == public or out.is_relative_to(public):
            return public
    for folder in (out, *out.parents):
        if folder.name == releases.SITE and ((folder.parent / releases.RELEASE_JSON).exists()
                                             or (folder.parent / releases.INTRANET).is_dir()):
            return folder
    return None


def site_settings(project: Path):
    """The production settings (publishconf.py) as the build reads them, without loading Pelican, and the public
    output folder."""
    from .settings import from_pelican

    values = config_values(project / PROD_CONF)
    values["PATH"] = str((project / str(values.get("PATH", "content"))).resolve())  # Pelican makes it absolute
    return from_pelican(values), (project / str(values.get("OUTPUT_PATH", "output"))).resolve()


def default_folder(project: Path) -> Path:
    """The staff folder of the production settings (settings.Settings.staff_folder), its cijfers/ folder."""
    settings, output = site_settings(project)
    return settings.staff_folder(output) / "cijfers"


def cmd_report(args: argparse.Namespace) -> int:
    from .endpoint.config import from_env
    from .endpoint.signup_facts import signup_facts
    from .endpoint.storage import open_storage
    from .content.reading import load_index

    out = (args.out if args.out.is_absolute() else Path.cwd() / args.out) if args.out else \
        default_folder(args.project)
    out = out.resolve()
    public = in_public_site(out, args.project)
    if public is not None:
        print(f"{out} is inside the public site ({public}): the report is for the intranet only. Choose "
              "another folder, for example the staff folder (HH_STAFF_OUTPUT) or a release's intranet/.",
              file=sys.stderr)
        return 2
    today = args.today or dt.datetime.now(TIMEZONE).date()
    endpoint = from_env(os.environ, root=args.project)
    storage = open_storage(endpoint.database)
    try:
        storage.migrate()
        since = dt.datetime.combine(args.since, dt.time(), TIMEZONE) if args.since else None
        facts = signup_facts(storage, since=since)
    finally:
        storage.close()
    corpus, errors = load_index(args.project, ("vacancy", "organisation"))  # fields only, as the endpoint reads
    if errors:
        print(f"{len(errors)} content error(s); run 'hasselthelpt check'. Files with errors are left out.",
              file=sys.stderr)
    templates = site_settings(args.project)[0].templates
    report = figures(facts, corpus, today)
    write_report(report_files(report, templates), out)
    print(f"Wrote the report ({report.total.signups} sign-up(s)) to {out}/index.html, with its CSV files.")
    return 0


def add_command(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("report", help="the city's figures on sign-ups, answers and matches: a static HTML report "
                       "with charts and CSV files, for the intranet")
    r.add_argument("--out", type=Path, help="folder to write (default: cijfers/ in the staff folder, "
                   "HH_STAFF_OUTPUT); never inside the public site")
    r.add_argument("--since", type=dt.date.fromisoformat, help="only sign-ups from this day on, YYYY-MM-DD")
    r.add_argument("--today", type=dt.date.fromisoformat, help="the day to report on, YYYY-MM-DD (tests)")
    r.set_defaults(func=cmd_report)

