"""Production as it runs: Debian's nginx with the site `hasselthelpt deploy-config` renders, in front of gunicorn
started with the rendered unit's own command, serving a release of the built sample site laid out as `publish`
writes it. Pages, feeds, slides and the widget come with their cache and security headers (precompressed files
too), an address from content/redirects.yaml answers 301, a missing one the site's 404 page, the intranet has its
own host, a sign-up posted through nginx is stored, and Chromium shows the home page, a vacancy and a search
without one CSP violation."""

from __future__ import annotations

import gzip
import os
import re
import shlex
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml

from browser_gates import PREFIX, Site, build, copy_project, shared_cache
from find_testing import after
from hasselthelpt import deploy, security
from hasselthelpt.endpoint.storage import open_storage
from hasselthelpt.redirect_rules import nginx_rules
from nginx_testing import fetch, free_port, installation, main_conf, release, running_nginx, wait_until_up
from test_browser_csp import Watched

IMMUTABLE = "public, max-age=31536000, immutable"
TEXT = {".html", ".css", ".js", ".xml", ".json", ".ics", ".svg", ".txt"}


@dataclass
class Stack:
    url: str  # http://127.0.0.1:<port>/hasselthelpt/
    port: int
    site: Site
    database: Path
    intranet: Site


def precompress(folder: Path) -> None:
    """What `publish` does: a .gz next to every text file. (A .br is checked on one file in the test below.)"""
    for path in folder.rglob("*"):
        if path.suffix in TEXT and path.is_file():
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), mtime=0))


def unit_command(unit: str, port: int) -> tuple[list[str], dict[str, str]]:
    """ExecStart and Environment of a rendered systemd unit, for instance `port` (%i)."""
    command = re.search(r"^ExecStart=(.+)$", unit, re.M).group(1).replace("%i", str(port))
    environment = dict(pair.split("=", 1) for line in re.findall(r"^Environment=(.+)$", unit, re.M)
                       for pair in shlex.split(line))
    return shlex.split(command), environment


GONE_FEED = "feeds/organisatie/gestopt.rss.xml"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    port, endpoint_port = free_port(), free_port()
    inst = installation(root, port, endpoint_ports=(endpoint_port,))
    project = copy_project(inst.project)
    # Chromium resolves *.localhost to this machine: the intranet's host name works without a DNS entry.
    built = build(project, root / "build", production=True, siteurl=f"http://127.0.0.1:{port}/{PREFIX}",
                  cache=shared_cache(tmp_path_factory), HH_STAFF_URL=f"http://{inst.intranet_host}:{port}")
    staff = root / "build-intranet"  # the build's staff folder, beside the output
    assert (staff / "index.html").is_file()
    for folder in (built, staff):
        precompress(folder)
    redirects = yaml.safe_load((project / "content" / "redirects.yaml").read_text(encoding="utf-8"))
    folder = release(inst, built, nginx_rules({inst.site_path + r["from"]: inst.site_path + r["to"]
                                               for r in redirects}, [inst.site_path + "/" + GONE_FEED]))
    (folder / "site" / "robots.txt.br").write_bytes(b"pretend brotli")
    shutil.copytree(staff, folder / "intranet", dirs_exist_ok=True)

    files = deploy.render(inst)
    deploy.write(inst, inst.config_dir)
    command, environment = unit_command(files["systemd/hasselthelpt-endpoint@.service"], endpoint_port)
    database = root / "signups.sqlite3"
    gunicorn = subprocess.Popen(command, cwd=project, start_new_session=True, stdout=subprocess.DEVNULL,
                                stderr=open(root / "gunicorn.log", "w"),
                                env={**os.environ, **environment, "HH_DATABASE": str(database),
                                     "HH_SECRET": "nginx-test", "HH_SMTP_PORT": str(free_port()),
                                     "HH_RATE_LIMIT": "1000/60"})
    try:
        with running_nginx(root, main_conf(root, inst.config_dir / "nginx" / "hasselthelpt.conf")):
            wait_until_up(f"http://127.0.0.1:{port}/{PREFIX}/api/health")
            yield Stack(f"http://127.0.0.1:{port}/{PREFIX}/", port, Site(folder / "site",
                                                                          f"http://127.0.0.1:{port}/{PREFIX}/"),
                        database, Site(folder / "intranet", f"http://{inst.intranet_host}:{port}/"))
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)


def test_pages_feeds_and_slides_with_their_headers(stack):
    home = fetch(stack.url)
    assert home.status == 200 and home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.headers["content-security-policy"] == security.SITE_CSP
    assert home.headers["x-frame-options"] == "DENY" and home.headers["x-content-type-options"] == "nosniff"
    assert home.headers["cache-control"] == "public, max-age=300"

    packed = fetch(stack.url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers.get("content-encoding") == "gzip" and "Accept-Encoding" in packed.headers["vary"]
    assert gzip.decompress(packed.body) == home.body
    if deploy.brotli_available():
        assert fetch(stack.url + "robots.txt", headers={"Accept-Encoding": "br, gzip"}).body == b"pretend brotli"

    feed = next(p for p in sorted((stack.site.output / "feeds").glob("*.rss.xml")))
    answer = fetch(stack.url + f"feeds/{feed.name}")
    assert answer.status == 200 and answer.body == feed.read_bytes()
    assert answer.headers["content-type"].startswith("text/xml") and answer.headers["cache-control"].endswith("=300")

    screen = next(d for d in sorted((stack.site.output / "signage").iterdir()) if d.is_dir())
    slideshow = fetch(stack.url + f"signage/{screen.name}/")
    assert slideshow.headers["content-security-policy"] == security.SIGNAGE_CSP
    assert "x-frame-options" not in slideshow.headers  # players show it in an iframe
    slide = next(p for p in sorted(screen.iterdir()) if p.suffix in (".jpg", ".png"))
    assert fetch(stack.url + f"signage/{screen.name}/{slide.name}").headers["cache-control"] == IMMUTABLE
    playlist = fetch(stack.url + f"signage/{screen.name}/playlist.json")
    assert playlist.status == 200 and playlist.headers["cache-control"] == "public, max-age=300"

    widget = next(p for p in sorted((stack.site.output / "widget").rglob("index.html")))
    answer = fetch(stack.url + widget.relative_to(stack.site.output).parent.as_posix() + "/")
    assert answer.headers["content-security-policy"] == security.WIDGET_CSP and "frame-ancestors *" in \
        answer.headers["content-security-policy"] and "x-frame-options" not in answer.headers

    photo = next(p for p in sorted((stack.site.output / "img").iterdir()) if p.suffix == ".jpg")
    assert fetch(stack.url + f"img/{photo.name}").headers["cache-control"] == IMMUTABLE
    assert fetch(stack.url + "theme/css/site.css").headers["cache-control"] == "public, max-age=3600"


def test_moved_and_missing_addresses(stack):
    for old in ("vacatures/voorlezen-bib/", "vacatures/voorlezen-bib", "vacatures/voorlezen-bib/index.html"):
        moved = fetch(stack.url + old)
        assert moved.status == 301, old
        assert moved.headers["location"] == f"/{PREFIX}/vacatures/thema/taal-en-onderwijs/"
        assert moved.headers["content-security-policy"] == security.SITE_CSP
    assert fetch(stack.url.rstrip("/")).headers["location"] == f"/{PREFIX}/"
    assert fetch(stack.url + "vacatures").headers["location"] == f"/{PREFIX}/vacatures/"  # relative, nginx's own
    assert fetch(stack.url + GONE_FEED).status == 410  # a feed an earlier release served
    missing = fetch(stack.url + "bestaat-niet/")
    assert missing.status == 404 and missing.body == (stack.site.output / "404.html").read_bytes()
    assert missing.headers["content-security-policy"] == security.SITE_CSP


def test_the_intranet_has_its_own_host(stack):
    root = f"http://127.0.0.1:{stack.port}/"
    intranet = {"Host": "intranet.localhost"}
    staff = fetch(root, headers=intranet)
    assert staff.status == 200 and staff.body == (stack.intranet.output / "index.html").read_bytes()
    assert staff.headers["content-security-policy"] == security.STAFF_CSP
    assert fetch(root + "feeds/intern.rss.xml", headers=intranet).status == 200
    assert fetch(root + PREFIX + "/", headers=intranet).status == 404  # not the public site
    assert fetch(root + "feeds/intern.rss.xml", headers={"Host": "127.0.0.1"}).status == 404  # nor the reverse
    assert fetch(stack.url + "feeds/intern.rss.xml").status == 404


def test_a_sign_up_through_nginx_is_stored(stack):
    vacancy = stack.site.richest(stack.site.vacancies(expired=False))
    slug = vacancy.split("/")[1]
    fields = {"form": "aanmelding", "vacancy": slug, "name": "Nora Via Nginx", "email": "nora@example.be",
              "phone": "", "message": "", "website": "", "consent": "ja", "privacy_version": "1.3",
              "token": "", "submission_id": "nginx-test-0001"}
    answer = fetch(stack.url + "api/aanmelding", method="POST", body=urlencode(fields).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"})
    assert answer.status == 303, answer.body[:500]
    assert answer.headers["location"] == f"/{PREFIX}/bedankt/"
    assert answer.headers.get_all("cache-control") == ["no-store"]  # the endpoint's own, and only that one
    assert answer.headers.get_all("x-content-type-options") == ["nosniff"]
    storage = open_storage(str(stack.database))
    try:
        [record] = storage.find("c:aanmelding:nginx-test-0001")
        assert record.vacancy == slug and record.data["name"] == "Nora Via Nginx"
    finally:
        storage.close()


def test_chromium_finds_no_csp_violation_through_nginx(stack, page):
    watched = Watched(page)
    for rel in ("", stack.site.richest(stack.site.vacancies(expired=False)), "zoeken/"):
        headers = watched.goto(stack.url + rel)
        assert headers["content-security-policy"] == security.SITE_CSP, rel
        page.wait_for_timeout(50)
        assert watched.violations() == [], rel
    page.wait_for_selector("form[data-hh-search][data-done]")
    after(page, "form[data-hh-search]", lambda: page.fill("form[data-hh-search] [name=q]", "koken"))
    assert page.locator("[data-results] > li").count() > 0  # Pagefind's WebAssembly and index, via nginx
    assert watched.violations() == []


def test_chromium_finds_no_csp_violation_on_the_intranet(stack, page):
    watched = Watched(page)
    screens = sorted(d.name for d in (stack.intranet.output / "signage").iterdir() if d.is_dir())
    for rel in ("", *(f"signage/{name}/" for name in screens[:1])):
        watched.goto(stack.intranet.url_of(rel))
        page.wait_for_timeout(50)
        assert watched.violations() == [], rel
    assert page.evaluate("document.images.length") > 0 and page.evaluate(
        "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
