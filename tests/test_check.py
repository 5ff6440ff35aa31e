"""`hasselthelpt check`: every kind of broken content gives an error naming the file, field, line and fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from hh_testing import TODAY, event, organisation, page, story, vacancy
from hasselthelpt import cli

ORG = "content/organisations/buurtwerk.yaml"


def line_of(path: Path, key: str) -> int:
    """1-based line of the first line that starts (after indentation) with 'key:'."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith(f"{key}:"):
            return number
    raise AssertionError(f"{key} not in {path}")


def only_error(project, rel: str):
    """The one error check reports, which must be about file rel."""
    errors = project.check()
    assert len(errors) == 1, "\n".join(map(str, errors))
    error = errors[0]
    assert error.path == rel
    assert error.fix.strip() and error.problem.strip()
    assert rel in str(error)
    return error


@pytest.fixture
def proj(project):
    """A project with one valid organisation (slug 'buurtwerk', which the vacancy factory names)."""
    project.write(ORG, organisation())
    return project


def test_valid_content_has_no_errors(proj):
    proj.write("vacancies/kok.yaml", vacancy())
    proj.photo("images/stories/foto.jpg")
    proj.write("content/stories/koken.md", story(organisation="buurtwerk", vacancy="kok"), "Tekst.\n")
    proj.write("content/events/markt.yaml", event())
    proj.write("content/pages/over.md", page(), "Tekst.\n")
    assert proj.check() == []


def test_unknown_organisation(proj):
    path = proj.write("vacancies/kok.yaml", vacancy(organisation="bestaat-niet"))
    error = only_error(proj, "vacancies/kok.yaml")
    assert error.field == "organisation"
    assert "bestaat-niet" in error.problem
    assert error.line == line_of(path, "organisation")


def test_missing_image_file(proj):
    path = proj.write("vacancies/kok.yaml", vacancy(image="images/vacancies/kok.jpg", image_alt="Een kok"))
    error = only_error(proj, "vacancies/kok.yaml")
    assert error.field == "image"
    assert "images/vacancies/kok.jpg" in error.problem
    assert error.line == line_of(path, "image")


def test_story_photo_without_alt_text(proj):
    proj.photo("images/stories/foto.jpg")
    data = story()
    del data["image_alt"]
    proj.write("content/stories/koken.md", data, "Tekst.\n")
    error = only_error(proj, "content/stories/koken.md")
    assert error.field == "image_alt"


def test_vacancy_photo_without_alt_text(proj):
    proj.photo("images/vacancies/kok.jpg")
    proj.write("vacancies/kok.yaml", vacancy(image="images/vacancies/kok.jpg"))
    error = only_error(proj, "vacancies/kok.yaml")
    assert error.field == "image_alt"
    assert "photo" in error.problem


def test_bad_date_quoted(proj):
    path = proj.write("vacancies/kok.yaml", vacancy(publish_from="2026-13-01"))
    error = only_error(proj, "vacancies/kok.yaml")
    assert error.field == "publish_from"
    assert "2026-13-01" in error.problem
    assert error.line == line_of(path, "publish_from")


def test_bad_date_unquoted(proj):
    """An editor types the date without quotes; YAML then tries (and fails) to read it as a date."""
    path = proj.write("vacancies/kok.yaml", vacancy(publish_from=dt.date(2026, 10, 1)))
    path.write_text(path.read_text(encoding="utf-8").replace("publish_from: 2026-10-01", "publish_from: 2026-13-01"),
                    encoding="utf-8")
    error = only_error(proj, "vacancies/kok.yaml")
    assert error.field in ("publish_from", "")
    assert "2026-13-01" in str(error) or "date" in error.problem
    assert error.line == line_of(path, "publish_from")


def test_valid_through_before_publish_from(proj):
    path = proj.write("vacancies/kok.yaml", vacancy(publish_from=dt.date(2026, 10, 1),
                                                     valid_through=dt.date(2026, 9, 30)))
    error = only_error(proj, "vacancies/kok.yaml")
    assert error.field == "valid_through"
    assert error.line == line_of(path, "valid_through")


def test_duplicate_slug(proj):
    proj.write("vacancies/kok.yaml", vacancy())
    proj.write("vacancies/kok.yml", vacancy(title="Nog een kok"))
    errors = proj.check()
    assert len(errors) == 1, errors
    error = errors[0]
    other = {"vacancies/kok.yaml": "vacancies/kok.yml", "vacancies/kok.yml": "vacancies/kok.yaml"}
    assert error.path in other and other[error.path] in error.problem, "the error names both files"
    assert error.field == ""
    assert error.fix.strip()


def test_duplicate_slug_reported_even_when_one_file_is_broken(proj):
    """All errors at once: a broken kok.yaml must not hide that kok.yml has the same name."""
    proj.write("vacancies/kok.yaml", vacancy(kind="vast"))
    proj.write("vacancies/kok.yml", vacancy(title="Nog een kok"))
    errors = proj.check()
    assert any(e.field == "kind" for e in errors), errors
    assert any("kok.yml" in e.path + e.problem and "kok.yaml" in e.path + e.problem for e in errors), (
        "\n".join(map(str, errors)))


def test_file_name_is_not_a_slug(proj):
    proj.write("vacancies/Kok Soep.yaml", vacancy())
    error = only_error(proj, "vacancies/Kok Soep.yaml")
    assert error.field == ""
    assert "Kok Soep" in error.problem


def test_expired_but_featured(proj):
    yesterday = dt.date.fromisoformat(TODAY) - dt.timedelta(days=1)
    path = proj.write("vacancies/kok.yaml", vacancy(featured=True, valid_through=yesterday))
    error = only_error(proj, "vacancies/kok.yaml")
    assert error.field == "featured"
    assert yesterday.isoformat() in error.problem
    assert error.line == line_of(path, "featured")
    # the same file is fine on the last day it is open
    assert proj.check(today=yesterday.isoformat()) == []


def test_event_end_before_start(proj):
    path = proj.write("content/events/markt.yaml", event(start="2026-12-04 12:00", end="2026-12-04 08:00"))
    error = only_error(proj, "content/events/markt.yaml")
    assert error.field == "end"
    assert error.line == line_of(path, "end")


@pytest.mark.parametrize("rel, first_line", [("vacancies/kok.yaml", 1), ("content/stories/koken.md", 2)])
def test_invalid_yaml(proj, rel, first_line):
    proj.photo("images/stories/foto.jpg")
    fields = vacancy() if rel.endswith(".yaml") else story()
    text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False).splitlines()
    text.insert(2, "summary: Kook mee: elke dag")  # a second ':' in an unquoted value
    text = "\n".join(text) + "\n"
    proj.write(rel, f"---\n{text}---\nTekst.\n" if rel.endswith(".md") else text)
    error = only_error(proj, rel)
    assert error.field == ""
    assert "YAML" in error.problem
    assert error.line == 3 + first_line - 1


def test_story_without_front_matter(proj):
    proj.write("content/stories/koken.md", "# Samen koken\n\nTekst zonder velden.\n")
    error = only_error(proj, "content/stories/koken.md")
    assert error.field == ""
    assert "front matter" in error.problem
    assert error.line == 1


@pytest.mark.parametrize("rel, factory", [("vacancies/kok.yaml", vacancy), (ORG, organisation)])
def test_contact_without_email_or_phone(proj, rel, factory):
    path = proj.write(rel, factory(contact={"name": "An"}))
    error = only_error(proj, rel)
    assert error.field == "contact"
    assert error.line == line_of(path, "contact")


def test_reserved_page_name(proj):
    proj.write("content/pages/vacatures.md", page(title="Vacatures"), "Tekst.\n")
    error = only_error(proj, "content/pages/vacatures.md")
    assert error.field == ""
    assert "vacatures" in error.problem


def test_all_errors_reported_at_once(proj):
    bad_vacancy = proj.write("vacancies/kok.yaml", vacancy(kind="vast", dutch_level="NL"))
    bad_event = proj.write("content/events/markt.yaml", event(start="morgen"))
    proj.write("vacancies/goed.yaml", vacancy())
    errors = proj.check()
    found = {(e.path, e.field, e.line) for e in errors}
    assert found == {("vacancies/kok.yaml", "kind", line_of(bad_vacancy, "kind")),
                     ("vacancies/kok.yaml", "dutch_level", line_of(bad_vacancy, "dutch_level")),
                     ("content/events/markt.yaml", "start", line_of(bad_event, "start"))}


def test_cli_check_reports_errors(proj, capsys):
    proj.write("vacancies/kok.yaml", vacancy(organisation="bestaat-niet"))
    proj.write("content/events/markt.yaml", event(kind="concert"))
    assert cli.main(["--project", str(proj.root), "check"]) == 1
    captured = capsys.readouterr()
    assert "vacancies/kok.yaml" in captured.err and "bestaat-niet" in captured.err
    assert "content/events/markt.yaml" in captured.err and "concert" in captured.err
    assert "All content is valid" not in captured.out


def test_cli_check_on_valid_content(proj, capsys):
    proj.write("vacancies/kok.yaml", vacancy())
    assert cli.main(["--project", str(proj.root), "check"]) == 0
    captured = capsys.readouterr()
    assert "All content is valid" in captured.out
    assert captured.err == ""


# --- One error per cause: a broken file is reported once, not again by every file that names it ---

def test_a_broken_organisation_does_not_make_its_vacancies_and_stories_wrong(project):
    project.write(ORG, organisation(kind="vereniging"))  # one bad field
    project.write("vacancies/kok.yaml", vacancy())
    project.write("vacancies/chauffeur.yaml", vacancy(title="Chauffeur"))
    project.photo("images/stories/foto.jpg")
    project.write("content/stories/koken.md", story(organisation="buurtwerk", vacancy="kok"), "Tekst.\n")
    [error] = project.check()
    assert (error.path, error.field) == (ORG, "kind")


def test_a_broken_vacancy_does_not_make_its_story_wrong(proj):
    proj.write("vacancies/kok.yaml", vacancy(insured="misschien"))
    proj.photo("images/stories/foto.jpg")
    proj.write("content/stories/koken.md", story(vacancy="kok"), "Tekst.\n")
    [error] = proj.check()
    assert (error.path, error.field) == ("vacancies/kok.yaml", "insured")


@pytest.mark.parametrize("broken", ["kind: [", "\x00", "name: x\n" * 10, "- een lijst\n"])
def test_any_unreadable_organisation_counts_as_existing(project, broken):
    project.write(ORG, broken)
    project.write("vacancies/kok.yaml", vacancy())
    errors = project.check()
    assert {e.path for e in errors} == {ORG}, "\n".join(map(str, errors))


def test_a_reference_to_a_file_that_does_not_exist_is_still_an_error(project):
    project.write(ORG, organisation(kind="vereniging"))
    project.write("vacancies/kok.yaml", vacancy(organisation="bestaat-niet"))
    assert sorted((e.path, e.field) for e in project.check()) == [(ORG, "kind"),
                                                                  ("vacancies/kok.yaml", "organisation")]


# --- No file can make check crash or hang: each gives an error naming the file ---

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)) + "title: *i\n"

HOSTILE_FILES = [  # id, file text, words of the problem
    ("billion-laughs", BOMB, "alias"),
    ("recursive-alias", "title: &a [*a]\n", "alias"),
    ("deep-flow", "title: " + "[" * 500 + "]" * 500 + "\n", "levels deep"),
    ("deeper-than-yaml-allows", "title: " + "[" * 5000 + "]" * 5000 + "\n", "not valid YAML"),
    ("huge-integer", "min_age: " + "9" * 5000 + "\n", "number that is too long"),
    ("bad-timestamp-tag", "publish_from: !!timestamp 2026-13-01\n", "YAML cannot read"),
    ("python-tag", "title: !!python/object/apply:os.system [ls]\n", "not valid YAML"),
    ("nul-byte", "title: Kok\x00\n", "not valid YAML"),
    ("escaped-nul", 'title: "Kok\\0"\n', "control character"),
    ("binary", "title: !!binary aGVsbG8=\n", "must be text, not bytes"),
    ("set", "themes: !!set {jeugd, dieren}\n", "must be a list"),
    ("mapping-as-choice", "kind: {a: b}\n", "is not allowed"),
    ("list-in-choices", "themes: [[jeugd]]\n", "not allowed"),
    ("list-as-datetime", "publish_from: [2026]\n", "is not a date"),
    ("huge-key", "? " + "a" * 100_000 + "\n: 1\n", "is not a known field"),
]


@pytest.mark.parametrize("text, words", [h[1:] for h in HOSTILE_FILES], ids=[h[0] for h in HOSTILE_FILES])
def test_hostile_yaml_gives_an_error_not_a_traceback(proj, text, words):
    import time
    rel = "vacancies/kok.yaml"
    proj.write(rel, text)
    started = time.monotonic()
    errors = proj.check()
    assert time.monotonic() - started < 10
    assert errors and all(e.path == rel for e in errors)
    assert any(words in e.problem for e in errors), "\n".join(map(str, errors))
    assert all(len(str(e)) < 1000 for e in errors)


def test_a_file_of_ten_megabytes_is_refused_before_it_is_read(proj):
    rel = "vacancies/kok.yaml"
    text = yaml.safe_dump(vacancy(description="LONG"))
    proj.write(rel, text.replace("LONG", "x" * (10_000_000 - len(text) + 4)))
    [error] = proj.check()
    assert (error.path, error.field) == (rel, "")
    assert "is 10.0 MB" in error.problem and "at most 1 MB" in error.problem


def test_markdown_nested_too_deeply_for_the_renderer(proj):
    body = "\n".join("\t" * i + "- x" for i in range(260))  # within the page limit, beyond Markdown's recursion
    proj.write("content/pages/over.md", page(), body)
    [error] = proj.check()
    assert (error.path, error.field) == ("content/pages/over.md", "body")
    assert "too deeply" in error.problem
