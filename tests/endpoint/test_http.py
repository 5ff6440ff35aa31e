"""Against real servers on loopback: the endpoint behind a threaded HTTP server, and `hasselthelpt serve` (gunicorn
serving the built site and the endpoint on one address, as the README's first command does)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from endpoint_testing import (Clock, app_for, appointment, env, fetch, free_port, make_project, post_form, serving,
                              signup, vacancy_submission, wait_for)
from hasselthelpt.endpoint.serve import StaticSite, mount
from hasselthelpt.endpoint.storage import open_storage

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def live(ep_project):
    app = app_for(ep_project.root, Clock(), HH_RATE_LIMIT="200/60")
    with serving(app) as url:
        yield app, url


@pytest.mark.parametrize("fields, thanks", [(signup(), "/bedankt/"), (appointment(), "/afspraak/bedankt/"),
                                            (vacancy_submission(), "/vacature-indienen/bedankt/")])
def test_each_form_over_http(live, fields, thanks):
    app, url = live
    answer = post_form(url + "/aanmelding", fields, SAME_ORIGIN)
    assert answer.status == 303 and answer.headers["Location"] == thanks
    assert app.storage.count(fields["form"]) == 1


def test_json_over_http(live):
    app, url = live
    token = json.loads(fetch("GET", url + "/formtoken").body)["token"]
    app.clock.advance(seconds=5)
    answer = post_form(url + "/aanmelding", signup(token=token), {**SAME_ORIGIN, "Accept": "application/json"})
    assert answer.status == 200 and answer.json()["ok"] is True


def test_refusals_over_http(live):
    app, url = live
    cross = post_form(url + "/aanmelding", signup(), {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert cross.status == 403 and "website van HASSELT Helpt" in cross.text
    bad = post_form(url + "/aanmelding", signup(email="nee"), SAME_ORIGIN)
    assert bad.status == 400 and "geen e-mailadres" in bad.text
    huge = fetch("POST", url + "/aanmelding", b"x" * 70_000,
                 {"Content-Type": "application/x-www-form-urlencoded", **SAME_ORIGIN})
    assert huge.status == 413
    assert app.storage.count() == 0


def test_rate_limit_over_http(ep_project):
    app = app_for(ep_project.root, Clock(), HH_RATE_LIMIT="5/60")
    with serving(app) as url:
        codes = [post_form(url + "/aanmelding", signup(submission_id=f"rate-{n:04d}"), SAME_ORIGIN).status
                 for n in range(7)]
    assert codes == [303] * 5 + [429] * 2
    assert app.storage.count() == 5


def test_concurrent_sign_ups_over_http(live):
    app, url = live

    def send(n: int) -> int:
        return post_form(url + "/aanmelding", signup(submission_id=f"parallel-{n:04d}"),
                         {**SAME_ORIGIN, "Accept": "application/json"}).status

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(send, range(60)))
    assert codes == [200] * 60 and app.storage.count() == 60


def test_static_site_and_mount(tmp_path):
    (tmp_path / "site" / "map").mkdir(parents=True)
    (tmp_path / "site" / "map" / "index.html").write_text("<h1>map</h1>")
    (tmp_path / "site" / "404.html").write_text("<h1>weg</h1>")
    (tmp_path / "geheim.txt").write_text("secret")
    seen = []

    def api(environ, start_response):
        seen.append((environ["SCRIPT_NAME"], environ["PATH_INFO"]))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"api"]

    with serving(mount(StaticSite(tmp_path / "site"), "/api", api)) as url:
        assert fetch("GET", url + "/map/").body == b"<h1>map</h1>"
        moved = fetch("GET", url + "/map")
        assert moved.status == 301 and moved.headers["Location"] == "/map/"
        for path in ("/../geheim.txt", "/map/../../geheim.txt", "/%2e%2e/geheim.txt", "/bestaat-niet/"):
            answer = fetch("GET", url + path)
            assert answer.status == 404 and b"secret" not in answer.body
        assert fetch("GET", url + "/api/formtoken").body == b"api"
        assert fetch("POST", url + "/map/", b"").status == 405
    assert seen == [("/api", "/formtoken")]


def test_hasselthelpt_serve_gives_the_site_with_working_forms(tmp_path):
    project = make_project(tmp_path, full=True)
    port = free_port()
    environment = {**os.environ, **env(project.root)}
    server = subprocess.Popen([sys.executable, "-m", "hasselthelpt.cli", "--project", str(project.root), "serve",
                               "--port", str(port)], env=environment, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(server.stdout), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/api/health", 60)
        assert "Serving HASSELT Helpt with its forms" in "".join(output)
        home = fetch("GET", url + "/")
        assert home.status == 200 and b"HASSELT" in home.body
        for page in ("/afspraak/", "/vacature-indienen/", "/vacatures/kok/", "/theme/js/forms.js"):
            assert fetch("GET", url + page).status == 200, page
        token = json.loads(fetch("GET", url + "/api/formtoken").body)
        assert token["token"].startswith("v1.")
        answer = post_form(url + "/api/aanmelding", appointment(), SAME_ORIGIN)
        assert answer.status == 303 and answer.headers["Location"] == "/afspraak/bedankt/"
        assert fetch("GET", url + answer.headers["Location"]).status == 200
        assert fetch("GET", url + "/bestaat-niet/").status == 404
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl+C
        server.wait(timeout=30)
    storage = open_storage(str(project.root / "var" / "test.sqlite3"))
    assert [r.kind for r in storage.records()] == ["afspraak"]
