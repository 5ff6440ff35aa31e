"""Printed addresses (welcome pack, flyers, QR codes) must keep leading to a page: check and build enforce it."""

from hh_testing import html, organisation, vacancy


def _site(project, **vacancy_changes):
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/kok.yaml", vacancy(**vacancy_changes))


def test_printed_link_to_an_existing_page_passes(project):
    _site(project)
    project.write("content/printed-links.yaml", "- url: /vacatures/kok/\n  where: Flyer\n- url: /\n  where: Pack\n")
    assert project.check() == []


def test_printed_link_to_a_removed_vacancy_is_an_error_with_line_and_fix(project):
    _site(project)
    project.write("content/printed-links.yaml", "- url: /\n  where: Pack\n- url: /vacatures/weg/\n  where: Flyer p. 2\n")
    errors = project.check()
    assert len(errors) == 1
    error = errors[0]
    assert error.path == "content/printed-links.yaml" and error.line == 3
    assert "vacatures/weg/" in error.problem and "Flyer p. 2" in error.problem
    assert "redirects.yaml" in error.fix


def test_printed_link_to_a_draft_fails_because_production_lacks_it(project):
    _site(project, status="draft")
    project.write("content/printed-links.yaml", "- url: vacatures/kok\n  where: Flyer\n")
    assert [e.field for e in project.check()] == ["url"]


def test_expired_vacancy_keeps_a_printed_link_alive(project):
    _site(project, valid_through="2026-11-01", publish_from="2026-09-01")
    project.write("content/printed-links.yaml", "- url: /vacatures/kok/\n  where: Flyer\n")
    assert project.check() == []


def test_redirect_keeps_a_printed_link_alive_and_forwards(project):
    _site(project)
    project.write("content/printed-links.yaml", "- url: /vacatures/oud/\n  where: Flyer\n")
    project.write("content/redirects.yaml", "- from: /vacatures/oud/\n  to: /vacatures/kok/\n")
    assert project.check() == []
    page = html(project.build(), "vacatures/oud/")
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"].endswith("vacatures/kok/")
    assert page.find("a")["href"].endswith("vacatures/kok/")


def test_redirect_to_nowhere_and_redirect_over_a_page_are_errors(project):
    _site(project)
    project.write("content/redirects.yaml", "- from: /vacatures/kok/\n  to: /vacatures/nergens/\n")
    problems = sorted(e.problem for e in project.check())
    assert len(problems) == 2
    assert "still has its own page" in problems[0] and "not a page of the site" in problems[1]


def test_entry_without_where_is_reported(project):
    _site(project)
    project.write("content/printed-links.yaml", "- url: /\n")
    errors = project.check()
    assert [(e.path, e.field) for e in errors] == [("content/printed-links.yaml", "[0].where")]
