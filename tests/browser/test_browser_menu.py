"""The phone-first main menu in Chromium: at 320-360 px the logo and a "Menu" button share one line (a <details>
disclosure, so it works without JavaScript), the open menu has one link per line of at least 44x44 px and pushes
the page down; by keyboard it opens and every link is reached; on a wide screen the menu is one open row."""

from __future__ import annotations

import pytest

from browser_gates import Site

BUTTON = ".site-header summary.menu-button"
LINKS = ".main-nav a"
MIN_TARGET = 44  # WCAG 2.5.5 (AAA) and the platforms' guidance, where the space allows it

_HEADER = """() => {
  const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                     return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height}; };
  const links = [...document.querySelectorAll('.main-nav a')].map(a => {
    const r = a.getBoundingClientRect();
    return {text: a.textContent.trim(), top: r.top, bottom: r.bottom, width: r.width, height: r.height,
            shown: r.width > 0 && r.height > 0 && a.checkVisibility()};
  });
  return {header: box('.site-header'), logo: box('.logo'), button: box('summary.menu-button'), links,
          h1: document.querySelector('h1').getBoundingClientRect().top,
          scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth};
}"""


def _vacancy(site: Site) -> str:
    return site.url_of(site.richest(site.vacancies(expired=False)))


@pytest.mark.parametrize("width", [320, 360])
def test_on_a_phone_the_menu_is_one_line_and_opens_to_large_targets(page, site, width):
    page.set_viewport_size({"width": width, "height": 740})
    url = _vacancy(site)
    page.goto(url)
    closed = page.evaluate(_HEADER)
    logo, button = closed["logo"], closed["button"]
    assert button["width"] >= MIN_TARGET and button["height"] >= MIN_TARGET, button
    # One line: the button sits beside the logo, not below it, and the header stays low.
    assert button["top"] < logo["bottom"] and logo["top"] < button["bottom"], (logo, button)
    assert button["right"] <= width and closed["scrollWidth"] <= closed["width"]
    assert closed["header"]["height"] <= 80, f"the header is {closed['header']['height']} px high at {width} px"
    assert closed["h1"] < 740 / 3, "the page title is in the first third of the screen"
    assert not any(link["shown"] for link in closed["links"]), "the menu starts closed"
    assert page.get_attribute(".site-header details.menu", "open") is None

    page.click(BUTTON)
    opened = page.evaluate(_HEADER)
    links = opened["links"]
    assert len(links) >= 4 and all(link["shown"] for link in links)
    for link in links:
        assert link["height"] >= MIN_TARGET and link["width"] >= MIN_TARGET, link
    tops = [link["top"] for link in links]
    assert tops == sorted(tops) and len(set(round(t) for t in tops)) == len(tops), "one link per line"
    assert links[0]["top"] >= opened["button"]["bottom"], "the links come below the button"
    assert opened["h1"] > links[-1]["bottom"], "the open menu pushes the page down; it covers nothing"
    assert opened["scrollWidth"] <= opened["width"]
    page.click(BUTTON)
    assert not page.locator(LINKS).first.is_visible()


def test_keyboard_opens_the_menu_and_reaches_every_link(page, site):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site.url_of(""))
    stops = []
    for _ in range(3):  # the skip link, the logo, the menu button
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.className || document.activeElement.tagName"))
    assert stops == ["skip-link", "logo", "menu-button"], stops
    page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.closest('.main-nav')"), "closed, the links are not Tab stops"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")
    page.keyboard.press("Enter")
    assert page.get_attribute(".site-header details.menu", "open") is not None
    expected = page.eval_on_selector_all(LINKS, "links => links.map(a => a.textContent.trim())")
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.closest('.main-nav') && "
                                     "document.activeElement.textContent.trim()"))
    assert reached == expected
    last = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")  # follows the last link
    page.wait_for_url(last)
    # Space on the button opens and closes it too.
    page.focus(BUTTON)
    page.keyboard.press("Space")
    assert page.locator(LINKS).first.is_visible()
    page.keyboard.press("Space")
    assert not page.locator(LINKS).first.is_visible()


def test_without_javascript_the_menu_opens(page_without_js, site):
    page = page_without_js
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(_vacancy(site))
    assert not page.locator(LINKS).first.is_visible()
    page.click(BUTTON)
    assert page.locator(LINKS).first.is_visible()
    assert page.locator(LINKS).count() == page.locator(f"{LINKS}:visible").count()


def test_on_a_wide_screen_the_menu_is_an_open_row(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(_vacancy(site))
    state = page.evaluate(_HEADER)
    assert state["button"]["width"] == 0, "no menu button on a wide screen"
    links = state["links"]
    assert all(link["shown"] for link in links)
    assert len({round(link["top"]) for link in links}) == 1, "one row"
    assert all(link["height"] >= MIN_TARGET for link in links)
    assert page.get_attribute("[aria-current=page]", "href").endswith("/vacatures/")
    # Tab reaches the links straight after the logo.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.main-nav') !== null")
