"""The Content-Security-Policy in Chromium: every page type of the sample site, search with a search run and the
matcher with answers given, loads under the site's security headers (hasselthelpt/security.py, which the test
server sends as `hasselthelpt serve` does) without one CSP violation; the widget embeds in another site's iframe,
the pages do not."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from browser_gates import Site
from find_testing import after
from hasselthelpt import security
from hasselthelpt.outputs.matcher import Answers
from test_browser_axe import PAGE_TYPES, STATIC_PAGES, other_pages, resolve
from test_browser_matcher import fill

WATCH = """
window.__hhCsp = [];
document.addEventListener('securitypolicyviolation', e => window.__hhCsp.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || 'the page'}:${e.lineNumber})`));
"""


class Watched:
    """A page that records CSP violations: `securitypolicyviolation` events and Chromium's console messages."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None)

    def violations(self) -> list[str]:
        events = self.page.evaluate("window.__hhCsp || []")
        found, self.console = events + self.console, []
        return found

    def goto(self, url: str) -> dict[str, str]:
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        return response.headers


@pytest.fixture
def watched(page) -> Watched:
    return Watched(page)


def all_pages(site: Site) -> list[str]:
    types = [*PAGE_TYPES, *(f"page:{p.stem}" for p in STATIC_PAGES)]
    return list(dict.fromkeys([*(resolve(site, t) for t in types), *other_pages(site).values()]))


def test_no_page_logs_a_csp_violation(watched, site):
    pages = all_pages(site)
    assert any(p.startswith("widget/") for p in pages) and "zoeken/" in pages and "matcher/" in pages
    problems = []
    for rel in pages:
        headers = watched.goto(site.url_of(rel))
        path = "/" + site.url_of(rel).split("/", 3)[3]
        assert headers["content-security-policy"] == security.headers(path, "/hasselthelpt")[
            "Content-Security-Policy"], rel
        watched.page.wait_for_timeout(50)  # deferred scripts and late resources
        problems += [f"{rel}: {v}" for v in watched.violations()]
    assert not problems, f"{len(problems)} CSP violation(s) on {len(pages)} pages:\n" + "\n".join(problems)


def test_search_runs_under_the_csp(watched, site):
    """Pagefind loads its WebAssembly and index, and a search shows results."""
    page = watched.page
    watched.goto(site.url_of("zoeken/"))
    page.wait_for_selector("form[data-hh-search][data-done]")
    after(page, "form[data-hh-search]", lambda: page.fill("form[data-hh-search] [name=q]", "koken"))
    assert page.locator("[data-results] > li").count() > 0
    assert watched.violations() == []


def test_matcher_runs_under_the_csp(watched, site):
    page = watched.page
    watched.goto(site.url_of("matcher/"))
    page.wait_for_selector("form[data-hh-matcher]:not([hidden])")
    fill(page, Answers.of(themes=["buurt-en-samenleven"], talents=["koken"], when=["weekdag"], places=["kiewit"]))
    after(page, "form[data-hh-matcher]", lambda: page.click("text=Toon mijn matches"))
    assert page.locator("[data-results] > li").count() > 0
    assert watched.violations() == []


def test_the_csp_catches_inline_script(watched, served):
    """The gate can fail: an inline script and an inline event handler under the site's headers are reported."""
    folder = served.root / "_csp-gate"
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text('<!doctype html><html lang="nl"><title>x</title><script>window.ran = 1'
                                       '</script><img src="/nope.png" onerror="window.ran = 2">', encoding="utf-8")
    watched.goto(served.url + "_csp-gate/")
    watched.page.wait_for_timeout(100)
    found = watched.violations()
    assert watched.page.evaluate("window.ran") is None
    assert any("script-src" in v for v in found), found


class _OtherSite(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


@pytest.fixture
def other_site(tmp_path):
    """Another site (another origin: another port, without our headers) that embeds what it is given."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_OtherSite, directory=tmp_path))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_widget_embeds_in_another_site_and_pages_do_not(watched, site, other_site):
    widget = site.url_of(next(p for p in all_pages(site) if p.startswith("widget/")))
    vacancy = site.url_of(resolve(site, "vacancy"))
    folder, url = other_site
    (folder / "index.html").write_text(f'<!doctype html><html lang="nl"><title>Andere site</title>'
                                       f'<iframe name="widget" src="{widget}"></iframe>'
                                       f'<iframe name="page" src="{vacancy}"></iframe>', encoding="utf-8")
    watched.goto(url)
    page = watched.page
    page.frame(name="widget").wait_for_load_state()
    page.wait_for_timeout(200)
    assert page.frame(name="widget").url == widget
    assert page.frame(name="widget").locator("h1").inner_text().startswith("Vrijwilligerswerk")
    assert page.frame(name="page").url != vacancy  # Chromium's error page instead: frame-ancestors 'none'
