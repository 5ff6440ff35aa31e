"""Length limits and refused characters: one number per field in the schema, and the same number in `check`,
the JSON Schemas, the `new` templates and the forms; characters that can break outputs or disguise text are
refused with an error that names file, field and character."""

from __future__ import annotations

import re

import datetime as dt

import pytest

from hh_testing import event, every_field, organisation, page, story, vacancy
from hasselthelpt.content import characters
from hasselthelpt.content.newfile import new_file_text
from hasselthelpt.content.schema import (CONTENT_TYPES, EMAIL_LENGTH, NAME_LENGTH, PHONE_LENGTH, TEXT_KINDS,
    check_value, json_schema)
from hasselthelpt.endpoint.forms import FORMS, VACANCY_FIELDS, flat_fields

ORG = "content/organisations/buurtwerk.yaml"


def all_fields():
    for ctype in CONTENT_TYPES.values():
        yield from ((ctype.name, path, f) for path, f in every_field(ctype.fields))
        if ctype.body:
            yield ctype.name, ctype.body.name, ctype.body


TEXT_FIELDS = [(t, path, f) for t, path, f in all_fields() if f.kind in TEXT_KINDS]


@pytest.mark.parametrize("type_name, path, f", TEXT_FIELDS, ids=[f"{t}.{p}" for t, p, _ in TEXT_FIELDS])
def test_every_text_field_has_a_limit_that_check_enforces(type_name, path, f):
    assert f.max_length and f.max_length >= 24
    filler = "a" if f.kind != "slug" else "a-"
    longest = (filler * f.max_length)[:f.max_length].rstrip("-")
    assert not any("characters long" in problem for _, (problem, _) in check_value(f, longest)[1])
    [(_, (problem, fix))] = check_value(f, longest + "aa")[1]
    assert f"at most {f.max_length}" in problem and str(f.max_length) in fix


def test_lists_have_a_maximum_number_of_items():
    lists = [(t, path, f) for t, path, f in all_fields() if f.kind == "list"]
    assert lists and all(f.max_items for _, _, f in lists)
    translation = CONTENT_TYPES["page"].field("translations")
    item = {"lang": "en", "title": "Hi", "text": "Hallo\n"}
    assert check_value(translation, [item] * translation.max_items)[1] == []
    [(_, (problem, _))] = check_value(translation, [item] * (translation.max_items + 1))[1]
    assert f"at most {translation.max_items}" in problem


def _schema_at(schema: dict, path: str) -> dict:
    for part in path.split("."):
        schema = schema.get("items", schema)["properties"][part]
    return schema


@pytest.mark.parametrize("type_name", list(CONTENT_TYPES))
def test_json_schema_and_new_template_state_the_same_limits(type_name):
    ctype = CONTENT_TYPES[type_name]
    schema = json_schema(type_name)
    template = new_file_text(ctype, dt.date(2026, 11, 27))
    for path, f in every_field(ctype.fields):
        if f.kind in TEXT_KINDS:
            assert _schema_at(schema, path)["maxLength"] == f.max_length, path
            assert f"# {f.label} (" in template and f"at most {f.max_length} characters): {f.help}" in template
        if f.kind == "list":
            assert _schema_at(schema, path)["maxItems"] == f.max_items
            assert f"at most {f.max_items} items" in template
    if ctype.body:
        assert f"at most {ctype.body.max_length} characters" in template.split("\n---\n")[0]


def test_the_forms_take_their_limits_from_the_schema():
    vacancy_fields = dict(every_field(CONTENT_TYPES["vacancy"].fields))
    for form, fields in FORMS.items():
        for name, (f, _) in flat_fields(fields).items():
            if f.kind in TEXT_KINDS:
                assert f.max_length, f"{form}.{name}"
    for name, (f, _) in flat_fields(VACANCY_FIELDS).items():
        # the submission is checked with the vacancy content type itself (a list's row N: 'shifts.0.start')
        assert f is vacancy_fields[re.sub(r"\.\d+\.", ".", name)]
    for form in ("aanmelding", "afspraak"):
        flat = flat_fields(FORMS[form])
        assert (flat["name"][0].max_length, flat["email"][0].max_length, flat["phone"][0].max_length) == \
            (NAME_LENGTH, EMAIL_LENGTH, PHONE_LENGTH)
    assert flat_fields(FORMS["vacature"])["contact.name"][0].max_length == NAME_LENGTH


@pytest.mark.parametrize("type_name, rel, data, body, field_name, path", [
    ("vacancy", "vacancies/kok.yaml", vacancy(description="Een lange tekst. " * 400), None, "description",
     "description"),
    ("vacancy", "vacancies/kok.yaml", vacancy(contact={"name": "An " * 40, "email": "an@example.be"}), None,
     "contact.name", "contact.name"),
    ("organisation", ORG, organisation(website="https://www.hasselt.be/" + "a" * 500), None, "website", "website"),
    ("event", "content/events/markt.yaml", event(title="Markt " * 20), None, "title", "title"),
    ("story", "content/stories/koken.md", story(), "Tekst. " * 3000, "body", "body"),
    ("page", "content/pages/over.md", page(translations=[{"lang": "en", "title": "Hi " * 40, "text": "Hi.\n"}]),
     "Tekst.\n", "translations[0].title", "translations.title"),
])
def test_check_names_file_field_and_limit_of_a_too_long_text(project, type_name, rel, data, body, field_name, path):
    if rel != ORG:
        project.write(ORG, organisation())
    project.photo("images/stories/foto.jpg")
    project.write(rel, data, body)
    [error] = project.check()
    assert (error.path, error.field) == (rel, field_name)
    limit = {p: f for t, p, f in all_fields() if t == type_name}[path].max_length
    assert f"at most {limit} fit" in str(error) and rel in str(error) and field_name in str(error)


# --- Characters ---------------------------------------------------------------------------------------------

# character, what it is, refused in one-line fields, refused in Markdown
CHARACTERS = [
    ("\x00", "NUL", True, True),
    ("\x07", "bell (C0)", True, True),
    ("\x1b", "escape (C0)", True, True),
    ("\r", "carriage return", True, True),
    ("\x7f", "DEL", True, True),
    ("\x85", "NEL (C1)", True, True),
    ("\x9b", "CSI (C1)", True, True),
    ("\ud800", "lone surrogate", True, True),
    ("\ufffe", "noncharacter", True, True),
    ("\U0010ffff", "noncharacter", True, True),
    ("\t", "tab", True, False),
    ("\n", "line feed", True, False),
    ("\u2028", "line separator", True, False),
    ("\u2029", "paragraph separator", True, False),
    ("\u202e", "right-to-left override", True, False),
    ("\u2066", "left-to-right isolate", True, False),
    ("\u200b", "zero width space", True, False),
    ("\ufeff", "zero width no-break space", True, False),
    ("\u2060", "word joiner", True, False),
    ("\u200d", "zero width joiner (emoji, Indic scripts)", False, False),
    ("\u200c", "zero width non-joiner (Persian)", False, False),
    ("\u200f", "right-to-left mark", False, False),
    ("\u00ad", "soft hyphen", False, False),
    ("\u00a0", "no-break space", False, False),
    ("\ue000", "private use", False, False),
    ("\U0001f600", "emoji", False, False),
    ("\u0627", "Arabic letter", False, False),
]


@pytest.mark.parametrize("char, what, single_line, multiline", CHARACTERS, ids=[c[1] for c in CHARACTERS])
def test_refused_characters(char, what, single_line, multiline):
    title = CONTENT_TYPES["vacancy"].field("title")
    description = CONTENT_TYPES["vacancy"].field("description")
    for f, refused in ((title, single_line), (description, multiline)):
        problems = check_value(f, f"Kok{char}soep")[1]
        assert bool(problems) == refused, (f.name, problems)
        if refused:
            [(_, (problem, fix))] = problems
            assert f"U+{ord(char):04X}" in problem and "at character 4" in problem and fix


def test_check_names_file_field_and_character(project):
    project.write(ORG, organisation())
    path = project.write("vacancies/kok.yaml", vacancy(title="Kok \u202eeops\u202c"))
    [error] = project.check()
    assert (error.path, error.field) == ("vacancies/kok.yaml", "title")
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in error.problem and "direction" in error.problem
    assert error.line == next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("title"))


def test_a_line_break_around_a_one_line_text_is_not_an_error():
    """A YAML block scalar (`title: |`) ends in a line break, which the stored text does not keep."""
    title = CONTENT_TYPES["vacancy"].field("title")
    assert check_value(title, "Kok voor de buurtsoep\n") == ("Kok voor de buurtsoep", [])


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800", "x\ufffey", "a\x0bb\x0c"])
def test_xml_safe_leaves_what_lxml_accepts(text):
    from lxml import etree
    element = etree.Element("x")
    element.text = characters.xml_safe(text)
    assert etree.fromstring(etree.tostring(element)).text == "".join(c for c in text if c in "abxy")


def test_shown_values_are_short_and_visible():
    assert characters.shown("a" * 1000).endswith("…") and len(characters.shown("a" * 1000)) == 61
    assert characters.shown("a\u202eb") == "a\\u202eb"
    assert characters.shown(10 ** 5000) == "a very long number"
