"""`hasselthelpt import FILE.csv`: vacancies from the city's vacancy bank. A sample export with good and bad rows
(hostile text among them: markup, control characters, direction overrides, huge cells): the good rows become
vacancy files that pass `check`, every bad row is reported with its row number, column and reason, and no
existing file is overwritten."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import pytest
import yaml

from hh_testing import REPO, Project, organisation, vacancy

from hasselthelpt.cli import main
from hasselthelpt.content.schema import CONTENT_TYPES
from hasselthelpt.vacancy_import import (DEFAULT_MAPPING, MappingError, Problem, import_csv, load_mapping)

TODAY = dt.date(2026, 11, 27)
HEADER = ["Titel", "Organisatie", "Korte beschrijving", "Beschrijving", "Sector", "Type", "Tijdsinvestering",
          "Wanneer", "Adres", "Deelgemeente", "Taalniveau Nederlands", "Onkostenvergoeding", "Kilometervergoeding",
          "Verzekerd", "Contactpersoon", "E-mail contactpersoon", "Einddatum", "Intern nummer"]


def row(**changes) -> dict:
    data = {"Titel": "Voorlezer in de bib", "Organisatie": "Leesclub De Uil", "Korte beschrijving":
            "Lees voor aan kinderen.", "Beschrijving": "Je leest voor.\r\nElke woensdag, **met koffie**.",
            "Sector": "Cultuur; Jeugd", "Type": "Langdurig", "Tijdsinvestering": "2 uur per week",
            "Wanneer": "Overdag, weekend", "Adres": "Kerkstraat 1, 3500 Hasselt", "Deelgemeente": "Kermt",
            "Taalniveau Nederlands": "Beperkt", "Onkostenvergoeding": "Nee", "Kilometervergoeding": "nee",
            "Verzekerd": "ja", "Contactpersoon": "An Peeters", "E-mail contactpersoon": "an@leesclub.be",
            "Einddatum": "31/12/2027", "Intern nummer": "GAD-1"}
    return {**data, **changes}


# row number (the header is row 1) -> the row; a value None: what that row is about
ROWS = [
    row(),  # 2: good
    row(**{"Titel": "Chauffeur <b>voor</b> & met \"buren\"", "Organisatie": "leesclub",  # 3: good: the file name
           "Beschrijving": "<script>alert(1)</script> Rijd mee. <img src=x onerror=alert(2)>",
           "Sector": "zorg-en-welzijn", "Type": "Eenmalig", "Einddatum": "2027-03-01"}),
    row(Titel="Kok\x07 in de keuken"),  # 4: control character
    row(Titel="Gids", Beschrijving="Lang. " * 1000),  # 5: 6000 characters, at most 5000
    row(Titel="Tuinier", **{"Korte beschrijving": "x" * 200_000}),  # 6: a huge cell
    row(Titel="Helper", Organisatie="Onbekende vzw"),  # 7: no such organisation
    row(Titel="Sterrenkijker", Sector="Astrologie, Cultuur"),  # 8: a theme the mapping does not know
    row(Titel="Klusjesman", Einddatum="31/02/2027"),  # 9: no such date
    row(Titel="Onverzekerd", Verzekerd="nee"),  # 10: the city publishes no vacancy without insurance
    row(Titel="Kok voor de buurtsoep"),  # 11: vacancies/kok-voor-de-buurtsoep.yaml exists
    None,  # 12: too few cells
    row(Titel="Voorlezer in de bib"),  # 13: the same title as row 2
    row(Titel="Onthaal", Contactpersoon="An\u202eneeteP"),  # 14: a right-to-left override
    row(Titel="Kassier", **{"E-mail contactpersoon": "=cmd|' /C calc'!A0"}),  # 15: not an address (a formula)
]
GOOD = {2: "voorlezer-in-de-bib", 3: "chauffeur-voor-met-buren"}
BAD = {  # row -> (column, words of the reason)
    4: ("Titel", "control character"),
    5: ("Beschrijving", "6000 characters long; at most 5000"),
    6: ("Korte beschrijving", "200000 characters long"),
    7: ("Organisatie", "not an organisation of the site"),
    8: ("Sector", "'Astrologie' not known"),
    9: ("Einddatum", "not a date"),
    10: ("Verzekerd", "insured is false"),
    11: ("Titel", "vacancies/kok-voor-de-buurtsoep.yaml already exists: not overwritten"),
    12: ("", "has 3 cells where the header has 18"),
    13: ("Titel", "vacancies/voorlezer-in-de-bib.yaml already exists"),
    14: ("Contactpersoon", "direction control"),
    15: ("E-mail contactpersoon", "is not an e-mail address"),
}
EXISTING = "# Geschreven door een redacteur: mag nooit overschreven worden.\n"


def sample_csv(delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER)
    for r in ROWS:
        writer.writerow(["Kapot", "rij", "hier"] if r is None else [r[h] for h in HEADER])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def project(tmp_path) -> Project:
    p = Project(tmp_path)
    p.write("content/organisations/leesclub.yaml", organisation(name="Leesclub De Uil"))
    p.write("content/organisations/buurtwerk.yaml", organisation(name="Buurtwerk Kermt"))
    path = p.write("vacancies/kok-voor-de-buurtsoep.yaml", vacancy(organisation="buurtwerk"))
    path.write_text(EXISTING + path.read_text(encoding="utf-8"), encoding="utf-8")
    (p.root / "deploy").mkdir()
    shutil.copy(REPO / DEFAULT_MAPPING, p.root / DEFAULT_MAPPING)  # as in a checkout of the project
    return p


def by_row(problems: list[Problem]) -> dict[int, list[Problem]]:
    out: dict[int, list[Problem]] = {}
    for p in problems:
        out.setdefault(p.row, []).append(p)
    return out


def test_good_rows_become_files_that_pass_check(project):
    outcome = import_csv(sample_csv(), "vacaturebank.csv", project.root, load_mapping(project.root / DEFAULT_MAPPING),
                         TODAY)
    assert sorted(p.stem for p in outcome.written) == sorted(GOOD.values())
    assert project.check() == [], "the imported files do not pass 'hasselthelpt check'"
    data = yaml.safe_load((project.root / "vacancies" / "voorlezer-in-de-bib.yaml").read_text(encoding="utf-8"))
    assert data["organisation"] == "leesclub"  # found by its name
    assert data["themes"] == ["cultuur-en-erfgoed", "jeugd"]
    assert data["kind"] == "structureel" and data["when"] == ["weekdag", "weekend"]
    assert data["dutch_level"] == "basis" and data["expenses"] == "geen"
    assert data["place"] == {"address": "Kerkstraat 1, 3500 Hasselt", "deelgemeente": "kermt"}
    assert data["description"] == "Je leest voor.\nElke woensdag, **met koffie**."
    assert data["publish_from"] == TODAY and data["valid_through"] == dt.date(2027, 12, 31)
    assert data["insured"] is True and data["mileage_allowance"] is False
    hostile = yaml.safe_load((project.root / "vacancies" / "chauffeur-voor-met-buren.yaml").read_text("utf-8"))
    assert hostile["title"] == 'Chauffeur <b>voor</b> & met "buren"', "the title is kept as text, as typed"
    assert hostile["kind"] == "occasioneel" and hostile["themes"] == ["zorg-en-welzijn"]
    # The HTML in the description is kept as text (the site shows it as text), and the import says so.
    warned = {p.row for p in outcome.warnings}
    assert warned == {3}
    assert "Intern nummer" in " ".join(outcome.notes), "a column nothing reads is not mentioned"


def test_every_bad_row_is_reported_with_its_column_and_reason(project):
    outcome = import_csv(sample_csv(), "vacaturebank.csv", project.root, load_mapping(project.root / DEFAULT_MAPPING),
                         TODAY)
    found = by_row(outcome.problems)
    assert set(found) == set(BAD), f"rows reported: {sorted(found)}"
    for number, (column, words) in BAD.items():
        assert any(p.column == column and words in p.reason for p in found[number]), \
            f"row {number}: expected column {column!r} with {words!r}, got {[str(p) for p in found[number]]}"
    assert outcome.failed_rows == sorted(BAD)
    # Reasons quote a cell briefly, with invisible characters shown: a huge or hostile cell cannot flood the report.
    assert all(len(str(p)) < 600 for p in outcome.problems)
    assert "\x07" not in "".join(map(str, outcome.problems)) and "\u202e" not in "".join(map(str, outcome.problems))


def test_an_existing_file_is_never_overwritten(project):
    path = project.root / "vacancies" / "kok-voor-de-buurtsoep.yaml"
    before = path.read_bytes()
    import_csv(sample_csv(), "vacaturebank.csv", project.root, load_mapping(project.root / DEFAULT_MAPPING), TODAY)
    assert path.read_bytes() == before
    # and a second import of the same file writes nothing new: each good row's file now exists
    again = import_csv(sample_csv(), "vacaturebank.csv", project.root,
                       load_mapping(project.root / DEFAULT_MAPPING), TODAY)
    assert again.written == []
    assert {2, 3} <= set(by_row(again.problems))


def test_the_command_reports_and_exits_1_with_bad_rows(project, tmp_path, capsys):
    source = tmp_path / "export.csv"
    source.write_bytes(sample_csv(","))  # a comma-separated export: the separator is recognised
    assert main(["--project", str(project.root), "import", str(source), "--dry-run", "--today", "2026-11-27"]) == 1
    captured = capsys.readouterr()
    assert not (project.root / "vacancies" / "voorlezer-in-de-bib.yaml").exists(), "--dry-run wrote a file"
    assert "Would write vacancies/voorlezer-in-de-bib.yaml" in captured.out
    assert "row 7, column 'Organisatie': 'Onbekende vzw' is not an organisation" in captured.err
    assert "12 row(s) not imported (rows 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)" in captured.out
    problems = tmp_path / "problemen.csv"
    assert main(["--project", str(project.root), "import", str(source), "--today", "2026-11-27", "--problems",
                 str(problems)]) == 1
    assert (project.root / "vacancies" / "voorlezer-in-de-bib.yaml").is_file()
    listed = list(csv.reader(io.StringIO(problems.read_text(encoding="utf-8-sig"))))
    assert listed[0] == ["rij", "kolom", "reden"]
    assert {int(r[0]) for r in listed[1:]} == set(BAD)
    assert ["7", "Organisatie"] in [r[:2] for r in listed[1:]]
    assert project.check() == []


def test_a_windows_spreadsheet_export_is_read(project, tmp_path):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # line ends \r\n, as spreadsheets on Windows write them
    writer.writerows([HEADER, [row(Titel="Café-uitbater", Beschrijving="Één keer per week.")[h] for h in HEADER]])
    text = out.getvalue()
    outcome = import_csv(text.encode("cp1252"), "export.csv", project.root,
                         load_mapping(project.root / DEFAULT_MAPPING), TODAY)
    assert [p.stem for p in outcome.written] == ["cafe-uitbater"], [str(p) for p in outcome.problems]
    assert "Windows-1252" in " ".join(outcome.notes)
    written = yaml.safe_load(outcome.written[0].read_text(encoding="utf-8"))
    assert written["title"] == "Café-uitbater" and written["description"] == "Één keer per week."


def test_a_mapping_of_your_own(project, tmp_path):
    """Another bank's columns, a location column, and the bank's own words for a theme."""
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump({
        "delimiter": ",",
        "columns": {"name": "title", "org": "organisation", "teaser": "summary", "text": "description",
                    "category": "themes", "type": "kind", "hours": "time_commitment", "moments": "when",
                    "where": "location", "language": "dutch_level", "costs": "expenses", "km": "mileage_allowance",
                    "insurance": "insured", "contact": "contact.name", "phone": "contact.phone",
                    "until": "valid_through"},
        "values": {"themes": {"Senioren": "zorg-en-welzijn"}, "location": {"Online": "thuis"}},
        "defaults": {"dutch_level": "geen"},
    }), encoding="utf-8")
    text = ("name,org,teaser,text,category,type,hours,moments,where,language,costs,km,insurance,contact,phone,until\n"
            "Telefoonpeter,Buurtwerk Kermt,Bel een oudere.,Je belt.,Senioren,structureel,1 uur,avond,Online,,geen,"
            "nee,ja,Bart,011 22 33 44,2027-01-31\n")
    outcome = import_csv(text.encode(), "bank.csv", project.root, load_mapping(mapping), TODAY)
    assert [p.stem for p in outcome.written] == ["telefoonpeter"], [str(p) for p in outcome.problems]
    data = yaml.safe_load(outcome.written[0].read_text(encoding="utf-8"))
    assert data["location"] == "thuis" and "place" not in data and data["dutch_level"] == "geen"
    assert data["themes"] == ["zorg-en-welzijn"] and data["contact"] == {"name": "Bart", "phone": "011 22 33 44"}
    assert project.check() == []


@pytest.mark.parametrize("broken, words", [
    ({"columns": {"Titel": "titel"}}, "'titel' is not a vacancy field"),
    ({"columns": {"A": "title", "B": "title"}}, "more than one column fills title"),
    ({"columns": {"A": "title"}, "values": {"themes": {"Zorg": "zorg"}}}, "'Zorg' maps to 'zorg'"),
    ({"columns": {"A": "title"}, "extra": 1}, "unknown key(s) extra"),
    ({"colums": {"A": "title"}}, "needs 'columns:'"),
])
def test_a_broken_mapping_imports_nothing(tmp_path, broken, words):
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(MappingError, match=None) as raised:
        load_mapping(path)
    assert words in str(raised.value)


def test_the_default_mapping_names_only_schema_fields_and_values():
    from hasselthelpt.vacancy_import import FIELDS

    mapping = load_mapping(REPO / DEFAULT_MAPPING)
    assert set(mapping.columns.values()) <= set(FIELDS)
    required = {f.name for f in CONTENT_TYPES["vacancy"].fields if f.required} - {"publish_from"}
    mapped = {t.split(".")[0] for t in mapping.columns.values()}
    assert required <= mapped, f"required fields without a column: {required - mapped}"

