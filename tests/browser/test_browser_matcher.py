"""The matcher (/matcher/) in Chromium: personas get the expected top results with the reasons Python gives, the
browser's formula equals Python's, answers stay in the browser (localStorage at most, until "wis"), the
appointment request from the matcher reaches a running endpoint and is stored, axe-core, and no JavaScript."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import sys
from pathlib import Path

import pytest

from browser_gates import axe_on_page, format_violations
from find_testing import TODAY_DATE, after, site_relative
from hasselthelpt.content import publication
from hasselthelpt.content.loading import load_corpus
from hasselthelpt.content.schema import DEELGEMEENTEN, DUTCH_LEVELS, TALENTS, THEMES, WHEN
from hasselthelpt.outputs import matcher
from hasselthelpt.outputs.matcher import Answers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
from endpoint_testing import serving, settings  # noqa: E402
from hasselthelpt.endpoint import create_app  # noqa: E402
from hasselthelpt.endpoint.serve import StaticSite, mount  # noqa: E402
from hasselthelpt.security import with_headers  # noqa: E402
from hasselthelpt.endpoint.storage import UTC  # noqa: E402

FORM = "form[data-hh-matcher]"

# Personas: (answers, the slugs that must come first in this order, slugs that must not appear at all).
PERSONAS = {
    "fatima": (Answers.of(themes=["buurt-en-samenleven"], talents=["koken"], when=["weekdag"], places=["kiewit"],
                          dutch="basis"),
               ["kok-buurtsoep-kiewit"],
               ["onthaal-buurtcentrum-kiewit"]),  # Kiewit and buurt, but it needs fluent Dutch
    "jonas-17-sport-weekend": (Answers.of(themes=["sport-en-beweging"], talents=["sport"], when=["weekend"], age=17),
                               ["zwembuddy-g-zwemmen", "rolstoelwandelaar-kuringen"],  # a tie: the newest first
                               ["trainer-g-voetbal"]),  # 18 or older
    "mira-no-dutch-animals-weekend": (Answers.of(themes=["dieren"], when=["weekend"], dutch="geen"),
                                      ["hondenuitlater-dierenopvang"],
                                      ["kattenverzorger-dierenopvang"]),  # asks a little Dutch
    "wheelchair-admin-flexible": (Answers.of(talents=["administratie"], when=["flexibel"], wheelchair=True),
                                  ["fotoarchief-digitaliseren", "budgetbuddy", "vrijwilligersmatcher"],
                                  ["chauffeur-rijdende-buren"]),
}


@pytest.fixture(scope="module")
def features(sample_copy):
    corpus, errors = load_corpus(sample_copy)
    assert not errors, errors
    return [matcher.features_of(v, corpus.organisations[v.organisation].name)
            for v in publication.open_public_vacancies(corpus, TODAY_DATE)]


def fill(page, answers: Answers) -> None:
    for name, values in (("themes", answers.themes), ("talents", answers.talents), ("when", answers.when),
                         ("places", answers.places)):
        for value in values:
            page.check(f"#m-{name}-{value}")
    if answers.dutch:
        page.check(f"#m-dutch-{answers.dutch}")
    if answers.age is not None:
        page.fill("#m-age", str(answers.age))
    if answers.wheelchair:
        page.check("#m-wheelchair")


def shown(page) -> list[tuple[str, str]]:
    """(slug, reason) of every match on the page, pressing "Toon meer vacatures" until all are shown."""
    while page.is_visible("[data-more]"):
        count = page.locator("[data-results] > li").count()
        page.click("[data-more]")
        page.wait_for_function(f"() => document.querySelectorAll('[data-results] > li').length > {count}")
    return page.evaluate("""() => [...document.querySelectorAll('[data-results] > li')].map(li =>
        [li.getAttribute('data-slug'), li.querySelector('.match-why').textContent])""")


def open_matcher(page, site):
    page.goto(site.url_of("matcher/"))
    page.wait_for_selector(f"{FORM}:not([hidden])")


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_personas_get_their_expected_top_results(page, site, features, persona):
    answers, top, never = PERSONAS[persona]
    open_matcher(page, site)
    fill(page, answers)
    after(page, FORM, lambda: page.click("text=Toon mijn matches"))
    results = shown(page)
    slugs = [slug for slug, _ in results]
    assert slugs[:len(top)] == top, f"{persona}: {slugs[:6]}"
    assert not set(never) & set(slugs)
    python = matcher.rank(features, answers)
    assert results == [[m.vacancy.slug, m.sentence] for m in python]
    status = page.inner_text("[data-status]")
    assert f"We vonden {len(results)} vacatures" in status
    first = page.locator("[data-results] > li").first
    assert site_relative(first.locator("a").get_attribute("href"), site.url) == f"vacatures/{top[0]}/"
    if persona == "fatima":
        assert results[0][1] == ("Past bij je talent koken, je interesse voor buurt en samenleven, je vrije tijd "
                                 "overdag in de week en je keuze voor Kiewit.")
        assert "Kiewit" in first.inner_text() and "Buurtcentrum De Kiewiet" in first.inner_text()
    by_slug = {f.slug: f for f in features}
    if answers.dutch == "geen":
        assert {by_slug[s].dutch for s in slugs} == {"geen"}
    if answers.wheelchair:
        assert all(by_slug[s].wheelchair for s in slugs)
    if answers.age is not None:
        assert all(by_slug[s].min_age <= answers.age for s in slugs)


def test_the_browser_formula_equals_python(page, site, features):
    open_matcher(page, site)
    rng = random.Random(3)
    answer_sets = [{"themes": sorted(a.themes), "talents": sorted(a.talents), "when": sorted(a.when),
                    "places": sorted(a.places), "dutch": a.dutch, "age": a.age, "wheelchair": a.wheelchair}
                   for a, _, _ in PERSONAS.values()]
    for _ in range(60):
        answer_sets.append({"themes": rng.sample(list(THEMES), rng.randint(0, 3)),
                            "talents": rng.sample(list(TALENTS), rng.randint(0, 3)),
                            "when": rng.sample(list(WHEN), rng.randint(0, 2)),
                            "places": rng.sample(list(DEELGEMEENTEN), rng.randint(0, 2)),
                            "dutch": rng.choice([None, *DUTCH_LEVELS]), "age": rng.choice([None, 14, 16, 17, 19, 30]),
                            "wheelchair": rng.random() < 0.3})
    from_js = page.evaluate("""async (answerSets) => {
      const data = await (await fetch(document.querySelector('form[data-hh-matcher]').getAttribute('data-src'))).json();
      const vacancies = hhMatcher.load(data);
      return answerSets.map(a => hhMatcher.rank(vacancies, a, data).map(m => [m.vacancy.slug, m.points, m.sentence]));
    }""", answer_sets)
    for a, js in zip(answer_sets, from_js, strict=True):
        answers = Answers.of(a["themes"], a["talents"], a["when"], a["places"], a["dutch"], a["age"], a["wheelchair"])
        assert js == [[m.vacancy.slug, m.points, m.sentence] for m in matcher.rank(features, answers)], a


def test_answers_stay_in_the_browser_until_wiped(page, site):
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url, r.post_data)))
    open_matcher(page, site)
    requests.clear()
    fatima = PERSONAS["fatima"][0]
    fill(page, fatima)
    page.fill("#m-age", "34")
    after(page, FORM, lambda: page.click("text=Toon mijn matches"))
    # The only request: the vacancies' data, without anything of the answers.
    assert [(m, site_relative(u, site.url), p) for m, u, p in requests] == [("GET", "matcher/data.json", None)]
    saved = json.loads(page.evaluate("localStorage.getItem('hasselthelpt-matcher')"))
    assert saved["talents"] == ["koken"] and saved["age"] == 34
    # A new visit shows the answers and the matches again.
    page.reload()
    page.wait_for_selector(f"{FORM}[data-done]")
    assert page.is_checked("#m-talents-koken") and page.input_value("#m-age") == "34"
    assert page.locator("[data-results] > li").first.get_attribute("data-slug") == "kok-buurtsoep-kiewit"
    page.click("text=Wis mijn antwoorden")
    assert page.evaluate("localStorage.getItem('hasselthelpt-matcher')") is None
    assert not page.is_checked("#m-talents-koken") and page.input_value("#m-age") == ""
    assert not page.is_visible("[data-results-section]") and not page.is_visible("[data-appointment]")
    assert "gewist" in page.inner_text("[data-status]")
    assert not [r for r in requests if r[0] != "GET"]


def test_empty_answers_ask_for_more(page, site):
    open_matcher(page, site)
    after(page, FORM, lambda: page.click("text=Toon mijn matches"))
    assert "Kies eerst" in page.inner_text("[data-status]")
    assert page.locator("[data-results] > li").count() == 0
    assert page.is_visible("[data-appointment]"), "an appointment is always possible"



@pytest.mark.parametrize("width", [1280, 320])
def test_no_axe_violations_with_matches_and_the_appointment_form(page, site, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_matcher(page, site)
    violations = axe_on_page(page)
    assert not violations, format_violations(page.url, violations)
    fill(page, PERSONAS["fatima"][0])
    after(page, FORM, lambda: page.click("text=Toon mijn matches"))
    violations = axe_on_page(page)
    assert not violations, format_violations(page.url + " (with matches)", violations)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def test_keyboard_only(page, site):
    open_matcher(page, site)
    page.focus("#m-themes-jeugd")
    page.keyboard.press("Space")
    assert page.is_checked("#m-themes-jeugd")
    page.focus("[data-clear]")
    page.keyboard.press("Shift+Tab")  # back to "Toon mijn matches"
    after(page, FORM, lambda: page.keyboard.press("Enter"))
    assert page.locator("[data-results] > li").count() > 0
    page.keyboard.press("Tab")  # "Wis mijn antwoorden"
    page.keyboard.press("Tab")  # the first match
    assert page.evaluate("document.activeElement.closest('[data-results]') !== null")


def test_without_javascript_the_page_explains_the_other_ways(page_without_js, site):
    page = page_without_js
    page.goto(site.url_of("matcher/"))
    assert not page.is_visible(FORM)
    fallback = page.locator("[data-fallback]")
    text = fallback.inner_text()
    assert fallback.is_visible() and "JavaScript" in text and "afspraak" in text
    assert fallback.locator("a[href$='/afspraak/']").count() == 1
    assert fallback.locator("a[href*='/vacatures/thema/']").count() >= 5
    offline = page.locator("aside[aria-labelledby=niet-online]")
    assert offline.is_visible() and "011 00 10 00" in offline.inner_text()
    assert offline.locator("a[href$='/agenda/']").count() >= 1


# --- WCAG 3.3.7 Redundant Entry: the appointment request does not ask again what the matcher was told ---

REDUNDANT = Answers.of(themes=["buurt-en-samenleven", "zorg-en-welzijn"], talents=["koken", "luisteren"],
                       when=["weekdag"], places=["kiewit", "kermt"], dutch="basis", age=52, wheelchair=True)
# The matcher's answers and the appointment form's fields that carry them (hasselthelpt/endpoint/forms.py).
CARRIED = {"talents": "talents", "themes": "themes", "when": "when", "places": "deelgemeente", "dutch": "dutch_level"}

_APPOINTMENT_FIELDS = """(names) => {
  const form = document.querySelector('[data-appointment] form');
  const shown = e => e.type !== 'hidden' && e.getClientRects().length > 0;
  const asked = [...form.elements].filter(e => names.includes(e.name) && shown(e)).map(e => e.name);
  const carried = {};
  for (const e of form.elements) {
    if (e.type === 'hidden' && names.includes(e.name)) (carried[e.name] = carried[e.name] || []).push(e.value);
  }
  return {asked, carried, message: form.elements.message.value};
}"""


def asked_twice(page, answers: Answers) -> list[str]:
    """What the appointment form below the matches asks again, or fails to carry along, of the given answers."""
    fields = page.evaluate(_APPOINTMENT_FIELDS, list(CARRIED.values()))
    problems = [f"the appointment form asks again for '{name}'" for name in sorted(set(fields["asked"]))]
    carried, message = fields["carried"], fields["message"]
    places = sorted(answers.places, key=list(DEELGEMEENTEN).index)
    expected = {"talents": sorted(answers.talents), "themes": sorted(answers.themes), "when": sorted(answers.when),
                "deelgemeente": places[:1], "dutch_level": [answers.dutch] if answers.dutch else []}
    for name, values in expected.items():
        if sorted(carried.get(name, [])) != values:
            problems.append(f"'{name}' is not carried along: {carried.get(name, [])} instead of {values}")
    for place in places[1:]:
        if DEELGEMEENTEN[place] not in message:
            problems.append(f"the message does not mention the other place {DEELGEMEENTEN[place]}")
    if answers.age is not None and f"{answers.age} jaar" not in message:
        problems.append("the message does not mention the age")
    if answers.wheelchair and "rolstoel" not in message.lower():
        problems.append("the message does not mention the wheelchair")
    return problems


def test_the_appointment_request_does_not_ask_again(page, site):
    open_matcher(page, site)
    fill(page, REDUNDANT)
    after(page, FORM, lambda: page.click("text=Toon mijn matches"))
    assert page.is_visible("[data-appointment]")
    assert asked_twice(page, REDUNDANT) == []
    # What the person still has to give is only how to reach them (and consent).
    shown = page.evaluate("""() => [...document.querySelector('[data-appointment] form').elements]
        .filter(e => e.type !== 'hidden' && e.getClientRects().length && e.name && !e.closest('.honeypot'))
        .map(e => e.name)""")
    assert set(shown) <= {"name", "email", "phone", "message", "consent"}, shown  # .honeypot: a trap for bots
    # After a reload the answers come back from localStorage and still carry into the request.
    page.reload()
    page.wait_for_selector(f"{FORM}[data-done]")
    assert asked_twice(page, REDUNDANT) == []


def test_redundant_entry_check_catches_a_form_that_asks_again(page, site):
    """The gate can fail: a form that drops the carried answers and shows its own talent boxes is reported."""
    open_matcher(page, site)
    fill(page, REDUNDANT)
    after(page, FORM, lambda: page.click("text=Toon mijn matches"))
    page.evaluate("""() => {
      const holder = document.querySelector('[data-appointment] [data-answers]');
      holder.innerHTML = '<label><input type="checkbox" name="talents" value="koken"> Koken</label>';
    }""")
    problems = asked_twice(page, REDUNDANT)
    assert "the appointment form asks again for 'talents'" in problems
    assert any(p.startswith("'themes' is not carried along") for p in problems)


# --- The appointment, to a running endpoint ---

@pytest.fixture
def endpoint_site(dev_site, sample_copy, tmp_path):
    """The development build (relative URLs: the forms post to /api/aanmelding of whoever serves it) with the form
    endpoint mounted at /api, as `hasselthelpt serve` runs them, on a free loopback port, with a new SQLite file."""
    database = tmp_path / "matcher.sqlite3"
    app = create_app(settings(sample_copy, HH_DATABASE=str(database), HH_MIN_FILL_SECONDS="2"),
                     clock=lambda: dt.datetime.now(UTC))
    with serving(with_headers(mount(StaticSite(dev_site.output), "/api", app))) as url:
        yield url + "/", database


def test_an_appointment_request_from_the_matcher_is_stored(page, endpoint_site):
    url, database = endpoint_site
    page.goto(url + "matcher/")
    page.wait_for_selector(f"{FORM}:not([hidden])")
    page.wait_for_function("() => document.querySelector('[data-appointment] [name=token]').value !== ''")
    answers = Answers.of(themes=["buurt-en-samenleven"], talents=["koken", "luisteren"], when=["weekdag"],
                         places=["kiewit", "kermt"], dutch="basis", age=52)
    fill(page, answers)
    after(page, FORM, lambda: page.click("text=Toon mijn matches"))
    summary = page.inner_text("[data-answers-summary]")
    assert "koken" in summary and "Kermt, Kiewit" in summary and "Een beetje Nederlands" in summary
    message = page.input_value("#bericht")
    assert "ook helpen in: Kiewit" in message and "52 jaar" in message and "Kok voor de buurtsoep in Kiewit" in message
    page.fill("#naam", "Fatima")
    page.fill("#telefoon", "0470 12 34 56")
    page.check("#toestemming")
    page.click("[data-appointment] button[type=submit]")
    done = page.locator(".form-done[role=status]")
    done.wait_for()
    assert "vrijwilligersmatcher" in done.inner_text()
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT kind, phone, data FROM submissions").fetchall()
    assert len(rows) == 1
    kind, phone, data = rows[0]
    data = json.loads(data)
    assert kind == "afspraak" and phone and data["name"] == "Fatima"
    assert data["talents"] == ["koken", "luisteren"] and data["themes"] == ["buurt-en-samenleven"]
    assert data["when"] == ["weekdag"] and data["deelgemeente"] == "kermt"  # the first, in the list's order and data["dutch_level"] == "basis"
    assert "Kiewit" in data["message"] and "52 jaar" in data["message"]
