"""`hasselthelpt publish` and `rollback` (hasselthelpt/publish.py): releases switch atomically under load, a failing
check or a vanishing address leaves the live release untouched, redirects become nginx 301s, git renames become
redirects by themselves, and the endpoint's health tells the live release."""

from __future__ import annotations

import datetime as dt
import gzip
import http.client
import io
import json
import os
import shutil
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import pytest

from hh_testing import TODAY, Project, organisation, vacancy

from hasselthelpt.build import check
from hasselthelpt.cli import build_site, main
from hasselthelpt.endpoint import create_app, from_env
from hasselthelpt.paper import short_links
from hasselthelpt.publish import PublishError, publish, rollback
from hasselthelpt.releases import CURRENT, LAST_PUBLISH, all_releases, live_name

PREFIX = "/hasselthelpt"  # publishconf.py's SITEURL path


def make_project(root: Path) -> Project:
    root.mkdir()
    p = Project(root)
    p.write("content/organisations/buurtwerk.yaml", organisation())
    p.write("vacancies/kok.yaml", vacancy())
    p.write("vacancies/chauffeur.yaml", vacancy(title="Chauffeur voor buren", themes=["zorg-en-welzijn"]))
    p.write("content/organisations/kookclub.yaml", organisation(name="Kookclub Kermt"))  # no vacancy: not printed
    return p


def run(project: Project, releases: Path, **kwargs):
    """`hasselthelpt publish --releases releases`, on the day the test content is written for."""
    return publish(partial(project.settings, production=True),
                   partial(build_site, project.root, True, HH_TODAY=TODAY), releases, **kwargs)


def live_text(releases: Path, url: str) -> str:
    return (releases / CURRENT / "site" / url / "index.html").read_text(encoding="utf-8")


def last_publish(releases: Path) -> dict:
    return json.loads((releases / LAST_PUBLISH).read_text(encoding="utf-8"))


def retitle(project: Project, title: str) -> None:
    project.write("vacancies/kok.yaml", vacancy(title=title))


@pytest.fixture(scope="module")
def first_release(tmp_path_factory) -> Path:
    """A project and its releases folder after a first publish (which compresses every file: the slow part)."""
    folder = tmp_path_factory.mktemp("published")
    run(make_project(folder / "project"), folder / "www")
    return folder


@pytest.fixture
def published(first_release, tmp_path) -> tuple[Project, Path]:
    """A copy of the first release's project and releases folder, for one test to change."""
    shutil.copytree(first_release, tmp_path / "copy", symlinks=True)
    project = object.__new__(Project)  # the folder has the settings, theme and plugins already
    project.root = tmp_path / "copy" / "project"
    return project, tmp_path / "copy" / "www"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_publishing_twice_under_load_every_response_is_complete(published):
    project, releases = published
    urls = [a.removeprefix(PREFIX) for a in (releases / CURRENT / "addresses.txt").read_text().split()
            if a.endswith("/")]
    # Like nginx, the server opens files through DIR/current on every request.
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(releases / CURRENT / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen, problems, stop = set(), [], threading.Event()

    def fetch_forever():
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        while not stop.is_set():
            for url in urls:
                conn.request("GET", url)
                answer = conn.getresponse()
                body = answer.read()
                if answer.status != 200 or len(body) != int(answer.headers["Content-Length"]) \
                        or not body.rstrip().endswith(b"</html>"):
                    problems.append((url, answer.status, len(body)))
                if url == "/vacatures/kok/":
                    seen.add(body.split(b"<title>")[1].split(b" |")[0].decode())

    client = threading.Thread(target=fetch_forever)
    client.start()
    try:
        for title in ("Kok voor de soep", "Kok voor het buurtfeest"):
            retitle(project, title)
            run(project, releases)
        for _ in range(100):  # the client's next round reaches the last release
            if title in seen:
                break
            stop.wait(0.1)
    finally:
        stop.set()
        client.join()
        server.shutdown()
    assert not problems, problems[:10]
    assert {"Kok voor de buurtsoep", "Kok voor het buurtfeest"} <= seen, seen  # before and after the switches
    assert len(all_releases(releases)) == 3


def test_a_release_is_a_hard_linked_copy_and_never_changes_the_live_one(published):
    project, releases = published
    first = releases / CURRENT
    first = first.parent / os.readlink(first)
    before = {p: p.read_bytes() for p in first.rglob("*") if p.is_file()}
    retitle(project, "Kok voor de soep")
    project.write("content/redirects.yaml", "- from: /vacatures/oud/\n  to: /vacatures/kok/\n")  # new rules too
    summary = run(project, releases)
    assert summary.pages["changed"] and f"{PREFIX}/vacatures/kok/" in summary.pages["changed"]
    assert all(p.read_bytes() == data for p, data in before.items()), "the old release was written into"
    second = releases / CURRENT / "site"
    same = second / "theme" / "css" / "site.css"
    assert same.stat().st_ino == (first / "site" / "theme" / "css" / "site.css").stat().st_ino
    page = second / "vacatures" / "kok" / "index.html"
    assert page.stat().st_ino != (first / "site" / "vacatures" / "kok" / "index.html").stat().st_ino
    # precompressed beside each text file, decoding to it; unchanged ones are the live ones (same inode)
    assert gzip.decompress((page.parent / "index.html.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress((page.parent / "index.html.br").read_bytes()) == page.read_bytes()
    assert (page.parent / "index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"  # no time stamp: same bytes each time
    assert Path(str(same) + ".br").stat().st_ino == Path(str(first / "site/theme/css/site.css") + ".br").stat().st_ino


def test_a_failing_check_leaves_the_live_release_untouched(published):
    project, releases = published
    live = live_name(releases)
    project.write("vacancies/kapot.yaml", {"title": "Zonder de rest"})
    with pytest.raises(PublishError, match="vacancies/kapot.yaml"):
        run(project, releases)
    assert live_name(releases) == live and len(all_releases(releases)) == 1
    assert not (releases / "releases" / ".staging").exists()
    record = last_publish(releases)
    assert record["ok"] is False and "vacancies/kapot.yaml" in record["reason"] and record["live"] == live
    assert main(["--project", str(project.root), "publish", "--releases", str(releases)]) == 1


def test_rollback_switches_back_to_the_previous_release(published):
    project, releases = published
    first = live_name(releases)
    retitle(project, "Kok voor de soep")
    run(project, releases)
    assert "Kok voor de soep" in live_text(releases, "vacatures/kok")
    assert rollback(releases) == first and live_name(releases) == first
    assert "Kok voor de buurtsoep" in live_text(releases, "vacatures/kok")
    record = last_publish(releases)  # what the endpoint's health answer shows to monitoring
    assert record["ok"] is True and record["live"] == first and "Rolled back" in record["reason"]
    with pytest.raises(PublishError, match="no release before"):
        rollback(releases)


def test_new_short_codes_go_to_the_servers_ledger_and_the_checkout_stays_as_git_left_it(published):
    project, releases = published
    assert not (project.root / "content" / "short-links.yaml").exists()  # the first publish printed the vacancies
    server_ledger = releases / "short-links.yaml"
    links = short_links.load_ledger(project.root, server_ledger)[0]
    kok = next(link for link in links if link.url == "vacatures/kok/")
    page = releases / CURRENT / "site" / "k" / kok.code / "index.html"
    assert "vacatures/kok/?bron=" in page.read_text(encoding="utf-8")
    # Someone copies the server's lines into git; the next publish reads both and hands out nothing twice.
    shutil.copy(server_ledger, project.root / "content" / "short-links.yaml")
    before = server_ledger.read_bytes()
    run(project, releases)
    assert server_ledger.read_bytes() == before
    assert short_links.load_ledger(project.root, server_ledger) == (links, [])


def test_old_releases_are_removed_beyond_keep(published):
    project, releases = published
    for title in ("Een", "Twee"):
        retitle(project, f"Kok {title}")
        run(project, releases, keep=2)
    assert [r.name for r in all_releases(releases)][-1] == live_name(releases)
    assert len(all_releases(releases)) == 2


def test_a_deleted_page_needs_a_redirect_or_a_gone_entry(published):
    project, releases = published
    live = live_name(releases)
    (project.root / "content" / "organisations" / "kookclub.yaml").unlink()
    with pytest.raises(PublishError) as refused:
        run(project, releases)
    message = str(refused.value)
    assert f"{PREFIX}/organisaties/kookclub/ is served by the live site" in message
    assert "content/redirects.yaml" in message and "content/gone.yaml" in message
    assert "title: Kookclub Kermt" in message  # the suggested gone entry, from the live page
    assert live_name(releases) == live and last_publish(releases)["ok"] is False


def test_a_vanished_feed_answers_410_gone_in_every_later_release(published):
    project, releases = published
    feed = f"{PREFIX}/feeds/organisatie/kookclub.rss.xml"
    assert feed in (releases / CURRENT / "addresses.txt").read_text().split()
    (project.root / "content" / "organisations" / "kookclub.yaml").unlink()
    project.write("content/gone.yaml", "".join(f"- url: /{url}/kookclub/\n  title: Kookclub Kermt\n"
                                               for url in ("organisaties", "widget/organisatie")))
    summary = run(project, releases)
    assert feed in summary.removed_files and "410 Gone" in summary.text()
    for _ in range(2):  # the next release keeps the rule, though its live release no longer served the feed
        assert feed in (releases / CURRENT / "gone.txt").read_text().split()
        assert f"location = {feed} {{ return 410; }}" in (releases / CURRENT / "redirects.nginx").read_text()
        retitle(project, "Kok voor later")
        run(project, releases)
    project.write("content/organisations/kookclub.yaml", organisation(name="Kookclub Kermt"))  # back again
    project.write("content/gone.yaml", "[]\n")
    run(project, releases)
    assert feed not in (releases / CURRENT / "gone.txt").read_text().split()


def test_a_deleted_printed_vacancy_needs_a_redirect_or_a_gone_entry(published):
    """The market-stall list printed the vacancy's short code, so `check` itself refuses before publish looks."""
    project, releases = published
    live = live_name(releases)
    (project.root / "vacancies" / "chauffeur.yaml").unlink()
    with pytest.raises(PublishError) as refused:
        run(project, releases)
    message = str(refused.value)
    assert "content/short-links.yaml" in message and "'vacatures/chauffeur/'" in message
    assert "content/redirects.yaml" in message and "content/gone.yaml" in message
    assert live_name(releases) == live and last_publish(releases)["ok"] is False

    project.write("content/redirects.yaml", "- from: /vacatures/chauffeur/\n  to: /vacatures/kok/\n")
    run(project, releases)
    rules = (releases / CURRENT / "redirects.nginx").read_text()
    assert f"location = {PREFIX}/vacatures/chauffeur/ {{ return 301 {PREFIX}/vacatures/kok/; }}" in rules
    assert f"location = {PREFIX}/vacatures/chauffeur {{ return 301 " in rules
    assert "Deze pagina is verhuisd" in live_text(releases, "vacatures/chauffeur")  # for hosts without the rules
    assert last_publish(releases)["ok"] is True


def test_a_gone_entry_keeps_a_page_that_says_so(published):
    project, releases = published
    (project.root / "vacancies" / "chauffeur.yaml").unlink()
    project.write("content/gone.yaml", "- url: /vacatures/chauffeur/\n  title: Chauffeur voor buren\n"
                                       "  themes: [buurt-en-samenleven]\n")
    run(project, releases)
    page = live_text(releases, "vacatures/chauffeur")
    assert "Deze pagina is niet meer beschikbaar" in page and "/vacatures/kok/" in page  # a similar vacancy
    project.write("content/gone.yaml", "- url: /vacatures/kok/\n  title: Kok\n  themes: [geen-thema]\n")
    errors = [str(e) for e in project.check()]
    assert any("content/gone.yaml" in e and "geen-thema" in e for e in errors), errors


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.be", *args],
                   check=True, capture_output=True)


def test_a_rename_in_git_becomes_a_redirect(tmp_path):
    project = make_project(tmp_path / "project")
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "content")
    releases = tmp_path / "www"
    run(project, releases)
    git(project.root, "mv", "vacancies/kok.yaml", "vacancies/kok-buurtsoep.yaml")
    git(project.root, "commit", "-qm", "rename a vacancy")
    summary = run(project, releases)
    assert f"{PREFIX}/vacatures/kok-buurtsoep/" in summary.pages["added"]
    rules = (releases / CURRENT / "redirects.nginx").read_text()
    assert f"location = {PREFIX}/vacatures/kok/ {{ return 301 {PREFIX}/vacatures/kok-buurtsoep/; }}" in rules
    assert "Deze pagina is verhuisd" in live_text(releases, "vacatures/kok")
    release = json.loads((releases / CURRENT / "release.json").read_text())
    assert len(release["commit"]) == 40 and release["counts"]["redirects"] == 1

    # An organisation renamed: its page redirects, and so do its widget and feeds, named after it.
    git(project.root, "mv", "content/organisations/buurtwerk.yaml", "content/organisations/buurtwerk-kermt.yaml")
    for name in ("kok-buurtsoep", "chauffeur"):
        path = project.root / "vacancies" / f"{name}.yaml"
        path.write_text(path.read_text().replace("organisation: buurtwerk", "organisation: buurtwerk-kermt"))
    git(project.root, "commit", "-qam", "rename the organisation")
    run(project, releases)
    rules = (releases / CURRENT / "redirects.nginx").read_text()
    for old, new in (("organisaties/buurtwerk/", "organisaties/buurtwerk-kermt/"),
                     ("widget/organisatie/buurtwerk/", "widget/organisatie/buurtwerk-kermt/"),
                     ("feeds/organisatie/buurtwerk.rss.xml", "feeds/organisatie/buurtwerk-kermt.rss.xml")):
        assert f"location = {PREFIX}/{old} {{ return 301 {PREFIX}/{new}; }}" in rules, old


def test_check_warns_about_a_deleted_file_before_anyone_publishes(tmp_path):
    project = make_project(tmp_path / "project")
    assert not [w for w in check(project.settings(today=TODAY))[0].warnings if "deleted" in w.problem]  # no git
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "content")
    (project.root / "vacancies" / "chauffeur.yaml").unlink()

    def deleted() -> list[str]:
        return [str(w) for w in check(project.settings(today=TODAY))[0].warnings if "deleted" in w.problem]

    assert len(deleted()) == 1 and "vacancies/chauffeur.yaml" in deleted()[0] and "not committed" in deleted()[0]
    git(project.root, "commit", "-qam", "remove")
    assert "/vacatures/chauffeur/" in deleted()[0] and "commit " in deleted()[0]
    project.write("content/redirects.yaml", "- from: /vacatures/chauffeur/\n  to: /vacatures/kok/\n")
    assert deleted() == []


def call(app, path: str, method: str = "GET", body: bytes = b"", kind: str = "") -> tuple[int, dict]:
    environ = {"REQUEST_METHOD": method, "SCRIPT_NAME": "/api", "PATH_INFO": path, "wsgi.input": io.BytesIO(body),
               "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": kind, "REMOTE_ADDR": "127.0.0.1",
               "HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}
    out = {}
    data = b"".join(app(environ, lambda status, headers, exc=None: out.update(status=int(status[:3]))))
    return out["status"], json.loads(data)


def test_health_reports_the_live_release_and_the_endpoint_follows_it(published, tmp_path):
    project, releases = published
    now = [dt.datetime.now(dt.timezone.utc)]
    app = create_app(from_env({"HH_DATABASE": str(tmp_path / "db.sqlite3"), "HH_SECRET": "s",
                               "HH_RELEASES": str(releases)}, root=project.root), clock=lambda: now[0])
    status, health = call(app, "/health")
    assert status == 200 and health["release"]["live"] == live_name(releases)
    assert 0 <= health["release"]["age_seconds"] < 600 and health["release"]["last_publish"]["ok"] is True
    assert health["outbox"]["pending"] == 0

    project.write("vacancies/nieuw.yaml", vacancy(title="Nieuwe vacature"))
    run(project, releases)
    now[0] += dt.timedelta(seconds=10)
    from urllib.parse import urlencode
    fields = {"form": "aanmelding", "vacancy": "nieuw", "name": "Fatima", "email": "fatima@example.be",
              "phone": "", "message": "", "website": "", "consent": "ja", "privacy_version": "1.3", "token": "",
              "submission_id": ""}
    status, answer = call(app, "/aanmelding", "POST", urlencode(fields).encode(),
                          "application/x-www-form-urlencoded")
    assert status == 200 and answer["ok"], answer  # the endpoint read the content again: it knows 'nieuw'
    assert call(app, "/health")[1]["release"]["live"] == live_name(releases)


def test_a_release_holds_what_a_fresh_build_holds(published, tmp_path):
    """Built into a copy of the live release, a release still has exactly the files of a build from scratch: what
    the content no longer shows (the resized variants of a replaced photo, a vacancy made staff-only) is removed."""
    project, releases = published
    for name, size in (("eerste", (1600, 1067)), ("tweede", (1500, 1000))):
        project.photo(f"images/{name}.jpg", size)
        project.write("vacancies/kok.yaml", vacancy(image=f"images/{name}.jpg", image_alt="Een kok aan het werk"))
        run(project, releases)
    project.write("vacancies/chauffeur.yaml", vacancy(title="Chauffeur voor buren", internal=True))
    project.write("content/redirects.yaml", "- from: /vacatures/chauffeur/\n  to: /vacatures/kok/\n")
    run(project, releases)
    fresh = build_site(project.root, True, tmp_path / "fresh", HH_TODAY=TODAY,  # with the codes the server gave
                       HH_SHORT_LINKS_STATE=str(releases / "short-links.yaml"))

    def files(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
                if p.is_file() and p.suffix not in (".gz", ".br") and "pagefind" not in p.parts}

    site = releases / CURRENT / "site"
    assert files(site) == files(fresh)
    assert files(releases / CURRENT / "intranet") == files(tmp_path / "fresh-intranet")
    assert "Chauffeur voor buren" not in live_text(releases, "vacatures")
    assert all(Path(str(p) + ".gz").is_file() and Path(str(p) + ".br").is_file()
               for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json", ".css", ".js", ".ics"))


def test_the_reload_command_runs_after_the_switch_and_its_failure_is_reported(published, tmp_path):
    project, releases = published
    marker = tmp_path / "reloaded"
    retitle(project, "Kok voor de soep")
    run(project, releases, reload_command=f"touch {marker}")
    assert marker.is_file() and last_publish(releases)["ok"] is True
    retitle(project, "Kok voor het buurtfeest")
    with pytest.raises(PublishError, match="reload command 'false' failed"):
        run(project, releases, reload_command="false")
    record = last_publish(releases)
    assert record["ok"] is False and record["live"] == live_name(releases)  # live, but the operator must look
    assert "Kok voor het buurtfeest" in live_text(releases, "vacatures/kok")


def test_history_follows_renames_and_deletions(tmp_path):
    from hasselthelpt.content.history import read_history

    project = make_project(tmp_path / "project")
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "content")
    for old, new in (("kok", "kok-soep"), ("kok-soep", "kok-buurtsoep")):
        git(project.root, "mv", f"vacancies/{old}.yaml", f"vacancies/{new}.yaml")
        git(project.root, "commit", "-qm", f"rename {old}")
    assert read_history(project.root).renamed == {"vacatures/kok/": "vacatures/kok-buurtsoep/",
                                                  "vacatures/kok-soep/": "vacatures/kok-buurtsoep/"}
    git(project.root, "rm", "-q", "vacancies/kok-buurtsoep.yaml")
    history = read_history(project.root)  # not committed yet: a deletion too, of every address the file had
    assert history.renamed == {} and set(history.deleted) == {"vacatures/kok/", "vacatures/kok-soep/",
                                                              "vacatures/kok-buurtsoep/"}
    assert {file for file, _ in history.deleted.values()} == {"vacancies/kok-buurtsoep.yaml"}
    assert read_history(tmp_path / "nergens").deleted == {}  # no git repository: no history


def test_nginx_rules_are_exact_and_refuse_what_nginx_would_read_as_syntax():
    from hasselthelpt.redirect_rules import nginx_rules

    rules = nginx_rules({"/hh/vacatures/oud/": "/hh/vacatures/nieuw/", "/hh/feeds/a.rss.xml": "/hh/feeds/b.rss.xml"})
    assert "location = /hh/vacatures/oud/ { return 301 /hh/vacatures/nieuw/; }" in rules
    assert "location = /hh/vacatures/oud/index.html { return 301 /hh/vacatures/nieuw/; }" in rules
    assert "location = /hh/feeds/a.rss.xml { return 301 /hh/feeds/b.rss.xml; }" in rules
    assert rules.count("location") == 4
    for bad in ("/hh/x; return 200 /", "/hh/a b/", "/hh/{x}/"):
        with pytest.raises(ValueError):
            nginx_rules({bad: "/hh/"})
