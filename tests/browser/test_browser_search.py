"""Search (/zoeken/) in Chromium against the production build of the sample site: text search, every filter and
its counts checked against the content, sorting, the search kept in the address, the keyboard, axe-core, and the
page without JavaScript."""

from __future__ import annotations

import pytest

from browser_gates import axe_on_page, format_violations
from find_testing import after, expected_index, matching, site_relative

FORM = "form[data-hh-search]"


@pytest.fixture(scope="module")
def index(sample_copy):
    return expected_index(sample_copy)


def open_search(page, site, query: str = ""):
    page.goto(site.url_of("zoeken/" + query))
    page.wait_for_selector(f"{FORM}[data-done]")


def all_results(page, site) -> list[str]:
    """Site-relative URLs of every result, pressing "Toon meer resultaten" until all are shown."""
    while page.is_visible("[data-more]"):
        count = page.locator("[data-results] > li").count()
        page.click("[data-more]")
        page.wait_for_function(f"() => document.querySelectorAll('[data-results] > li').length > {count}")
    return [site_relative(h, site.url) for h in
            page.eval_on_selector_all("[data-results] .card-title a", "links => links.map(a => a.href)")]


def status_count(page) -> int:
    text = page.inner_text("[data-status]")
    return 0 if text.startswith("Geen") else int(text.split()[0])


def shown_counts(page) -> dict[str, dict[str, int]]:
    return page.evaluate("""() => {
      const out = {};
      document.querySelectorAll('fieldset[data-filter]').forEach(f => {
        const key = f.getAttribute('data-filter'); out[key] = {};
        f.querySelectorAll('input').forEach(i => {
          const c = i.labels[0].querySelector('[data-count]');
          if (c) out[key][i.value] = parseInt(c.textContent.replace(/[()]/g, ''), 10);
        });
      });
      return out;
    }""")


def expected_counts(index, chosen: dict[str, list[str]], keys: list[str]) -> dict[str, dict[str, int]]:
    """What the page should show beside each choice: the results when you add that value to its filter."""
    out = {}
    for key in keys:
        others = {k: v for k, v in chosen.items() if k != key}
        base = matching(index, others)
        values = {v for i in index for k, v in i.pairs if k == key}
        out[key] = {v: sum((key, v) in i.pairs for i in base) for v in values}
    return out


def test_a_word_finds_the_vacancy(page, site):
    open_search(page, site)
    after(page, FORM, lambda: (page.fill("#zoekterm", "buurtsoep"), page.press("#zoekterm", "Enter")))
    first = page.locator("[data-results] > li").first
    assert site_relative(first.locator(".card-title a").get_attribute("href"), site.url) == \
        "vacatures/kok-buurtsoep-kiewit/"
    text = first.inner_text()
    assert "Kok voor de buurtsoep in Kiewit" in text and "Buurtcentrum De Kiewiet" in text  # key facts on the card
    assert "Kiewit" in text and "Structureel" in text and "Reageren tot" in text
    assert first.locator("time").get_attribute("datetime") == "2027-06-30"
    assert "voor \u201cbuurtsoep\u201d" in page.inner_text("[data-status]")
    # Dutch stemming: 'honden' finds the dog walker
    after(page, FORM, lambda: (page.fill("#zoekterm", "honden"), page.press("#zoekterm", "Enter")))
    assert "vacatures/hondenuitlater-dierenopvang/" in all_results(page, site)


def test_counts_beside_every_filter_match_the_content(page, site, index):
    pages, ages = index
    open_search(page, site)
    assert status_count(page) == len(pages)
    assert [int(v) for v in page.eval_on_selector_all("input[name=leeftijd]", "els => els.map(e => e.value)")
            if v] == ages
    keys = ["type", "thema", "deelgemeente", "soort", "wanneer", "nederlands", "leeftijd", "rolstoel"]
    shown = shown_counts(page)
    expected = expected_counts(pages, {}, keys)
    for key in keys:
        for value, count in shown[key].items():
            assert count == expected[key].get(value, 0), f"{key}={value}: the page says {count}"


@pytest.mark.parametrize("chosen", [
    {"type": ["vacature"]}, {"thema": ["jeugd"]}, {"thema": ["jeugd", "dieren"]}, {"deelgemeente": ["kuringen"]},
    {"soort": ["occasioneel"]}, {"wanneer": ["avond"]}, {"nederlands": ["geen"]}, {"leeftijd": ["16"]},
    {"rolstoel": ["ja"]}, {"thema": ["zorg-en-welzijn"], "nederlands": ["geen", "basis"], "rolstoel": ["ja"]},
    {"type": ["organisatie", "verhaal"], "thema": ["buurt-en-samenleven"]},
], ids=lambda c: "+".join(f"{k}={'|'.join(v)}" for k, v in c.items()))
def test_each_filter_narrows_the_results(page, site, index, chosen):
    pages, _ = index
    open_search(page, site)
    total = status_count(page)
    for key, values in chosen.items():
        for value in values:
            after(page, FORM, lambda: page.check(f"input[name={key}][value='{value}']"))
    want = matching(pages, chosen)
    assert 0 < len(want) < total, "a filter in this test should narrow, not empty, the results"
    assert status_count(page) == len(want)
    assert sorted(all_results(page, site)) == sorted(i.url for i in want)
    shown = shown_counts(page)
    for key, counts in expected_counts(pages, chosen, list(shown)).items():
        for value, count in shown[key].items():
            assert count == counts.get(value, 0), f"with {chosen}, {key}={value}: the page says {count}"
    # The choice is in the address: a reload shows the same.
    page.reload()
    page.wait_for_selector(f"{FORM}[data-done]")
    assert status_count(page) == len(want)


@pytest.mark.parametrize("order", ["nieuw", "sluit"])
def test_sorting(page, site, index, order):
    pages, _ = index
    open_search(page, site)
    after(page, FORM, lambda: page.select_option("#sorteer", order))
    urls = all_results(page, site)
    by_url = {i.url: i for i in pages}
    if order == "nieuw":  # newest first: vacancies (publication date) and stories (their date)
        dates = [by_url[u].newest for u in urls]
        assert dates == sorted(dates, reverse=True)
        assert sorted(urls) == sorted(i.url for i in pages if i.newest)
    else:  # closing first: vacancies only
        dates = [by_url[u].closes for u in urls]
        assert dates == sorted(dates)
        assert sorted(urls) == sorted(i.url for i in pages if i.closes)
        assert urls[0] == min((i for i in pages if i.closes), key=lambda i: (i.closes, i.url)).url
    assert status_count(page) == len(urls)


def test_the_search_in_the_address_is_restored(page, site, index):
    pages, _ = index
    open_search(page, site, "?thema=armoede-en-voedsel&nederlands=geen&sorteer=sluit")
    assert page.is_checked("input[name=thema][value=armoede-en-voedsel]")
    assert page.input_value("#sorteer") == "sluit"
    want = matching(pages, {"thema": ["armoede-en-voedsel"], "nederlands": ["geen"]})
    assert status_count(page) == len(want) > 0


def test_keyboard_only(page, site):
    open_search(page, site)
    page.focus("#zoekterm")
    after(page, FORM, lambda: (page.keyboard.type("repair"), page.keyboard.press("Enter")))
    assert status_count(page) >= 2
    # Tab from the search box reaches the first filter; Space ticks it.
    page.keyboard.press("Tab")  # the Zoeken button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-type-vacature"
    after(page, FORM, lambda: page.keyboard.press("Space"))
    assert page.is_checked("#f-type-vacature")
    assert all(c.startswith("VACATURE") or c.lower().startswith("vacature")
               for c in page.locator("[data-results] .card-type").all_inner_texts())
    # "Toon meer" moves the focus to the first new result.
    page.uncheck("#f-type-vacature")
    after(page, FORM, lambda: (page.fill("#zoekterm", ""), page.press("#zoekterm", "Enter")))
    page.focus("[data-more]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('[data-results] > li').length > 10")
    assert page.evaluate("document.activeElement === document.querySelectorAll('[data-results] .card-title a')[10]")



@pytest.mark.parametrize("width", [1280, 320])
def test_no_axe_violations_with_results_and_filters(page, site, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_search(page, site)
    after(page, FORM, lambda: page.check("input[name=thema][value=jeugd]"))
    after(page, FORM, lambda: (page.fill("#zoekterm", "kinderen"), page.press("#zoekterm", "Enter")))
    violations = axe_on_page(page)
    assert not violations, format_violations(page.url, violations)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def test_without_javascript_the_page_says_so_and_links_the_filter_pages(page_without_js, site):
    page = page_without_js
    page.goto(site.url_of("zoeken/"))
    assert not page.is_visible(FORM)
    fallback = page.locator("[data-fallback]")
    assert fallback.is_visible() and "JavaScript" in fallback.inner_text()
    links = fallback.locator("a[href*='/vacatures/thema/'], a[href*='/vacatures/deelgemeente/'], "
                             "a[href*='/vacatures/soort/']")
    assert links.count() >= 10
    href = links.first.get_attribute("href")
    page.goto(href)
    assert page.locator(".vacancy-card").count() > 0, f"{href} lists no vacancies without JavaScript"


def test_browsing_without_a_word_fetches_one_chunk_of_the_word_index(page, site):
    """An empty search would make Pagefind fetch its whole word index (2 MB at city scale); the page searches the
    word every indexed page carries instead (search.SEARCH_ALL)."""
    chunks = sorted(p.name for p in (site.output / "pagefind" / "index").iterdir())
    assert len(chunks) > 1, "the sample's word index should have several chunks for this test to mean something"
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    open_search(page, site)
    after(page, FORM, lambda: page.check("input[name=thema][value=jeugd]"))
    assert len([u for u in requests if "/pagefind/index/" in u]) == 1
