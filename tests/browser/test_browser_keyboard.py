"""Keyboard only: the skip link comes first and works, and Tab reaches every part of the sign-up form."""

from __future__ import annotations

import pytest

from browser_gates import Site

NAME = 'form input[name="name"]'
CONSENT = 'form input[type="checkbox"][name="consent"]'
SUBMIT = 'form [type="submit"]'
MAX_TABS = 250

_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  const style = getComputedStyle(e);
  const attrs = ['id', 'name', 'type', 'href', 'class'].filter(a => e.hasAttribute(a))
    .map(a => `${a}="${e.getAttribute(a)}"`).join(' ');
  return {
    desc: `<${e.tagName.toLowerCase()}${attrs ? ' ' + attrs : ''}>`,
    visible: r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.opacity !== '0',
    inViewport: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
  };
}"""


def _vacancy(site: Site) -> str:
    rel = site.richest(site.vacancies(expired=False))
    if rel is None:
        pytest.fail("the sample content has no open vacancy")
    return site.url_of(rel)


def _is(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement === document.querySelector(s)", selector)


def test_skip_link_is_first_and_moves_focus_to_main(page, site):
    url = _vacancy(site)
    page.goto(url)
    page.keyboard.press("Tab")
    skip = page.evaluate("""() => {
      const e = document.activeElement, href = e && e.getAttribute('href');
      const target = href && href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
      return {tag: e && e.tagName, href, text: e && e.textContent.trim(),
              targetIsMain: !!target && (target.tagName === 'MAIN' || target.getAttribute('role') === 'main')};
    }""")
    assert skip["tag"] == "A" and skip["href"] and skip["href"].startswith("#"), \
        f"{url}: the first Tab stop is not an in-page link but {skip}"
    assert skip["targetIsMain"], f"{url}: the first link ({skip['href']}, '{skip['text']}') does not point at <main>"
    focused = page.evaluate(_FOCUSED)
    assert focused["visible"] and focused["inViewport"], f"{url}: the focused skip link is not visible: {focused}"

    page.keyboard.press("Enter")
    main = page.evaluate("""() => {const e = document.activeElement;
      return {tag: e.tagName, role: e.getAttribute('role'), id: e.id};}""")
    assert main["tag"] == "MAIN" or main["role"] == "main", \
        f"{url}: after Enter on the skip link the focus is on {main}, not on <main>"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    inside = page.evaluate("() => !!document.activeElement.closest('main')")
    assert inside, f"{url}: Tab after the skip link left the main content: {page.evaluate(_FOCUSED)}"


def test_tab_reaches_the_sign_up_form(page, site):
    url = _vacancy(site)
    page.goto(url)
    assert page.locator(NAME).count() == 1, f"{url} has no sign-up form with a name field ({NAME})"

    wanted = [("the skip link", "a[href^='#']"), ("the name field", NAME), ("the consent checkbox", CONSENT),
              ("the submit button", SUBMIT)]
    reached: list[str] = []
    stops: list[str] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:  # focus left the document: the end of the Tab order
            break
        stops.append(focused["desc"])
        assert focused["visible"], f"{url}: Tab stop {len(stops)} is invisible: {focused['desc']}"
        label, selector = wanted[len(reached)]
        if _is(page, selector):
            if not reached:
                assert len(stops) == 1, f"{url}: the skip link is not the first Tab stop; the order was {stops}"
            reached.append(label)
            if len(reached) == len(wanted):
                break
        elif not reached:
            pytest.fail(f"{url}: the first Tab stop is {focused['desc']}, not the skip link")
    assert len(reached) == len(wanted), (
        f"{url}: Tab never reached {wanted[len(reached)][0]} ({wanted[len(reached)][1]}) after {reached}. "
        f"Tab stops: {stops}")
