"""The forms in Chromium, against the built site and the real endpoint on one address: with JavaScript they send in
place (errors inline, tied to their fields; the thank-you message in the page), without it they post and land
on the thank-you page."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
from endpoint_testing import make_project, serving, settings  # noqa: E402
from hh_testing import TODAY  # noqa: E402
from hasselthelpt.endpoint import create_app  # noqa: E402
from hasselthelpt.endpoint.serve import StaticSite, mount  # noqa: E402
from hasselthelpt.security import with_headers  # noqa: E402
from hasselthelpt.endpoint.storage import UTC  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("forms"), full=True)
    return project, project.build(today=TODAY)


@pytest.fixture
def site(built, tmp_path):
    project, output = built
    app = create_app(settings(project.root, HH_DATABASE=str(tmp_path / "forms.sqlite3"), HH_MIN_FILL_SECONDS="2"),
                     clock=lambda: dt.datetime.now(UTC))
    with serving(with_headers(mount(StaticSite(output), "/api", app))) as url:
        yield app, url


def test_sign_up_in_place_with_inline_errors(page, site):
    app, url = site
    page.goto(url + "/vacatures/kok/")
    page.wait_for_function("() => document.querySelector('form[data-hh-form] [name=token]').value !== ''")
    assert page.input_value("[name=submission_id]")
    page.fill("#naam", "Fatima")
    page.fill("#email", "fatima@example")  # the browser takes it; the endpoint wants a domain with a dot
    page.check("#toestemming")
    page.click("form[data-hh-form] button[type=submit]")
    error = page.locator("#fout-email")
    error.wait_for()
    assert "geen e-mailadres" in error.inner_text()
    assert page.get_attribute("#email", "aria-invalid") == "true"
    assert "fout-email" in page.get_attribute("#email", "aria-describedby").split()
    assert page.evaluate("document.activeElement.classList.contains('form-summary')")
    assert app.storage.count() == 0

    page.fill("#email", "fatima@example.be")
    page.click("form[data-hh-form] button[type=submit]")
    done = page.locator(".form-done[role=status]")
    done.wait_for()
    assert "Bedankt" in done.inner_text() and "An neemt binnen een week contact" in done.inner_text()
    assert page.url == url + "/vacatures/kok/"  # no page load
    [record] = app.storage.records()
    assert record.idem_key.startswith("c:aanmelding:") and record.data["name"] == "Fatima"


def test_a_quick_person_is_not_refused(page, site):
    """The script waits out the minimum fill time itself instead of showing 'too fast'."""
    app, url = site
    page.goto(url + "/afspraak/")
    page.fill("#naam", "Olena")
    page.fill("#telefoon", "011 23 94 00")
    page.check("#talents-koken")
    page.check("#toestemming")
    page.click("form[data-hh-form] button[type=submit]")
    page.locator(".form-done[role=status]").wait_for()
    [record] = app.storage.records()
    assert record.kind == "afspraak" and record.data["talents"] == ["koken"]


def test_without_javascript_the_form_posts_to_the_thank_you_page(page_without_js, site):
    app, url = site
    page = page_without_js
    page.goto(url + "/vacatures/kok/")
    page.fill("#naam", "Jan")
    page.fill("#email", "jan@example.be")
    page.check("#toestemming")
    page.click("form button[type=submit]")
    page.wait_for_url(url + "/bedankt/")
    assert page.locator("h1").inner_text() == "Bedankt!"
    assert [r.data["name"] for r in app.storage.records()] == ["Jan"]
