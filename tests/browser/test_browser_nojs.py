"""With JavaScript off the site still works: headings, vacancy lists and the sign-up form are there and visible."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from browser_gates import Site


def _vacancy_links(page, site: Site) -> list[str]:
    """Visible links in <main> that lead to a vacancy page of the site."""
    slugs = {u.split("/")[1] for u in site.folders("vacatures")}
    prefix = urlparse(site.url).path
    found = []
    links = page.locator("main a[href]")
    for i in range(links.count()):
        link = links.nth(i)
        path = urlparse(urljoin(page.url, link.get_attribute("href"))).path
        m = re.fullmatch(re.escape(prefix) + r"vacatures/([^/]+)/", path)
        if m and m.group(1) in slugs and link.is_visible():
            found.append(m.group(1))
    return found


def _open(page, site: Site, rel: str):
    response = page.goto(site.url_of(rel))
    assert response is not None and response.ok, f"{rel}: HTTP {response.status if response else '-'}"
    h1 = page.locator("h1")
    assert h1.count() == 1, f"{rel}: expected one <h1>, found {h1.count()}"
    assert h1.first.is_visible() and h1.first.inner_text().strip(), f"{rel}: the <h1> is empty or hidden without JS"


@pytest.mark.parametrize("rel", ["", "vacatures/"], ids=["home", "vacancy-overview"])
def test_listing_pages_work_without_javascript(page_without_js, site, rel):
    _open(page_without_js, site, rel)
    assert _vacancy_links(page_without_js, site), f"{rel or 'home'}: no visible vacancy links without JavaScript"


def test_filter_page_works_without_javascript(page_without_js, site):
    candidates = [f"vacatures/thema/{d.name}/" for d in sorted((site.output / "vacatures" / "thema").glob("*"))]
    rel = site.richest(candidates)
    assert rel, "the built site has no vacatures/thema/<thema>/ pages"
    _open(page_without_js, site, rel)
    assert _vacancy_links(page_without_js, site), f"{rel}: no visible vacancy links without JavaScript"
    # The filter links themselves are plain links that lead to other filter pages.
    filters = page_without_js.locator("main a[href*='vacatures/']:visible")
    assert filters.count() > 1, f"{rel}: no visible filter links without JavaScript"


def test_vacancy_form_works_without_javascript(page_without_js, site):
    rel = site.richest(site.vacancies(expired=False))
    if rel is None:
        pytest.fail("the sample content has no open vacancy")
    _open(page_without_js, site, rel)
    form = page_without_js.locator("form:has(input[name='name'])")
    assert form.count() == 1, f"{rel}: no sign-up form"
    assert form.get_attribute("method") == "post" and form.get_attribute("action"), \
        f"{rel}: the form does not post anywhere without JavaScript"
    for what, selector in (("name field", "input[name='name']"), ("e-mail field", "input[name='email']"),
                           ("consent checkbox", "input[type='checkbox'][name='consent']"),
                           ("submit button", "[type='submit']")):
        field = form.locator(selector)
        assert field.count() == 1 and field.first.is_visible(), f"{rel}: the {what} is missing or hidden without JS"
