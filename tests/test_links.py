"""No broken internal links: every href, src, srcset entry and <link href> of the built sample site leads to a file
of the output, and every #fragment to an element with that id. Pure Python, no browser.

Both builds are checked: the development build (relative URLs) and the production build (absolute URLs below
https://www.hasselt.be/hasselthelpt/), where a root-relative link such as "/vacatures/" would leave the site.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-27"
DEV_BASE = "http://localhost/"  # any origin: the development build only uses relative URLs
PROD_SITEURL = "https://www.hasselt.be/hasselthelpt"  # as in publishconf.py; the production build is given it
SKIPPED_SCHEMES = {"mailto", "tel", "sms", "data", "javascript", "geo"}

# (tag, attribute) pairs that hold a URL the browser fetches or follows.
URL_ATTRS = {("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
             ("iframe", "src"), ("source", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"),
             ("track", "src"), ("embed", "src"), ("input", "src")}
SRCSET_TAGS = {"img", "source"}


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, tag, attribute, URL


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        for attr, value in attrs:
            if value is None:
                continue
            if (tag, attr) in URL_ATTRS:
                self.page.links.append((line, tag, attr, value.strip()))
            elif attr in ("srcset", "imagesrcset") and (tag in SRCSET_TAGS or tag == "link"):
                for entry in value.split(","):
                    if entry.strip():
                        self.page.links.append((line, tag, attr, entry.split()[0]))
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            content = values.get("content") or ""
            if "url=" in content.lower():
                self.page.links.append((line, tag, "content", content[content.lower().index("url=") + 4:].strip()))

    handle_startendtag = handle_starttag


@lru_cache(maxsize=None)
def parse(path: Path) -> ParsedPage:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def target_file(output: Path, rel: str) -> Path | None:
    """The output file a site-relative path maps to ('x/' is x/index.html), or None when there is none."""
    path = output / unquote(rel)
    if rel == "" or rel.endswith("/"):
        path = path / "index.html"
    elif path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def check_links(output: Path, base_url: str, checked: list[int] | None = None) -> list[str]:
    """Every broken internal link of the site in output, served at base_url (ending in /). One line per problem.
    `checked`, when given, receives the number of internal links that were checked."""
    site = urlsplit(base_url)
    problems = []
    internal = 0
    for page_path in sorted(output.rglob("*.html")):
        rel_page = page_path.relative_to(output).as_posix()
        page_url = base_url + rel_page.removesuffix("index.html")
        page = parse(page_path)
        for line, tag, attr, value in page.links:
            where = f"{rel_page}:{line}: <{tag} {attr}=\"{value}\">"
            if not value:
                problems.append(f"{where} is empty")
                continue
            url = urlsplit(urljoin(page_url, value))
            if url.scheme in SKIPPED_SCHEMES:
                continue
            if url.scheme not in ("http", "https", "file") or url.netloc != site.netloc:
                continue  # another site: not ours to check here
            internal += 1
            if not url.path.startswith(site.path):
                problems.append(f"{where} leads outside the site ({url.path} is not below {site.path})")
                continue
            rel = url.path[len(site.path):]
            target = target_file(output, rel)
            if target is None:
                problems.append(f"{where}: {rel or '/'} does not exist in the output")
                continue
            fragment = unquote(url.fragment)
            if fragment and fragment != "top" and target.suffix == ".html" and fragment not in parse(target).ids:
                target_rel = target.relative_to(output).as_posix()
                problems.append(f"{where}: {target_rel} has no element with id=\"{fragment}\"")
    if checked is not None:
        checked.append(internal)
    return problems


# --- The sample site, built once per kind ----------------------------------------------------------------------

_BUILD = """
import json, sys
from pathlib import Path
from hasselthelpt.cli import build_site
project, production, output, override = sys.argv[1:5]
build_site(Path(project), production == "1", Path(output), **json.loads(override))
"""
NOT_COPIED = {"hasselthelpt", "node_modules", "output", "cache", "bench", "bench-output", "tests", "docs", "schema"}


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory) -> Path:
    """A copy of the project files (what git tracks or would track: untracked new content counts, ignored output
    and caches do not), so the build's cache stays out of the working tree."""
    root = tmp_path_factory.mktemp("links-project")
    try:
        listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout.splitlines()
        names = {line.split("/", 1)[0] for line in listed if line}
    except (OSError, subprocess.CalledProcessError):
        names = {p.name for p in REPO.iterdir() if not p.name.endswith(".egg-info")}
    for name in sorted(names - NOT_COPIED):
        entry = REPO / name
        if name.startswith(".") or not entry.exists():
            continue
        if entry.is_dir():
            shutil.copytree(entry, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(entry, root / name)
    return root


def _build(project: Path, production: bool, cache: Path) -> Path:
    """In a subprocess: Pelican's fatal-warnings mode of a production build is process-wide and would stick.
    `cache` is the derived-files folder the browser tests use too, so photos and slides are made once a session."""
    output = project.parent / f"{project.name}-output-{'production' if production else 'development'}"
    override = {"HH_TODAY": TODAY, "HH_CACHE_PATH": str(cache), **({"SITEURL": PROD_SITEURL} if production else {})}
    result = subprocess.run([sys.executable, "-c", _BUILD, str(project), "1" if production else "0", str(output),
                             json.dumps(override)], capture_output=True, text=True, cwd=project)
    if result.returncode:
        pytest.fail(f"building the sample site failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return output


@pytest.mark.parametrize("kind", ["development", "production"])
def test_sample_site_has_no_broken_links(sample_project, kind, tmp_path_factory):
    production = kind == "production"
    output = _build(sample_project, production, tmp_path_factory.getbasetemp() / "sample-site-cache")
    pages = list(output.rglob("*.html"))
    assert len(pages) > 10, f"the {kind} build has only {len(pages)} pages"
    checked: list[int] = []
    problems = check_links(output, PROD_SITEURL + "/" if production else DEV_BASE, checked)
    assert checked[0] > 5 * len(pages), f"only {checked[0]} internal links in {len(pages)} pages: is SITEURL right?"
    assert not problems, f"{len(problems)} broken link(s) in the {kind} build:\n" + "\n".join(problems)


# --- The checker itself --------------------------------------------------------------------------------------

def _write(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang=\"nl\"><head><title>t</title></head><body>{body}</body></html>",
                    encoding="utf-8")


def test_link_check_reports_broken_links(tmp_path):
    """The gate can fail: each kind of broken link is reported with its page and line, good links are not."""
    out = tmp_path / "site"
    (out / "theme").mkdir(parents=True)
    (out / "theme" / "site.css").write_text("")
    (out / "img").mkdir()
    (out / "img" / "a-480.jpg").write_bytes(b"")
    _write(out, "index.html", '<link rel="stylesheet" href="theme/site.css"><main id="inhoud"><a href="#inhoud">'
                              'skip</a></main>')
    _write(out, "vacatures/kok/index.html",
           '<a href="#inhoud">skip</a>\n'  # no such id on this page
           '<a href="../../">home</a> <a href="../../vacatures/kok/?x=1#aanmelden">self</a>\n'
           '<a href="../../vacatures/bestaat-niet/">gone</a>\n'
           '<img src="../../img/ontbreekt.jpg" srcset="../../img/a-480.jpg 480w, ../../img/a-960.jpg 960w" alt="">\n'
           '<a href="../../#nergens">home fragment</a>\n'
           '<a href="mailto:an@example.be">mail</a> <a href="tel:+3211239400">bel</a> '
           '<a href="https://www.vlaanderen.be/">extern</a>\n'
           '<section id="aanmelden"></section>')
    problems = check_links(out, DEV_BASE)
    text = "\n".join(problems)
    assert len(problems) == 5, text
    assert 'vacatures/kok/index.html:1: <a href="#inhoud">: vacatures/kok/index.html has no element with id="inhoud"' \
        in problems
    assert 'vacatures/kok/index.html:3: <a href="../../vacatures/bestaat-niet/">: vacatures/bestaat-niet/ does not ' \
           'exist in the output' in problems
    assert "<img src=\"../../img/ontbreekt.jpg\">: img/ontbreekt.jpg does not exist" in text
    assert "<img srcset=\"../../img/a-960.jpg\">: img/a-960.jpg does not exist" in text
    assert 'index.html has no element with id="nergens"' in text
    assert "a-480.jpg" not in text and "mailto" not in text and "vlaanderen" not in text


def test_link_check_reports_links_that_leave_the_production_site(tmp_path):
    out = tmp_path / "site"
    _write(out, "index.html", '<link rel="stylesheet" href="../theme/site.css"><a href="/vacatures/">root-relative</a>'
                              f' <a href="{PROD_SITEURL}/">home</a> <img src="{PROD_SITEURL}/img/x.jpg" alt="">')
    (out / "theme").mkdir()
    (out / "theme" / "site.css").write_text("")
    problems = check_links(out, PROD_SITEURL + "/")
    assert len(problems) == 3, "\n".join(problems)
    assert any("leads outside the site" in p and '"/vacatures/"' in p for p in problems)
    assert any("img/x.jpg does not exist" in p for p in problems)
    # ../theme/site.css from the site root leaves /hasselthelpt/ as well
    assert any("site.css" in p and "outside" in p for p in problems)
