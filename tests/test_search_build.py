"""The build's side of search and the matcher (hasselthelpt/outputs/search.py): which pages go into the Pagefind index with
which filters, sort keys and facts, the bundle the build leaves, the matcher's data, and the two pages with their
no-JavaScript fallbacks. The browser side is in tests/browser/test_browser_search.py and test_browser_matcher.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hh_testing import html, organisation, story, vacancy
from hasselthelpt.content.search_filters import age_groups, age_label, filters_of
from hasselthelpt.outputs import matcher, search

FAR = dt.date(2099, 12, 31)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from hh_testing import Project

    p = Project(tmp_path_factory.mktemp("search"))
    p.write("content/organisations/buurtwerk.yaml", organisation(name="Buurtwerk Kermt", deelgemeente="kermt",
                                                                themes=["buurt-en-samenleven", "jeugd"]))
    p.write("vacancies/kok.yaml", vacancy(valid_through=FAR, min_age=14, wheelchair_accessible=True,
                                          when=["weekdag", "avond"]))
    p.write("vacancies/chauffeur.yaml", vacancy(title="Chauffeur", themes=["zorg-en-welzijn"], talents=["rijden"],
                                                kind="occasioneel", min_age=21, dutch_level="vlot",
                                                publish_from=dt.date(2026, 11, 20), valid_through=FAR,
                                                place={"address": "Markt 1, 3500 Hasselt", "deelgemeente": "kiewit"}))
    p.write("vacancies/oud.yaml", vacancy(title="Oude vacature", publish_from=dt.date(2020, 1, 1),
                                          valid_through=dt.date(2020, 12, 31)))
    p.write("vacancies/klad.yaml", vacancy(title="Klad", status="draft", valid_through=FAR))
    p.write("vacancies/intern.yaml", vacancy(title="Intern", internal=True, valid_through=FAR))
    p.photo("images/stories/foto.jpg")
    p.write("content/stories/samen.md", story(themes=["jeugd"]), "Een verhaal over **soep**.\n")
    return p, p.build(production=True)


def pagefind_entry(output) -> dict:
    return json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def test_age_groups_are_exact_for_every_minimum_age():
    assert age_groups([]) == [(16, None)]
    groups = age_groups([12, 18, 16, 21, 18])
    assert groups == [(12, 15), (16, 17), (18, 20), (21, None)]
    assert [age_label(*g) for g in groups] == ["12 tot 15 jaar", "16 of 17 jaar", "18 tot 20 jaar", "21 jaar of ouder"]
    assert age_label(17, 17) == "17 jaar"
    for min_age in (12, 16, 18, 21):  # a vacancy is in a group when everyone in it is old enough
        values = {v for k, v in filters_of(_vacancy_item(min_age), groups) if k == "leeftijd"}
        assert values == {str(low) for low, _ in groups if low >= min_age}


def _vacancy_item(min_age: int):
    from hasselthelpt.content.loading import Item

    data = vacancy(min_age=min_age, wheelchair_accessible=False)
    return Item("vacancy", "v", "vacancies/v.yaml", data)


def test_only_open_public_vacancies_organisations_and_stories_are_indexed(built):
    _, output = built
    assert pagefind_entry(output)["languages"]["nl"]["page_count"] == 2 + 1 + 1
    for rel in ("vacatures/kok/", "vacatures/chauffeur/", "organisaties/buurtwerk/", "verhalen/samen/"):
        assert html(output, rel).find(attrs={"data-pagefind-body": True}), rel
    for rel in ("vacatures/oud/", "vacatures/", "vacatures/thema/jeugd/", "", "zoeken/", "matcher/", "agenda/"):
        assert not html(output, rel).find(attrs={"data-pagefind-body": True}), rel


def test_pages_carry_their_filters_sort_keys_and_facts(built):
    _, output = built
    soup = html(output, "vacatures/kok/")
    body = soup.find(attrs={"data-pagefind-body": True})
    pairs = sorted(tuple(e["data-pagefind-filter"].split(":", 1)) for e in body.select("[data-pagefind-filter]"))
    assert pairs == sorted([("type", "vacature"), ("thema", "buurt-en-samenleven"), ("deelgemeente", "kermt"),
                            ("soort", "structureel"), ("wanneer", "weekdag"), ("wanneer", "avond"),
                            ("nederlands", "basis"), ("leeftijd", "14"), ("leeftijd", "16"), ("leeftijd", "21"),
                            ("rolstoel", "ja")])
    sorts = {e["data-pagefind-sort"] for e in body.select("[data-pagefind-sort]")}
    assert sorts == {"nieuw:2026-10-01", "sluit:2099-12-31"}
    meta = {e["data-pagefind-meta"].split(":")[0]: e for e in body.select("[data-pagefind-meta]")}
    assert meta["organisatie"].get_text(strip=True) == "Buurtwerk Kermt"
    assert meta["samenvatting"].get_text(strip=True) == "Kook mee."
    assert meta["tijd"].get_text(strip=True) == "3 uur per week"
    assert body["data-pagefind-meta"] == "sluit:2099-12-31"
    # Every indexed page carries the word that lists them all (an empty search would fetch the whole index).
    carrier = body.select_one("[data-pagefind-index-attrs]")
    assert carrier["data-pagefind-index-attrs"] == "data-all" and carrier["data-all"] == search.SEARCH_ALL
    assert carrier.has_attr("hidden")
    assert html(output, "zoeken/").select_one("form[data-hh-search]")["data-all"] == search.SEARCH_ALL
    # The form and the contact are not searchable text.
    assert body.select_one("#aanmelden")["data-pagefind-ignore"] == ""
    org = html(output, "organisaties/buurtwerk/").find(attrs={"data-pagefind-body": True})
    assert sorted(e["data-pagefind-filter"] for e in org.select("[data-pagefind-filter]")) == \
        ["deelgemeente:kermt", "thema:buurt-en-samenleven", "thema:jeugd", "type:organisatie"]
    st = html(output, "verhalen/samen/").find(attrs={"data-pagefind-body": True})
    assert {e["data-pagefind-sort"] for e in st.select("[data-pagefind-sort]")} == {"nieuw:2026-11-01"}


def test_the_bundle_keeps_only_what_the_search_page_loads(built):
    _, output = built
    bundle = output / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "wasm.nl.pagefind").is_file()
    for name in search.PAGEFIND_UNUSED:
        assert not (bundle / name).exists(), name


def test_matcher_data_holds_the_open_public_vacancies(built):
    project, output = built
    data = json.loads((output / search.MATCHER_DATA).read_text(encoding="utf-8"))
    assert [f.slug for f in matcher.features_from_data(data)] == ["chauffeur", "kok"]
    assert data["weights"] == matcher.WEIGHTS
    kok = {f.slug: f for f in matcher.features_from_data(data)}["kok"]
    assert (kok.organisation, kok.min_age, kok.wheelchair, kok.when) == ("Buurtwerk Kermt", 14, True,
                                                                         ("weekdag", "avond"))


def test_search_page_has_real_controls_and_a_fallback(built):
    _, output = built
    soup = html(output, "zoeken/")
    form = soup.select_one("form[data-hh-search]")
    assert form.has_attr("hidden"), "without JavaScript the form stays hidden"
    keys = [f["data-filter"] for f in form.select("fieldset[data-filter]")]
    assert keys == ["type", "thema", "deelgemeente", "soort", "wanneer", "nederlands", "leeftijd", "rolstoel"]
    for fieldset in form.select("fieldset[data-filter]"):
        assert fieldset.legend.get_text(strip=True)
        for control in fieldset.select("input"):
            assert control["type"] in ("checkbox", "radio")
            assert soup.find("label", attrs={"for": control["id"]}), control
    ages = [i["value"] for i in form.select("input[name=leeftijd]")]
    assert ages == ["", "14", "16", "21"]  # open public vacancies: 14 and 21 (and 16, the default)
    status = form.select_one("[data-status]")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    fallback = soup.select_one("[data-fallback]")
    links = {a["href"] for a in fallback.find_all("a")}
    assert any(h.endswith("vacatures/thema/buurt-en-samenleven/") for h in links), links
    assert "JavaScript" in fallback.get_text()


def test_matcher_page_works_without_network_and_has_a_fallback(built):
    _, output = built
    soup = html(output, "matcher/")
    form = soup.select_one("form[data-hh-matcher]")
    assert form.has_attr("hidden") and not form.get("action") and not form.get("method")
    names = {i["name"] for i in form.select("input")}
    assert names == {"themes", "talents", "when", "places", "dutch", "age", "wheelchair"}
    fallback = soup.select_one("[data-fallback]")
    text = fallback.get_text(" ", strip=True)
    assert "JavaScript" in text and "afspraak" in text
    assert any(a["href"].endswith("afspraak/") for a in fallback.find_all("a"))
    offline = soup.select_one("aside[aria-labelledby=niet-online]")
    assert "011" in offline.get_text() and offline.find("a", href=lambda h: h and h.endswith("agenda/"))
    appointment = soup.select_one("[data-appointment] form[data-hh-form]")
    assert appointment.select_one("input[name=form]")["value"] == "afspraak"


def test_item_pages_named_zoeken_or_matcher_are_refused(project):
    from hh_testing import page

    project.write("content/pages/zoeken.md", page(), "Tekst.\n")
    assert any("zoeken" in str(e) for e in project.check())


def test_unchanged_pages_are_not_indexed_again(built, tmp_path):
    _, output = built
    cache = tmp_path / "cache"
    entry = output / "pagefind" / "pagefind-entry.json"
    search.run_pagefind(output, cache)
    before = {p: p.stat().st_mtime_ns for p in (output / "pagefind").rglob("*") if p.is_file()}
    search.run_pagefind(output, cache)
    assert {p: p.stat().st_mtime_ns for p in (output / "pagefind").rglob("*") if p.is_file()} == before
    page = output / "vacatures" / "kok" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Kook mee.", "Kook elke dag mee."), encoding="utf-8")
    search.run_pagefind(output, cache)
    assert entry.stat().st_mtime_ns != before[entry]
