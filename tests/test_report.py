"""`hasselthelpt report`: the city's figures, built from a generated set of sign-ups in a real SQLite store.

Every number in the page is checked against the generated data, counted here independently of the report's
code; every chart is an SVG without script, hidden from screen readers, with a table beside it; each CSV file
holds exactly what its table shows; no personal data and no live markup reach the report.
(tests/browser/test_browser_report.py runs axe-core on it.)"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from report_testing import (GONE, HOSTILE_NAME, NEVER_ANSWERED, ORGANISATIONS, PERSON, TODAY, VACANCIES, generate,
                            make_project)

from hasselthelpt import brand
from hasselthelpt.cli import main
from hasselthelpt.content.schema import THEMES, WHERE
from hasselthelpt.endpoint.storage import SQLiteStorage

BRUSSELS = ZoneInfo("Europe/Brussels")
MONTH_NAMES = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
               "november", "december"]
UNKNOWN = "Onbekend (vacature niet meer in de inhoud)"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("report-project")
    project = make_project(root)
    database = root / "var" / "hh.sqlite3"
    store = SQLiteStorage(database)
    store.migrate()
    generated = generate(store)
    store.close()
    out = root / "intranet" / "cijfers"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HH_DATABASE", str(database))
        assert main(["--project", str(root), "report", "--out", str(out), "--today", TODAY.isoformat()]) == 0
    return project, database, generated, out


def soup_of(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")


def table_rows(table) -> list[list[str]]:
    return [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]


def table_header(table) -> list[str]:
    return [th.get_text(strip=True) for th in table.thead.find_all("th")]


def csv_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff"), f"{path.name}: no byte order mark (spreadsheets then garble the accents)"
    return list(csv.reader(io.StringIO(text[1:])))


# --- The figures, counted independently ---

def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def expected_cells(label: str, group) -> list[str]:
    days = [(g.answered - g.created).total_seconds() / 86400 for g in group if g.answered]
    m = median(days)
    return [label, str(len(group)), str(len(days)), str(sum(1 for g in group if g.outcome == "match")),
            "–" if m is None else f"{m:.1f}".replace(".", ",")]


def expected_tables(generated) -> dict[str, dict[str, list[str]]]:
    months, themes, wheres, orgs = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for g in generated:
        local = g.created.astimezone(BRUSSELS)
        months[(local.year, local.month)].append(g)
        if g.vacancy == GONE:
            themes[UNKNOWN].append(g)
            wheres[UNKNOWN].append(g)
            orgs[UNKNOWN].append(g)
            continue
        vac_themes, where, org = VACANCIES[g.vacancy]
        for t in vac_themes:
            themes[THEMES[t]].append(g)
        wheres[WHERE[where]].append(g)
        orgs[ORGANISATIONS[org]].append(g)
    first = min(months)
    month_keys, (y, m) = [], first
    while (y, m) <= (TODAY.year, TODAY.month):
        month_keys.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return {
        "per-maand": {f"{MONTH_NAMES[m - 1]} {y}": expected_cells(f"{MONTH_NAMES[m - 1]} {y}", months.get((y, m), []))
                      for y, m in month_keys},
        "per-thema": {label: expected_cells(label, themes.get(label, []))
                      for label in [*THEMES.values(), UNKNOWN]},
        "per-deelgemeente": {label: expected_cells(label, wheres.get(label, []))
                             for label in [*WHERE.values(), UNKNOWN]},
        "per-organisatie": {label: expected_cells(label, group) for label, group in orgs.items()},
    }


def test_the_generated_data_covers_what_the_report_shows(built):
    """The data has what the checks below need: answers, matches, a month without sign-ups, an unknown vacancy."""
    _, _, generated, _ = built
    assert len(generated) == 240
    assert sum(1 for g in generated if g.answered) > 100
    assert sum(1 for g in generated if g.outcome == "match") > 20
    assert any(g.vacancy == GONE for g in generated)
    assert not any(g.created.astimezone(BRUSSELS).month == 5 for g in generated)


def test_totals_match_the_data(built):
    _, _, generated, out = built
    soup = soup_of(out)
    summary = {dt_.get_text(strip=True): dt_.find_next_sibling("dd").get_text(strip=True)
               for dt_ in soup.select("dl.key")[0].find_all("dt")}
    cells = expected_cells("Totaal", generated)
    assert summary["Aanmeldingen"] == cells[1]
    assert summary["Antwoorden"] == cells[2]
    assert summary["Matches"] == cells[3]
    assert summary["Mediane reactietijd"] == f"{cells[4]} dagen"


@pytest.mark.parametrize("name", ["per-maand", "per-thema", "per-deelgemeente", "per-organisatie"])
def test_each_table_matches_the_data(built, name):
    _, _, generated, out = built
    expected = expected_tables(generated)[name]
    table = soup_of(out).find("table", attrs={"data-csv": f"{name}.csv"})
    assert table is not None, f"no table for {name}"
    rows = table_rows(table)
    got = {row[0]: row for row in rows}
    assert len(got) == len(rows), f"{name}: a label appears twice"
    assert got == expected
    if name == "per-maand":
        assert [r[0] for r in rows] == list(expected), "months are not in calendar order"
        assert got["mei 2026"][1:4] == ["0", "0", "0"], "the month without sign-ups is missing or not zero"
    if name == "per-organisatie":
        counts = [int(r[1]) for r in rows if r[0] != UNKNOWN]
        assert counts == sorted(counts, reverse=True), "organisations are not ordered by their sign-ups"


def test_vacancies_without_an_answer_and_without_a_sign_up(built):
    _, _, generated, out = built
    soup = soup_of(out)
    by_vacancy = defaultdict(list)
    for g in generated:
        by_vacancy[g.vacancy].append(g)
    unanswered = {slug for slug, group in by_vacancy.items() if not any(g.answered for g in group)}
    assert NEVER_ANSWERED in unanswered
    rows = table_rows(soup.find("table", attrs={"data-csv": "zonder-antwoord.csv"}))
    expected = []
    for slug in unanswered:
        oldest = min(g.created.astimezone(BRUSSELS).date() for g in by_vacancy[slug])
        title = UNKNOWN if slug == GONE else f"Vacature {slug}"
        org = "–" if slug == GONE else ORGANISATIONS[VACANCIES[slug][2]]
        expected.append([title, org, str(len(by_vacancy[slug])), oldest.isoformat(), str((TODAY - oldest).days)])
    assert sorted(rows) == sorted(expected)
    without = table_rows(soup.find("table", attrs={"data-csv": "zonder-aanmelding.csv"}))
    # 'stil' is open and never had a sign-up; 'oud' had none either, but it is closed
    assert [r[0] for r in without] == ["Vacature stil"]
    assert without[0][1:4] == [HOSTILE_NAME, "2026-10-01", "2027-06-30"]
    assert without[0][4] == str((TODAY - dt.date(2026, 10, 1)).days)


def test_every_chart_is_svg_without_script_with_a_table(built):
    _, _, _, out = built
    soup = soup_of(out)
    svgs = soup.find_all("svg")
    assert len(svgs) == 8, "two charts (counts, response time) for each of the four tables"
    for svg in svgs:
        assert svg.get("aria-hidden") == "true", "the table is the accessible content; the chart is hidden"
        assert not svg.find_all("script") and "javascript" not in str(svg).lower()
        assert svg.find_all("rect", class_="rect") or svg.find_all("path"), "the chart draws no bars"
        figure = svg.find_parent("figure")
        assert figure is not None and figure.find("table") is not None, "a chart without its table"
        assert figure.find("figcaption") is not None
    counts = soup.find("svg", id="chart-per-maand-aantallen")
    legend = " ".join(t.get_text() for t in counts.find_all("text"))
    for series in ("Aanmeldingen", "Antwoorden", "Matches"):
        assert series in legend
    for colour in brand.CHART_COLOURS:
        assert colour.lower() in str(counts).lower(), f"the brand's chart colour {colour} is not used"


def test_chart_colours_have_enough_contrast_on_paper():
    """WCAG 1.4.11: graphical objects at least 3:1 against their background."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    paper = luminance(brand.COLOURS["paper"])
    for colour in brand.CHART_COLOURS:
        assert (paper + 0.05) / (luminance(colour) + 0.05) >= 3, colour


@pytest.mark.parametrize("name", ["per-maand", "per-thema", "per-deelgemeente", "per-organisatie",
                                  "zonder-antwoord", "zonder-aanmelding"])
def test_each_csv_holds_what_its_table_shows(built, name):
    _, _, _, out = built
    table = soup_of(out).find("table", attrs={"data-csv": f"{name}.csv"})
    rows = csv_rows(out / f"{name}.csv")
    assert rows[0] == table_header(table)
    shown = table_rows(table)
    assert len(rows) - 1 == len(shown) and shown
    for csv_row, html_row in zip(rows[1:], shown):
        expected = []
        for cell in html_row:
            if cell.startswith(("=", "+", "-", "@")):
                cell = "'" + cell  # a spreadsheet must read it as text, never as a formula
            expected.append({"–": ""}.get(cell, cell))
        if name.startswith("per-"):
            expected[4] = expected[4].replace(",", ".")  # the CSV writes numbers with a decimal point
        assert csv_row == expected


def test_no_personal_data_and_no_live_markup(built):
    _, _, _, out = built
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        for secret in (PERSON["name"], "geheim", PERSON["phone"], PERSON["message"], "@example.be"):
            assert secret not in text, f"{path.name} holds personal data ({secret!r})"
    html = (out / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script"), "an organisation's name became a script element"
    assert "<script>alert" not in html
    names = [th.get_text() for th in soup.find("table", attrs={"data-csv": "per-organisatie.csv"}).find_all("th")]
    assert HOSTILE_NAME in names, "the organisation's name is not shown as text"


def test_same_store_same_bytes(built, tmp_path):
    project, database, _, out = built
    again = tmp_path / "again"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HH_DATABASE", str(database))
        assert main(["--project", str(project.root), "report", "--out", str(again), "--today",
                     TODAY.isoformat()]) == 0
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in out.iterdir())
    for path in out.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs between two runs"


def test_default_folder_is_the_staff_folder_and_never_the_public_site(built, capsys):
    project, database, _, _ = built
    root = project.root
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HH_DATABASE", str(database))
        assert main(["--project", str(root), "report", "--today", TODAY.isoformat()]) == 0
        assert (root / "output-intranet" / "cijfers" / "index.html").is_file()
        public = root / "output" / "cijfers"
        assert main(["--project", str(root), "report", "--out", str(public)]) == 2
        release = root / "www" / "releases" / "20261127T100000Z"
        (release / "site").mkdir(parents=True)
        (release / "intranet").mkdir()
        (release / "release.json").write_text("{}", encoding="utf-8")
        (root / "www" / "current").symlink_to(release)
        assert main(["--project", str(root), "report", "--out", str(root / "www" / "current" / "site" / "c")]) == 2
        assert main(["--project", str(root), "report", "--out", str(root / "www" / "current" / "intranet" / "c"),
                     "--today", TODAY.isoformat()]) == 0
    assert "intranet only" in capsys.readouterr().err
    assert not public.exists() and not (release / "site" / "c").exists()
    assert (release / "intranet" / "c" / "index.html").is_file()


def test_an_empty_store_gives_a_report_without_figures(tmp_path):
    project = make_project(tmp_path)
    out = tmp_path / "leeg"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HH_DATABASE", str(tmp_path / "leeg.sqlite3"))
        assert main(["--project", str(project.root), "report", "--out", str(out), "--today",
                     TODAY.isoformat()]) == 0
    soup = soup_of(out)
    assert "Er zijn nog geen aanmeldingen." in soup.get_text()
    assert len(soup.find_all("svg")) == 8
    theme_rows = table_rows(soup.find("table", attrs={"data-csv": "per-thema.csv"}))
    assert [r[1:] for r in theme_rows] == [["0", "0", "0", "–"]] * len(THEMES)
    assert [r[0] for r in table_rows(soup.find("table", attrs={"data-csv": "zonder-aanmelding.csv"}))] == [
        f"Vacature {slug}" for slug in ("chauffeur", "gids", "kok", "stil", "tuinier", "voorlezer")]


def test_since_counts_only_the_later_sign_ups(built, tmp_path):
    project, database, generated, _ = built
    out = tmp_path / "since"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HH_DATABASE", str(database))
        assert main(["--project", str(project.root), "report", "--out", str(out), "--since", "2026-09-01",
                     "--today", TODAY.isoformat()]) == 0
    later = [g for g in generated if g.created.astimezone(BRUSSELS).date() >= dt.date(2026, 9, 1)]
    assert 0 < len(later) < len(generated)
    rows = table_rows(soup_of(out).find("table", attrs={"data-csv": "per-maand.csv"}))
    assert rows[0][0] == "september 2026"
    assert sum(int(r[1]) for r in rows) == len(later)
