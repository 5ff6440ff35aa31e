"""The publication rules, applied once (hasselthelpt/content/publication.py), on the sample content; and the endpoint's
light index, which must read the same items and fields as the full loader."""

import datetime as dt

import pytest

from hh_testing import REPO, Project, organisation, vacancy

from hasselthelpt.content.loading import load_corpus
from hasselthelpt.content.publication import (Publication, announced, is_live, is_open, is_preview, is_visible,
    takes_signups)
from hasselthelpt.content.reading import load_index

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(REPO)[0]


@pytest.fixture(scope="module")
def production(corpus):
    return Publication.of(corpus, TODAY, False)


@pytest.fixture(scope="module")
def development(corpus):
    return Publication.of(corpus, TODAY, True)


def slugs(items) -> set[str]:
    return {i.slug for i in items}


def test_the_sample_has_every_case(corpus, production, development):
    assert production.staff["vacancy"], "staff-only vacancies"
    assert development.previews, "drafts or future items"
    assert any(not is_open(v, TODAY) for v in corpus.vacancies.values()), "closed vacancies"


def test_production_shows_no_preview_and_development_marks_them(corpus, production, development):
    assert not production.previews
    for t, items in development.visible.items():
        shown = slugs(items)
        assert slugs(production.visible[t]) <= shown
        previews = {i.slug for i in items if i.path in development.previews}
        assert shown - slugs(production.visible[t]) == previews
        assert all(is_preview(i, TODAY) for i in items if i.slug in previews)


def test_channels_carry_the_same_live_items_in_every_build_mode(production, development):
    assert production.live == development.live and production.staff == development.staff


def test_live_items_are_public_open_and_visible_in_production(production):
    for t, items in production.live.items():
        assert slugs(items) <= slugs(production.visible[t])
        assert all(is_live(i, TODAY) and not i.internal for i in items)
    assert slugs(production.live["vacancy"]) == slugs(production.open_vacancies)


def test_staff_items_are_never_visible_or_public(corpus, development):
    staff = {(t, i.slug) for t, items in development.staff.items() for i in items}
    assert staff and all(corpus.of_type(t)[s].internal for t, s in staff)
    assert not staff & {(t, i.slug) for t, items in development.visible.items() for i in items}
    assert not staff & {(t, i.slug) for t, items in development.live.items() for i in items}


def test_feeds_carry_the_live_items_announced_by_today(production):
    for staff in (False, True):
        live = production.staff if staff else production.live
        for t, items in production.feed(staff).items():
            expected = [i for i in live[t] if announced(i) <= TODAY]
            assert items == expected
    assert any(announced(i) > TODAY for i in production.live["event"]), "an event announced later"


def test_public_screens_never_get_staff_items(production):
    for items in production.for_screens(False).values():
        assert not any(i.internal for i in items)
    staff_screen = production.for_screens(True)
    assert any(i.internal for items in staff_screen.values() for i in items)


def test_sign_ups_go_to_the_vacancies_the_site_lists_and_staff_ones(corpus, production):
    """The endpoint takes sign-ups for what is published and open; the site lists the public ones."""
    taking = {v.slug for v in corpus.vacancies.values() if takes_signups(v, TODAY)}
    assert slugs(production.open_vacancies) | slugs(production.staff["vacancy"]) == taking
    assert all(is_visible(v, TODAY, False) for v in production.open_vacancies)


def test_the_light_index_reads_the_same_fields_as_the_full_loader(corpus):
    index, errors = load_index(REPO)
    assert errors == []
    for type_name in ("vacancy", "organisation"):
        full, light = corpus.of_type(type_name), index.of_type(type_name)
        assert set(light) == set(full)
        for slug, item in light.items():
            assert item.data == full[slug].data and item.html == {}
            assert item.organisation_archived == full[slug].organisation_archived


def test_the_light_index_reads_a_changed_file_again_and_hands_out_copies(tmp_path):
    project = Project(tmp_path)
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/kok.yaml", vacancy(title="Kok"))
    first = load_index(project.root)[0].vacancies["kok"]
    first.data["title"] = "veranderd door wie het kreeg"
    assert load_index(project.root)[0].vacancies["kok"].data["title"] == "Kok"  # remembered, not shared
    project.write("vacancies/kok.yaml", vacancy(title="Kok en afwasser"))
    assert load_index(project.root)[0].vacancies["kok"].data["title"] == "Kok en afwasser"
    (project.root / "vacancies" / "kok.yaml").write_text("title: [\n", encoding="utf-8")
    index, errors = load_index(project.root)
    assert "kok" not in index.vacancies and errors and errors[0].path == "vacancies/kok.yaml"
