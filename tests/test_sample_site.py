"""The repo's own sample content: valid, rich enough to show every part of the site, and it builds for production."""

from __future__ import annotations

import datetime as dt

import pytest

from hh_testing import REPO, TODAY
from hasselthelpt.content.facts import where_key
from hasselthelpt.content.loading import load_corpus
from hasselthelpt.content.schema import DUTCH_LEVELS, EXPENSES, KINDS, ORGANISATION_KINDS, THEMES, WHEN, WHERE

today = dt.date.fromisoformat(TODAY)

DIMENSIONS = {  # vocabulary, and the values a vacancy has in it
    "themes": (THEMES, lambda v: v.themes),
    "deelgemeente": (WHERE, lambda v: [where_key(v)]),  # the deelgemeenten, at home, in different places
    "kind": (KINDS, lambda v: [v.kind]),
    "when": (WHEN, lambda v: v.when),
    "dutch_level": (DUTCH_LEVELS, lambda v: [v.dutch_level]),
    "expenses": (EXPENSES, lambda v: [v.expenses]),
}
EVENT_KINDS_NEEDED = {"markt", "beurs", "netwerkmoment", "feest", "ontbijt"}
PAGES_NEEDED = {"over-hasselt-helpt", "voor-organisaties", "nieuwe-hasselaar", "privacy"}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(REPO)[0]


def is_public(item) -> bool:
    return not item.internal and item.status == "published"


def open_public(corpus) -> list:
    return [v for v in corpus.vacancies.values()
            if is_public(v) and v.publish_from <= today <= v.valid_through]


def test_sample_content_is_valid(sample_project):
    errors = sample_project.check()
    assert errors == [], "\n".join(map(str, errors))


@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_every_filter_value_is_used(corpus, dimension):
    vocabulary, values_of = DIMENSIONS[dimension]
    used = {value for v in open_public(corpus) for value in values_of(v)}
    assert set(vocabulary) - used == set(), f"no open public vacancy with these {dimension} values"


def test_organisations(corpus):
    orgs = corpus.organisations.values()
    assert len(orgs) >= 12
    assert {o.kind for o in orgs} == set(ORGANISATION_KINDS), "both city services and external organisations"


def test_vacancies(corpus):
    assert len(corpus.vacancies) >= 30
    assert len(open_public(corpus)) >= 24, "most sample vacancies are open on TODAY"
    assert any(v.internal for v in corpus.vacancies.values()), "an internal (staff-only) vacancy"
    assert any(v.valid_through < today for v in corpus.vacancies.values()), "an expired vacancy"


def test_featured_vacancies(corpus):
    assert len([v for v in open_public(corpus) if v.featured]) >= 6


def test_stories_have_photos_with_alt_text(corpus):
    stories = list(corpus.stories.values())
    assert len(stories) >= 6
    for s in stories:
        assert (REPO / "content" / s.image).is_file(), s.path
        assert s.image_alt.strip(), s.path


def test_event_kinds(corpus):
    kinds = {e.kind for e in corpus.events.values()}
    assert EVENT_KINDS_NEEDED - kinds == set()


def test_pages(corpus):
    assert PAGES_NEEDED - set(corpus.pages) == set()


def test_production_build(sample_project, corpus):
    """Built with Pelican's fatal-warnings mode: any warning fails the build. (Links: test_links.py.)"""
    out = sample_project.build(production=True)
    assert (out / "index.html").is_file()
    for v in corpus.vacancies.values():
        on_site = is_public(v) and v.publish_from <= today  # expired ones keep their page
        assert (out / "vacatures" / v.slug / "index.html").is_file() == on_site, v.slug
    for o in corpus.organisations:
        assert (out / "organisaties" / o / "index.html").is_file(), o
