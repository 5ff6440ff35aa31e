"""What WCAG 2.2 adds and axe-core cannot (fully) see, on every page type, at desktop and at 320 px:

- 2.5.8 Target Size (Minimum, AA): every link, button and form control is at least 24x24 CSS px, or a 24 px circle
  on its centre touches no other target (the spacing exception); links inside a sentence are exempt (inline).
- 2.4.11 Focus Not Obscured (Minimum, AA): tabbing through the whole page, no focused element is entirely hidden
  behind another element (a sticky header, a cookie bar): document.elementFromPoint over the focused element must
  find it somewhere.
- 3.2.6 Consistent Help (A): the help desk's phone and e-mail (hasselthelpt/brand.py) are in the same place on
  every page: the first block of the footer, after the main content.

Each check is shown failing on a deliberately broken page. 3.3.7 Redundant Entry (the matcher's answers go into
the appointment request) is in test_browser_matcher.py.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from browser_gates import PAGE_TYPES, STATIC_PAGES, VIEWPORTS, Site, resolve
from hasselthelpt import brand

# Pages with forms and scripts, beyond the page types of the axe test.
FORM_PAGES = {"search": "zoeken/", "matcher": "matcher/", "appointment": "afspraak/",
              "submit-vacancy": "vacature-indienen/"}
ALL_PAGES = [*PAGE_TYPES, *(f"page:{p.stem}" for p in STATIC_PAGES), *FORM_PAGES]
MAX_TABS = 400


def url_of(site: Site, page_type: str) -> str:
    return site.url_of(FORM_PAGES.get(page_type) or resolve(site, page_type))


# --- 2.5.8 Target size ----------------------------------------------------------------------------------------

_SMALL_TARGETS = """() => {
  const MIN = 24, RADIUS = MIN / 2;
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], ' +
                   '[tabindex]:not([tabindex="-1"])';
  const rendered = e => {
    const r = e.getBoundingClientRect();
    // Not drawn: hidden (also inside a closed <details>), zero-size, clipped to 1 px (visually hidden), moved off
    // the page (skip link, honeypot).
    return e.checkVisibility({visibilityProperty: true}) && r.width > 1 && r.height > 1 &&
      r.right + scrollX > 0 && r.bottom + scrollY > 0;
  };
  const targets = [...document.querySelectorAll(selector)].filter(rendered);
  const box = e => e.getBoundingClientRect();
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const distanceToRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const small = e => { const r = box(e); return r.width < MIN - 0.01 || r.height < MIN - 0.01; };
  // Inline: a link in a sentence, whose size the line of text sets (WCAG 2.5.8 exception).
  const inline = e => {
    if (getComputedStyle(e).display !== 'inline') return false;
    let block = e.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    return !!block && block.textContent.trim().length > e.textContent.trim().length;
  };
  const describe = e => {
    const r = box(e);
    return `<${e.tagName.toLowerCase()}${e.id ? ' id=' + e.id : ''}${e.className ? ' class="' + e.className + '"' : ''}` +
      `> "${(e.textContent || e.value || e.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 40)}"` +
      ` ${Math.round(r.width * 10) / 10}x${Math.round(r.height * 10) / 10} px`;
  };
  const problems = [];
  for (const e of targets) {
    if (!small(e) || inline(e)) continue;
    const c = centre(box(e));
    // Spacing: a 24 px circle on its centre may not touch another target, nor the circle of another small one.
    const near = targets.filter(o => o !== e && !o.contains(e) && !e.contains(o) &&
      (distanceToRect(c, box(o)) < RADIUS ||
       (small(o) && !inline(o) && Math.hypot(c[0] - centre(box(o))[0], c[1] - centre(box(o))[1]) < MIN)));
    if (near.length) problems.push(describe(e) + ', too close to ' + near.slice(0, 2).map(describe).join(' and '));
  }
  return {count: targets.length, problems};
}"""


def open_at(page, site, page_type: str, viewport: str) -> str:
    """Open a page type of the sample site at a viewport; its address."""
    url = url_of(site, page_type)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(url, wait_until="load")
    return url


def small_targets(page) -> tuple[int, list[str]]:
    result = page.evaluate(_SMALL_TARGETS)
    return result["count"], result["problems"]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", ALL_PAGES)
def test_targets_are_at_least_24_px(page, site, page_type, viewport):
    url = open_at(page, site, page_type, viewport)
    count, problems = small_targets(page)
    assert count >= 5, f"{url}: only {count} targets found; is the check looking at the page?"
    assert not problems, (f"{url} ({viewport}): targets smaller than 24x24 CSS px without the spacing exception "
                          "(WCAG 2.5.8):\n" + "\n".join(problems))


def test_targets_on_the_open_phone_menu(page, site):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(site.url_of(""))
    page.click(".menu-button")
    count, problems = small_targets(page)
    assert page.locator(".main-nav a").first.is_visible() and not problems, problems


SMALL_TARGETS_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Kleine knoppen</title></head>
<body><main>
<h1>Kleine knoppen</h1>
<p class="icons"><a href="#a" id="klein-1" style="display:inline-block;width:16px;height:16px">1</a><a href="#b"
  id="klein-2" style="display:inline-block;width:16px;height:16px">2</a></p>
<p><button id="mini" style="font-size:9px;padding:0;line-height:1">x</button><button style="font-size:9px;padding:0;line-height:1">y</button></p>
<p>Een <a href="#c" style="font-size:12px">link in een zin</a> mag klein zijn: de regel bepaalt zijn hoogte.</p>
<p><a href="#d" id="alleen" style="display:inline-block;width:18px;height:18px">d</a></p>
<p style="margin-top:3rem"><a href="#e" style="display:inline-block;padding:12px">Groot genoeg</a></p>
</main></body></html>
"""


def test_target_size_check_catches_small_targets(page, served):
    """The gate can fail: two 16 px links side by side and two tiny buttons are reported; a link in a sentence and
    a small link with room around it (the spacing exception) are not."""
    (served.root / "_gate").mkdir(exist_ok=True)
    (served.root / "_gate" / "small-targets.html").write_text(SMALL_TARGETS_PAGE, encoding="utf-8")
    page.goto(served.url + "_gate/small-targets.html")
    count, problems = small_targets(page)
    assert count == 7
    report = "\n".join(problems)
    assert "id=klein-1" in report and "id=klein-2" in report and "id=mini" in report, report
    assert len(problems) == 4, report
    assert "link in een zin" not in report and "id=alleen" not in report and "Groot genoeg" not in report


# --- 2.4.11 Focus not obscured --------------------------------------------------------------------------------

_FOCUS_HIDDEN = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));  // scrolled and painted
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const describe = el => `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}` +
    `${el.className && typeof el.className === 'string' ? ' class="' + el.className + '"' : ''}>` +
    ` "${(el.textContent || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40)}"`;
  const r = e.getBoundingClientRect();
  const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
  if (right - left < 1 || bottom - top < 1) return {desc: describe(e), hidden: 'outside the window'};
  const own = hit => hit === e || e.contains(hit) || [...(e.labels || [])].some(l => l.contains(hit));
  let seen = false;
  const covers = new Set();
  for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.1, 0.5, 0.9]) {
    const hit = document.elementFromPoint(left + (right - left) * fx, top + (bottom - top) * fy);
    if (!hit) continue;
    if (own(hit)) seen = true;
    else if (!hit.contains(e)) covers.add(describe(hit));
  }
  return {desc: describe(e), hidden: !seen && covers.size ? 'under ' + [...covers].slice(0, 2).join(', ') : ''};
}"""


def hidden_focus(page, max_tabs: int = MAX_TABS) -> tuple[int, list[str]]:
    """Tab through the whole page from the top. Returns (tab stops, the stops whose focus was entirely hidden).
    With reduced motion (as the site's CSS then scrolls at once): smooth scrolling ends where instant scrolling
    does, only later, and waiting for each would make this check slow."""
    page.emulate_media(reduced_motion="reduce")
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops, problems, first = 0, [], None
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUS_HIDDEN)
        if focused is None or focused["desc"] == first:  # the end of the Tab order
            break
        first = first or focused["desc"]
        stops += 1
        if focused["hidden"]:
            problems.append(f"Tab stop {stops}: {focused['desc']} is {focused['hidden']}")
    else:
        pytest.fail(f"{page.url}: more than {max_tabs} Tab stops")
    return stops, problems


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", ALL_PAGES)
def test_focus_is_never_hidden(page, site, page_type, viewport):
    url = open_at(page, site, page_type, viewport)
    stops, problems = hidden_focus(page)
    assert stops >= 3, f"{url}: only {stops} Tab stops"
    assert not problems, (f"{url} ({viewport}): the keyboard focus is entirely hidden (WCAG 2.4.11):\n"
                          + "\n".join(problems))


OBSCURED_FOCUS_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Verborgen focus</title>
<style>
  .cookies { position: fixed; left: 0; right: 0; bottom: 0; height: 45vh; background: #eee; }
  li { margin: 2rem 0; }
</style></head>
<body><main>
<h1>Veel links</h1>
<ul>""" + "".join(f'<li><a href="#l{i}">Link {i}</a></li>' for i in range(30)) + """</ul>
</main>
<div class="cookies">Wij gebruiken cookies.</div>
</body></html>
"""


def test_focus_check_catches_a_sticky_bar(page, served):
    """The gate can fail: a fixed cookie bar over the lower half of the window hides the links that Tab scrolls
    into view at the bottom."""
    (served.root / "_gate").mkdir(exist_ok=True)
    (served.root / "_gate" / "obscured-focus.html").write_text(OBSCURED_FOCUS_PAGE, encoding="utf-8")
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(served.url + "_gate/obscured-focus.html")
    stops, problems = hidden_focus(page)
    assert stops == 30
    assert len(problems) >= 10 and all("under <div class=\"cookies\">" in p for p in problems), problems
    assert not any('"Link 0"' in p for p in problems), "the first links are above the bar"


# --- 3.2.6 Consistent help ------------------------------------------------------------------------------------

def help_place(html: str) -> tuple[str, list[str]]:
    """Where the help desk is on a page, as the path from the page's footer to its block (every page must give the
    same), and what is wrong with it: it needs its phone and e-mail link, in the footer, after <main>."""
    soup = BeautifulSoup(html, "html.parser")
    phone, email = brand.HELPDESK["phone"], brand.HELPDESK["email"]
    found = soup.find_all(class_="helpdesk")
    if len(found) != 1:
        return "", [f"{len(found)} help-desk blocks (class 'helpdesk') instead of 1"]
    block, problems = found[0], []
    if not block.find("a", href=f"tel:{phone.replace(' ', '')}", string=phone):
        problems.append(f"no phone link to {phone}")
    if not block.find("a", href=f"mailto:{email}", string=email):
        problems.append(f"no e-mail link to {email}")
    footer = block.find_parent("footer")
    if footer is None:
        return "", problems + ["the help desk is not in the footer"]
    main = soup.find("main")
    if main is None or footer not in main.find_all_next("footer"):
        problems.append("the footer with the help desk does not come after <main>")
    steps, tag = [], block
    while tag is not footer:
        steps.append(f"{tag.name}[{len(tag.find_previous_siblings(tag.name))}]")
        tag = tag.parent
    return "footer > " + " > ".join(reversed(steps)), problems


def site_pages(site: Site) -> list[str]:
    """Every page of the site with its header and footer (widgets, slideshows and redirects have neither)."""
    pages = []
    for path in sorted(site.output.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if 'class="site-header"' in text:
            pages.append(path.relative_to(site.output).as_posix())
    return pages


def test_help_is_in_the_same_place_on_every_page(site):
    pages = site_pages(site)
    assert len(pages) >= 60, pages
    home_place, home_problems = help_place(site.html(""))
    assert home_place and not home_problems, home_problems
    problems = []
    for rel in pages:
        place, found = help_place(site.html(rel))
        problems += [f"{rel}: {problem}" for problem in found]
        if place != home_place:
            problems.append(f"{rel}: the help desk is at {place or 'no place'}, on the home page at {home_place}")
    assert not problems, "\n".join(problems)


def test_help_check_catches_a_page_without_it_in_place(site):
    """The gate can fail: help moved into the main content, moved within the footer, or left out, is reported."""
    home = site.html("")
    place, problems = help_place(home)
    assert problems == [] and place.startswith("footer > div[0] > div[0] > p[")
    moved = home.replace('<p class="helpdesk"', '<p class="moved"', 1).replace(
        "<main", '<p class="helpdesk">Vragen? Bel <a href="tel:011001000">011 00 10 00</a></p><main', 1)
    assert "the help desk is not in the footer" in help_place(moved)[1]
    shifted = home.replace('<p class="helpdesk"', '<p>Nieuw!</p><p class="helpdesk"', 1)
    assert help_place(shifted)[0] != place and help_place(shifted)[1] == []
    assert help_place(home.replace('class="helpdesk"', 'class="gewoon"'))[1] == [
        "0 help-desk blocks (class 'helpdesk') instead of 1"]
    swapped = home.replace(brand.HELPDESK["email"], "iemand@example.be")
    assert help_place(swapped)[1] == [f"no e-mail link to {brand.HELPDESK['email']}"]
