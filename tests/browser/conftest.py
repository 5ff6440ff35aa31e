"""Fixtures of the browser and HTML gates: the sample site built once, served locally, and Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from browser_gates import (CHROMIUM_ARGS, PREFIX, QuietHandler, Served, Site, build, chromium_path, copy_project,
                           missing_tool, shared_cache)


@pytest.fixture(scope="session")
def served(tmp_path_factory) -> Served:
    root = tmp_path_factory.mktemp("served")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample_copy(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def site(served, sample_copy, tmp_path_factory) -> Site:
    """The production build of the sample site, served at <server>/hasselthelpt/."""
    siteurl = served.url + PREFIX
    build(sample_copy, served.root / PREFIX, production=True, siteurl=siteurl, cache=shared_cache(tmp_path_factory))
    return Site(served.root / PREFIX, siteurl + "/")


@pytest.fixture(scope="session")
def dev_site(served, sample_copy, tmp_path_factory) -> Site:
    """The development build (relative URLs, previews marked 'voorbeeld'), served at <server>/dev/."""
    build(sample_copy, served.root / "dev", production=False, cache=shared_cache(tmp_path_factory))
    return Site(served.root / "dev", served.url + "dev/")


# --- The browser ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not executable:
        missing_tool("Chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("the Python package playwright is not installed")
    with sync_playwright() as pw:
        # Playwright adds --headless and its own empty --user-data-dir.
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _page(browser, **options):
    context = browser.new_context(locale="nl-BE", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser):
    yield from _page(browser)


@pytest.fixture
def page_without_js(browser):
    yield from _page(browser, java_script_enabled=False)
