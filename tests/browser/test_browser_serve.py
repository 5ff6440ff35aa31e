"""`hasselthelpt serve` in development, as an editor uses it: the real command on a scratch copy of the project,
Chromium on a page, and files edited while it runs. The page follows each edit without a manual reload, a
content error shows in the browser (the server keeps running) until it is fixed, and the form endpoint takes
sign-ups for a vacancy added while the server runs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from browser_gates import TODAY, copy_project, shared_cache
from hasselthelpt.live import BUILD_URL, SCRIPT

VACANCY = "babbelaar-woonzorgcentrum-kermt"  # a vacancy of the sample content, open on TODAY
BUILD_SECONDS = 120  # a rebuild takes a few seconds; the shared machine can be slow
FEED = "feeds/vacatures.rss.xml"
OUTPUTS_MADE = "Then the other outputs: "  # hasselthelpt serve's log, after each build's outputs besides the pages
WHOLE = (FEED, "pagefind/pagefind-entry.json", "agenda/agenda.ics", "admin/index.html")  # outputs besides the pages


@dataclass
class Running:
    project: Path
    url: str  # ending in /
    process: subprocess.Popen
    log: Path
    ready_with: tuple[str, ...] = ()  # the outputs besides the pages that were there when the server answered

    def build_number(self) -> int:
        with urllib.request.urlopen(self.url + BUILD_URL, timeout=30) as response:
            return json.load(response)["build"]

    def wait_for_build(self, after: int) -> int:
        deadline = time.monotonic() + BUILD_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"serve stopped:\n{self.log.read_text()[-3000:]}"
            with urllib.request.urlopen(f"{self.url}{BUILD_URL}?after={after}", timeout=30) as response:
                number = json.load(response)["build"]
            if number != after:
                return number
        pytest.fail(f"no build after build {after} within {BUILD_SECONDS} s:\n{self.log.read_text()[-3000:]}")

    def wait_until(self, done, what: str) -> None:
        deadline = time.monotonic() + BUILD_SECONDS
        while not done():
            assert time.monotonic() < deadline, f"{what} within {BUILD_SECONDS} s:\n{self.log.read_text()[-3000:]}"
            time.sleep(0.5)

    def outputs_made(self) -> int:
        """How many builds made the outputs besides the pages (the worker says so in the log)."""
        return self.log.read_text(encoding="utf-8").count(OUTPUTS_MADE)

    def wait_for_build_where(self, after: int, done) -> int:
        """Builds after `after` until `done()` holds: a build that a previous test's change started may end
        first, before the one that sees this test's change."""
        number = self.wait_for_build(after)
        while not done():
            number = self.wait_for_build(number)
        return number

    def vacancy_file(self, slug: str = VACANCY) -> Path:
        return self.project / "vacancies" / f"{slug}.yaml"

    def edit(self, slug: str, **changes) -> None:
        """Change fields of a vacancy file as an editor would (the text rewritten, one save)."""
        path = self.vacancy_file(slug)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in changes.items():
            target = data
            *parents, last = key.split(".")
            for parent in parents:
                target = target[parent]
            target[last] = value
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Running:
    project = copy_project(tmp_path_factory.mktemp("serve"))
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as f:  # the date of the sample content, and
        f.write(f"\nHH_TODAY = {TODAY!r}\nHH_CACHE_PATH = {str(shared_cache(tmp_path_factory))!r}\n")  # its photos
    port = _free_port()
    log = project / "serve.log"
    env = {**os.environ, "HH_DATABASE": str(project / "serve.sqlite3"), "HH_MIN_FILL_SECONDS": "0"}
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "hasselthelpt.cli", "--project", str(project), "serve",
                                    "--port", str(port)], cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    running = Running(project, f"http://127.0.0.1:{port}/", process, log)
    try:
        deadline = time.monotonic() + BUILD_SECONDS
        while True:
            assert process.poll() is None, f"serve stopped:\n{log.read_text()[-3000:]}"
            try:
                assert running.build_number() == 1
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, f"serve did not answer:\n{log.read_text()[-3000:]}"
                time.sleep(0.5)
        running.ready_with = tuple(rel for rel in WHOLE if (project / "output" / rel).is_file())
        yield running
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl+C: gunicorn stops its worker, then itself
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_page_follows_an_edit_without_a_manual_reload(running, page):
    page.goto(running.url + f"vacatures/{VACANCY}/")
    assert page.locator(f"script[src$='{SCRIPT}']").count() == 1
    listing, story = page.context.new_page(), page.context.new_page()
    listing.goto(running.url + "vacatures/deelgemeente/kermt/")  # the vacancy is in Kermt
    story.goto(running.url + "verhalen/")
    loads = {"vacancy": 0, "listing": 0, "story": 0}
    for name, tab in (("vacancy", page), ("listing", listing), ("story", story)):
        tab.on("load", lambda _, name=name: loads.__setitem__(name, loads[name] + 1))
    heading = page.locator("main h1")
    old = heading.inner_text()
    number = running.build_number()
    title = "Babbelaar gezocht voor de koffieklets"
    running.edit(VACANCY, title=title)
    expect(heading).to_have_text(title, timeout=BUILD_SECONDS * 1000)
    assert old != heading.inner_text()
    expect(listing.locator("main")).to_contain_text(title, timeout=BUILD_SECONDS * 1000)
    feed = running.project / "output" / FEED  # the outputs besides the pages follow the reload
    running.wait_until(lambda: title in feed.read_text(encoding="utf-8"), "the feed did not follow the edit")
    # one save: the edited page at once (hasselthelpt/quick_render.py), then the build, whose listings show the
    # new title too; no more. Each page reloaded once at most: the edited page for the quick render, the list
    # for the build; the stories do not show vacancy titles and stayed as they were
    assert running.build_number() == number + 2
    assert loads == {"vacancy": 1, "listing": 1, "story": 0}
    listing.close()
    story.close()


def test_a_text_edit_shows_at_once_and_the_build_after_it_reloads_nothing(running, page):
    page.goto(running.url + f"vacatures/{VACANCY}/")
    number, made = running.build_number(), running.outputs_made()
    quick = f"Rendered at once: vacatures/{VACANCY}/index.html"
    rendered = running.log.read_text(encoding="utf-8").count(quick)
    source = yaml.safe_load(running.vacancy_file().read_text(encoding="utf-8"))
    text = "Je krijgt een kop koffie van het huis."
    running.edit(VACANCY, description=f"{source['description']}\n\n{text}\n")
    expect(page.locator("main")).to_contain_text(text, timeout=BUILD_SECONDS * 1000)
    assert running.log.read_text(encoding="utf-8").count(quick) == rendered + 1
    running.wait_until(lambda: running.outputs_made() > made, "the build after the edit did not end")
    assert running.build_number() == number + 1  # the build wrote no page besides the quick one: no reload


def test_a_save_while_the_last_ones_other_outputs_are_made_wins_everywhere(running, page):
    """Saved again as soon as the first save shows (a typo mended): the worker may leave the first save's feeds
    and search index to the second save's build (worker.Requests.waiting), which makes them all; the page and
    the feed end with the second text."""
    page.goto(running.url + f"vacatures/{VACANCY}/")
    heading = page.locator("main h1")
    first, second = "Babbelaar gezocht voor de koffieklts", "Babbelaar gezocht voor de koffieklets in Kermt"
    running.edit(VACANCY, title=first)
    expect(heading).to_have_text(first, timeout=BUILD_SECONDS * 1000)
    running.edit(VACANCY, title=second)
    expect(heading).to_have_text(second, timeout=BUILD_SECONDS * 1000)
    feed = running.project / "output" / FEED

    def settled() -> bool:
        last = (running.log.read_text(encoding="utf-8").rsplit(OUTPUTS_MADE, 1)[-1].splitlines() or [""])[0]
        text = feed.read_text(encoding="utf-8")
        return "left for the next build" not in last and second in text and first not in text

    running.wait_until(settled, "the second save's build did not make every other output")


def test_the_first_build_is_whole_when_the_server_answers(running):
    """No browser waits for the first build: it makes every output before the server says it is ready, so a
    search or a feed asked for right away is there."""
    assert running.ready_with == WHOLE


def test_a_content_error_shows_in_the_browser_until_it_is_fixed(running, page):
    page.goto(running.url + f"vacatures/{VACANCY}/")
    heading = page.locator("main h1")
    title = heading.inner_text()
    running.edit(VACANCY, **{"place.deelgemeente": "Kermt-Centrum"})
    expect(heading).to_have_text("De site kon niet gebouwd worden", timeout=BUILD_SECONDS * 1000)
    error = page.locator(".build-errors li")
    expect(error).to_have_count(1)
    text = error.inner_text()
    assert f"vacancies/{VACANCY}.yaml:" in text and "place.deelgemeente" in text and "'Kermt-Centrum'" in text
    assert "How to fix" in text and "kermt" in text
    with urllib.request.urlopen(running.url + "api/health", timeout=30) as response:  # still serving
        assert response.status == 200
    running.edit(VACANCY, **{"place.deelgemeente": "kermt"})
    expect(heading).to_have_text(title, timeout=BUILD_SECONDS * 1000)
    assert running.process.poll() is None


def _sign_up(running: Running, slug: str) -> tuple[int, dict]:
    body = json.dumps({"form": "aanmelding", "vacancy": slug, "name": "Sam", "email": "sam@example.be",
                       "consent": "ja", "privacy_version": "1.3", "website": ""}).encode()
    request = urllib.request.Request(running.url + "api/aanmelding", body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_the_endpoint_takes_sign_ups_for_a_vacancy_added_while_serving(running):
    slug = "soepbedeler-kermt"
    status, answer = _sign_up(running, slug)
    assert status == 400 and "vacancy" in answer["errors"], answer
    number = running.build_number()
    source = yaml.safe_load(running.vacancy_file().read_text(encoding="utf-8"))
    running.vacancy_file(slug).write_text(yaml.safe_dump({**source, "title": "Soep bedelen in Kermt"},
                                                        allow_unicode=True, sort_keys=False), encoding="utf-8")
    page = running.project / "output" / "vacatures" / slug / "index.html"
    running.wait_for_build_where(number, page.is_file)
    status, answer = _sign_up(running, slug)
    assert status == 200 and answer["ok"], answer


def test_only_a_served_development_build_loads_the_script(site, dev_site):
    """The production build and a plain development build (`hasselthelpt build`) carry nothing of it."""
    for built in (site, dev_site):
        for path in built.output.rglob("*.html"):
            assert "__hh" not in path.read_text(encoding="utf-8"), path
