"""The city's report (`hasselthelpt report`) in Chromium: no axe-core violations of WCAG 2.0, 2.1 and 2.2 A and
AA, on a desktop and on a 320-pixel phone (where only the data tables may scroll sideways, WCAG 1.4.10), and
the charts drawn without JavaScript."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from browser_gates import VIEWPORTS, Served, axe_violations, format_violations
from report_testing import TODAY, generate, make_project

from hasselthelpt import security
from hasselthelpt.cli import main
from hasselthelpt.endpoint.storage import SQLiteStorage

_TOO_WIDE = """() => {
  const limit = document.documentElement.clientWidth + 1;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit && !e.closest('table'))
    .filter(e => !e.closest('.scroll'))
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''));
}"""


class IntranetHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as the intranet's host does: with the staff pages' security headers (security.py's
    STAFF_HEADERS: the site's policy, with inline styles allowed and still no script)."""

    def end_headers(self):
        for name, value in security.STAFF_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


@pytest.fixture(scope="module")
def intranet(tmp_path_factory):
    root = tmp_path_factory.mktemp("intranet")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(IntranetHandler,
                                                                                  directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="intranet-server", daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def report_url(intranet, tmp_path_factory):
    served = intranet
    root = tmp_path_factory.mktemp("report-project")
    make_project(root)
    store = SQLiteStorage(root / "hh.sqlite3")
    store.migrate()
    generate(store)
    store.close()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HH_DATABASE", str(root / "hh.sqlite3"))
        assert main(["--project", str(root), "report", "--out", str(served.root / "cijfers"), "--today",
                     TODAY.isoformat()]) == 0
    return served.url + "cijfers/"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_report_has_no_axe_violations(page, report_url, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    violations, failed = axe_violations(page, report_url)
    assert not refused, "the intranet's security policy refused part of the report:\n" + "\n".join(refused)
    assert not violations, format_violations(f"{report_url} ({viewport})", violations)
    assert not failed, "requests for the report's files failed:\n" + "\n".join(failed)
    if viewport == "phone":
        wide = page.evaluate(_TOO_WIDE)
        assert not wide, f"at 320 px the report scrolls sideways outside its tables: {', '.join(wide[:6])}"


def test_charts_are_drawn_without_javascript(page_without_js, report_url):
    page = page_without_js
    page.goto(report_url, wait_until="load")
    sizes = page.evaluate("""() => [...document.querySelectorAll('svg')].map(s => {
      const r = s.getBoundingClientRect();
      return {w: r.width, h: r.height, bars: s.querySelectorAll('.series rect, .series path').length};
    })""")
    assert len(sizes) == 8
    for size in sizes:
        assert size["w"] > 200 and size["h"] > 100, f"a chart is not drawn: {size}"
        assert size["bars"] > 0, "a chart without bars"


def test_report_is_valid_html(report_url, intranet):
    """The Nu HTML Checker finds no error: eight inline SVG charts on one page, and no id twice."""
    from test_html_valid import format_errors, run_vnu

    folder = intranet.root / "cijfers"
    errors = run_vnu(folder)
    assert not errors, format_errors(errors, folder)
