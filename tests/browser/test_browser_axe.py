"""Every page type of the sample site has no axe-core violations of WCAG 2.0, 2.1 and 2.2, levels A and AA, loads
all its files, and does not scroll sideways on a 320-pixel-wide phone (WCAG 2.1 1.4.10 Reflow, level AA)."""

from __future__ import annotations

import pytest

from browser_gates import (PAGE_TYPES, STATIC_PAGES, VIEWPORTS, Site, axe_violations, format_violations, resolve)


_OVERFLOW = """() => {
  const limit = document.documentElement.clientWidth + 1;
  if (document.documentElement.scrollWidth <= limit) return [];
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > limit);
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.classList.length ? '.' + [...e.classList].join('.') : '') +
    ` (right edge ${Math.round(e.getBoundingClientRect().right)}px)`;
  // WCAG 1.4.10 exempts content that needs two dimensions: data tables and preformatted text may scroll.
  const inner = wide.filter(e => !wide.some(o => o !== e && e.contains(o)) && !e.closest('table, pre'));
  if (!inner.length) return [];
  const outer = wide.filter(e => !wide.includes(e.parentElement) && !e.closest('table, pre')).slice(0, 6);
  return [...outer.map(describe), 'innermost: ' + inner.slice(0, 4)
    .map(e => describe(e) + ` "${(e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50)}"`).join(', ')];
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", [*PAGE_TYPES, *(f"page:{p.stem}" for p in STATIC_PAGES)])
def test_page_has_no_axe_violations(page, site, page_type, viewport):
    rel = resolve(site, page_type)
    url = site.url_of(rel)
    assert (site.output / (rel or "index.html")).exists(), f"the built site has no {rel or 'home page'}"
    page.set_viewport_size(VIEWPORTS[viewport])
    violations, failed = axe_violations(page, url)
    assert not violations, format_violations(f"{url} ({viewport})", violations)
    assert not failed, f"{url}: requests for the page's resources failed:\n" + "\n".join(failed)
    if viewport == "phone":
        wide = page.evaluate(_OVERFLOW)
        assert not wide, (f"{url}: at {VIEWPORTS['phone']['width']} CSS pixels the page scrolls sideways "
                          f"(WCAG 1.4.10 Reflow); too wide: {', '.join(wide)}")


def test_there_are_static_pages():
    """The footer links to static pages; the sample content must have some for the checks above to mean much."""
    assert STATIC_PAGES, "content/pages/ holds no pages"


BROKEN_PAGE = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Kapotte pagina</title></head>
<body>
<main>
<h1>Een pagina met fouten</h1>
<img src="foto.png" width="100" height="50">
<p style="color: #c8c8c8; background: #ffffff">Lichtgrijze tekst die bijna niemand kan lezen.</p>
</main>
</body>
</html>
"""


def test_axe_check_catches_violations(page, served):
    """The gate can fail: an image without alt text and low-contrast text are reported."""
    folder = served.root / "_gate"
    folder.mkdir(exist_ok=True)
    (folder / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")
    violations, _ = axe_violations(page, served.url + "_gate/broken.html")
    ids = {v["id"] for v in violations}
    assert {"image-alt", "color-contrast"} <= ids, format_violations("broken.html", violations)
    report = format_violations("broken.html", violations)
    assert "img" in report and "image-alt" in report


COVERED_SECTIONS = {"vacatures", "organisaties", "verhalen", "agenda", "bedankt"}
# The web editor (/admin/) is Decap CMS's own interface: its accessibility is the library's. The page of the
# editor that is ours, the error list of `serve --editor`, is checked in test_browser_editor.py.
NOT_OURS = {"admin"}


def other_pages(site: Site) -> dict[str, str]:
    """One page of every other kind the site writes (an appointment or submission form, embeddable widgets,
    screen pages...): each other top-level page, and the richest page of each folder of pages elsewhere."""
    static = {p.stem for p in STATIC_PAGES}
    groups: dict[str, list[str]] = {}
    for path in sorted(site.output.rglob("*.html")):
        rel = path.relative_to(site.output).as_posix()
        parts = rel.split("/")
        if parts[0] in COVERED_SECTIONS | NOT_OURS or parts[0] in static or rel in ("index.html", "404.html"):
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue  # a forwarding page (a redirect, a short link): the browser is at its target at once
        if parts[-1] == "index.html":
            url = rel.removesuffix("index.html")
            key = "/".join(parts[:-2]) + "/*/" if len(parts) > 2 else url
        else:
            url, key = rel, "/".join(parts[:-1] + ["*.html"])
        groups.setdefault(key, []).append(url)
    return {key: site.richest(urls) for key, urls in sorted(groups.items())}


def test_every_other_kind_of_page_has_no_axe_violations(page, site):
    """Pages beyond the list above, found in the build: they get the same checks, reported together."""
    pages = other_pages(site)
    if not pages:
        pytest.fail("the site has no other kinds of pages")
    problems = []
    for key, rel in pages.items():
        url = site.url_of(rel)
        page.set_viewport_size(VIEWPORTS["desktop"])
        violations, failed = axe_violations(page, url)
        if violations:
            problems.append(format_violations(f"{url} (one of {key}, desktop)", violations))
        if failed:
            problems.append(f"{url}: requests for the page's resources failed: {', '.join(failed)}")
        page.set_viewport_size(VIEWPORTS["phone"])
        page.reload()
        wide = page.evaluate(_OVERFLOW)
        if wide:
            problems.append(f"{url}: at 320 CSS pixels the page scrolls sideways (WCAG 1.4.10 Reflow); too wide: "
                            + ", ".join(wide))
    assert not problems, f"checked {len(pages)} other kinds of pages: {', '.join(pages)}\n" + "\n".join(problems)
