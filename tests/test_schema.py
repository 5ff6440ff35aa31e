"""hasselthelpt.content.schema: field checks, cleaned values, and the JSON Schemas for editors."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
import yaml

from hh_testing import REPO, event, organisation, vacancy
from hasselthelpt import cli
from hasselthelpt.content.loading import split_front_matter
from hasselthelpt.content.schema import CONTENT_TYPES, DEELGEMEENTEN, KINDS, check_mapping, json_schema

VACANCY = CONTENT_TYPES["vacancy"].fields
EVENT = CONTENT_TYPES["event"].fields


def problems_of(fields, data) -> dict[str, tuple[str, str]]:
    """{field path: (problem, fix)}; fails when a field path is reported twice (it would hide one)."""
    _, problems = check_mapping(fields, data)
    paths = [path for path, _ in problems]
    assert len(paths) == len(set(paths)), problems
    return dict(problems)


def test_minimal_content_is_valid():
    assert problems_of(VACANCY, vacancy()) == {}
    assert problems_of(CONTENT_TYPES["organisation"].fields, organisation()) == {}
    assert problems_of(EVENT, event()) == {}


@pytest.mark.parametrize("name", ["title", "organisation", "themes", "publish_from", "insured"])
def test_missing_required_field(name):
    data = vacancy()
    del data[name]
    problems = problems_of(VACANCY, data)
    assert list(problems) == [name]
    what, fix = problems[name]
    assert "missing" in what
    assert fix == CONTENT_TYPES["vacancy"].field(name).help


def test_empty_value_counts_as_missing():
    problems = problems_of(VACANCY, vacancy(title="", themes=[]))
    assert set(problems) == {"title", "themes"}


def test_missing_sub_field_is_named_with_its_path():
    data = vacancy()
    data["place"] = {"address": "Kerkstraat 1"}
    assert list(problems_of(VACANCY, data)) == ["place.deelgemeente"]


@pytest.mark.parametrize("key, suggestion", [("valid_until", "valid_through"), ("titel", "title"),
                                              ("publish_to", "publish_from")])
def test_unknown_key_suggests_a_known_one(key, suggestion):
    problems = problems_of(VACANCY, vacancy(**{key: "x"}))
    what, fix = problems[key]
    assert "not a known field" in what
    assert suggestion in fix


def test_unknown_sub_key_is_named_with_its_path():
    data = vacancy()
    data["place"] = {**data["place"], "adres": "Kerkstraat 1"}
    assert "place.adres" in problems_of(VACANCY, data)


@pytest.mark.parametrize("field_name, value, words", [
    ("title", 123, "text"),
    ("summary", ["a", "b"], "text"),
    ("min_age", "18", "whole number"),
    ("min_age", 17.5, "whole number"),
    ("min_age", True, "whole number"),
    ("volunteers_needed", "drie", "whole number"),
    ("insured", "ja", "true or false"),
    ("mileage_allowance", 1, "true or false"),
    ("publish_from", "2026-13-01", "not a date"),
    ("publish_from", "1 oktober 2026", "not a date"),
    ("publish_from", dt.datetime(2026, 10, 1, 9, 0), "not a date"),
    ("publish_from", 20261001, "not a date"),
    ("kind", "vast", "not allowed"),
    ("dutch_level", "NL", "not allowed"),
    ("themes", ["sport"], "not allowed"),
    ("themes", "jeugd", "list"),
    ("organisation", "Stad Hasselt", "not a file name"),
])
def test_wrong_value(field_name, value, words):
    problems = problems_of(VACANCY, vacancy(**{field_name: value}))
    assert list(problems) == [field_name]
    what, fix = problems[field_name]
    assert words in what
    assert fix.strip()


@pytest.mark.parametrize("value, ok", [(11, False), (12, True), (99, True), (100, False)])
def test_int_range(value, ok):
    f = CONTENT_TYPES["vacancy"].field("min_age")
    assert (f.minimum, f.maximum) == (12, 99)
    problems = problems_of(VACANCY, vacancy(min_age=value))
    assert ("min_age" not in problems) == ok
    if not ok:
        assert str(f.minimum) in problems["min_age"][1] and str(f.maximum) in problems["min_age"][1]


@pytest.mark.parametrize("value, ok", [("2026-12-04 08:00", True), (dt.datetime(2026, 12, 4, 8, 0), True),
                                       ("2026-12-04", False), (dt.date(2026, 12, 4), False),
                                       ("2026-12-04T08:00", False), ("2026-12-04 25:00", False),
                                       ("04/12/2026 08:00", False)])
def test_datetime_format(value, ok):
    problems = problems_of(EVENT, event(start=value, end="2026-12-05 12:00"))
    assert ("start" not in problems) == ok
    if not ok:
        assert "YYYY-MM-DD HH:MM" in problems["start"][1]


def test_choice_fix_lists_the_vocabulary():
    _, fix = problems_of(VACANCY, vacancy(kind="vast"))["kind"]
    assert all(slug in fix for slug in KINDS)
    data = vacancy()
    data["place"] = {**data["place"], "deelgemeente": "genk"}
    what, fix = problems_of(VACANCY, data)["place.deelgemeente"]
    assert "genk" in what and all(slug in fix for slug in DEELGEMEENTEN)


def test_unknown_list_values_are_all_named():
    what, _ = problems_of(VACANCY, vacancy(themes=["jeugd", "sport", "muziek"]))["themes"]
    assert "sport" in what and "muziek" in what and "jeugd" not in what


@pytest.mark.parametrize("field_name, value", [("when", ["weekdag", "weekdag"]),
                                               ("themes", ["jeugd", "dieren", "jeugd"])])
def test_duplicate_list_value(field_name, value):
    what, _ = problems_of(VACANCY, vacancy(**{field_name: value}))[field_name]
    assert "twice" in what


@pytest.mark.parametrize("field_name", ["title", "summary", "time_commitment"])
def test_max_length(field_name):
    limit = CONTENT_TYPES["vacancy"].field(field_name).max_length
    assert problems_of(VACANCY, vacancy(**{field_name: "x" * limit})) == {}
    what, _ = problems_of(VACANCY, vacancy(**{field_name: "x" * (limit + 1)}))[field_name]
    assert str(limit) in what and str(limit + 1) in what


@pytest.mark.parametrize("field_name, value", [
    ("contact", {"name": "An", "email": "an(at)example.be"}),
    ("contact", {"name": "An", "phone": "bel me"}),
])
def test_contact_formats(field_name, value):
    problems = problems_of(VACANCY, vacancy(contact=value))
    assert len(problems) == 1 and next(iter(problems)).startswith("contact.")


def test_cleaned_values():
    data = vacancy(publish_from="2026-10-01", valid_through=dt.date(2027, 6, 30), title="  Kok  ")
    for key in ("min_age", "status", "featured", "internal", "talents"):
        data.pop(key, None)
    cleaned, problems = check_mapping(VACANCY, data)
    assert problems == []
    assert cleaned["publish_from"] == dt.date(2026, 10, 1)
    assert cleaned["valid_through"] == dt.date(2027, 6, 30)
    assert cleaned["title"] == "Kok"
    assert cleaned["min_age"] == 16
    assert cleaned["status"] == "published"
    assert cleaned["featured"] is False and cleaned["internal"] is False
    assert cleaned["talents"] == []
    assert cleaned["volunteers_needed"] is None
    # every field of the type is present in the cleaned data, so templates never miss a key
    assert set(cleaned) == {f.name for f in VACANCY}


def test_default_lists_are_not_shared():
    first, _ = check_mapping(VACANCY, vacancy(talents=[]))
    first["talents"].append("koken")
    second, _ = check_mapping(VACANCY, vacancy(talents=[]))
    assert second["talents"] == []


def test_cleaned_datetime():
    cleaned, problems = check_mapping(EVENT, event(start="2026-12-04 08:30"))
    assert problems == []
    assert cleaned["start"] == dt.datetime(2026, 12, 4, 8, 30)


# --- JSON Schema ---

def _jsonable(value):
    """YAML reads unquoted dates as date objects; editors (and JSON) see them as text."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema(name),
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("name", list(CONTENT_TYPES))
def test_json_schema_is_valid(name):
    schema = json_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]) == {f.name for f in CONTENT_TYPES[name].fields}
    assert set(schema["required"]) == {f.name for f in CONTENT_TYPES[name].fields if f.required}


def test_json_schema_accepts_and_rejects_like_check():
    v = validator("vacancy")
    assert list(v.iter_errors(_jsonable(vacancy()))) == []
    for broken in (vacancy(kind="vast"), vacancy(titel="x"), vacancy(when=["avond", "avond"]),
                   vacancy(summary="x" * 161), vacancy(min_age=10)):
        assert list(v.iter_errors(_jsonable(broken))), broken
    missing = vacancy()
    del missing["title"]
    assert list(v.iter_errors(_jsonable(missing)))
    e = validator("event")
    assert list(e.iter_errors(_jsonable(event()))) == []
    assert list(e.iter_errors(_jsonable(event(start="2026-12-04"))))


def sample_data(name: str) -> dict[str, object]:
    """{relative path: loaded YAML (front matter for .md)} of the repo's sample content of one type."""
    ctype = CONTENT_TYPES[name]
    folder = REPO / ctype.folder
    paths = sorted(p for p in folder.glob("*") if p.suffix in ((".md",) if ctype.suffix == ".md" else (".yaml", ".yml")))
    out = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if ctype.suffix == ".md":
            parts = split_front_matter(text)
            assert parts is not None, f"{path.relative_to(REPO)} has no front matter"
            text = parts[0]
        out[path.relative_to(REPO).as_posix()] = yaml.safe_load(text)
    return out


@pytest.mark.parametrize("name", list(CONTENT_TYPES))
def test_sample_content_validates_against_json_schema(name):
    files = sample_data(name)
    assert files, f"no sample {name} files in {CONTENT_TYPES[name].folder}/"
    v = validator(name)
    failures = {path: [e.message for e in v.iter_errors(_jsonable(data))] for path, data in files.items()}
    assert {path: errs for path, errs in failures.items() if errs} == {}


@pytest.mark.parametrize("name", list(CONTENT_TYPES))
def test_committed_schema_files_are_current(name):
    path = REPO / "schema" / f"{name}.schema.json"
    if not path.is_file():
        pytest.fail(f"{path.relative_to(REPO)} is missing: run `hasselthelpt schema` and commit the schema/ folder")
    assert json.loads(path.read_text(encoding="utf-8")) == json_schema(name), (
        f"{path.relative_to(REPO)} is out of date: run `hasselthelpt schema`")


def test_schema_command_writes_every_schema(project):
    assert cli.main(["--project", str(project.root), "schema"]) == 0
    written = sorted(p.name for p in (project.root / "schema").iterdir())
    assert written == sorted([f"{name}.schema.json" for name in CONTENT_TYPES] + ["screens.schema.json"])
    for name in CONTENT_TYPES:
        text = (project.root / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert json.loads(text) == json_schema(name)
