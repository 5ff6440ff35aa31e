"""Subscribing to vacancy alerts from the search page in Chromium, against the built site and the real endpoint
on one address: without JavaScript the person ticks the filters in the alert form itself and lands on the
endpoint's "look in your mailbox" page; with it, the filters chosen in the search are taken over and the answer
appears in place."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
from endpoint_testing import make_project, serving, settings  # noqa: E402
from hh_testing import TODAY  # noqa: E402
from hasselthelpt.endpoint import alerts, create_app  # noqa: E402
from hasselthelpt.endpoint.serve import StaticSite, mount  # noqa: E402
from hasselthelpt.endpoint.storage import UTC  # noqa: E402
from hasselthelpt.security import with_headers  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("alerts"), full=True)
    return project, project.build(today=TODAY)


@pytest.fixture
def site(built, tmp_path):
    project, output = built
    app = create_app(settings(project.root, HH_DATABASE=str(tmp_path / "alerts.sqlite3"), HH_MIN_FILL_SECONDS="1"),
                     clock=lambda: dt.datetime.now(UTC))
    with serving(with_headers(mount(StaticSite(output), "/api", app))) as url:
        yield app, url


def test_subscribe_from_the_search_page_without_javascript(page_without_js, site):
    app, url = site
    page = page_without_js
    page.goto(url + "/zoeken/")
    page.click("form[data-hh-alert] summary")
    page.check("#a-thema-buurt-en-samenleven")
    page.check("#a-deelgemeente-kermt")
    page.fill("#a-email", "mila@example.be")
    page.check("#a-frequency-maand")
    page.check("#a-toestemming")
    page.click("form[data-hh-alert] button[type=submit]")
    page.wait_for_url(url + "/api/aanmelding")
    assert "Kijk in je mailbox" in page.inner_text("h1")
    [sub] = alerts.subscriptions(app.storage)
    assert sub.filters == {"deelgemeente": ["kermt"], "thema": ["buurt-en-samenleven"]}
    assert sub.frequency == "maand" and sub.confirmed_at is None
    assert app.storage.outbox_state().pending == 1  # the confirmation mail, nothing else


def test_subscribe_with_the_search_filters_in_place(page, site):
    app, url = site
    page.goto(url + "/zoeken/?soort=structureel")  # a filter from the address, as search.js reads it
    page.wait_for_selector("form[data-hh-search]:not([hidden])")
    page.wait_for_function("() => document.querySelector('#f-soort-structureel').checked")
    page.check("#f-thema-buurt-en-samenleven")
    page.check("#f-deelgemeente-kermt")
    page.wait_for_function("() => document.querySelector('form[data-hh-alert] [name=token]').value !== ''")
    page.fill("#a-email", "jonas@example.be")  # turning to the alert form takes the search filters over
    assert page.is_checked("#a-thema-buurt-en-samenleven") and page.is_checked("#a-deelgemeente-kermt")
    page.check("#a-toestemming")
    page.click("form[data-hh-alert] button[type=submit]")
    done = page.locator(".alert-signup .form-done[role=status]")  # forms.js puts the answer in the form's place
    done.wait_for()
    assert "bevestigen" in done.inner_text()
    assert page.url.startswith(url + "/zoeken/")
    [sub] = alerts.subscriptions(app.storage)
    assert sub.filters == {"deelgemeente": ["kermt"], "soort": ["structureel"], "thema": ["buurt-en-samenleven"]}
    assert sub.email == "jonas@example.be" and sub.frequency == "week"
