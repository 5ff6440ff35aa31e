"""Browser and HTML gates on the repo's own sample site: shared helpers (the fixtures are in conftest.py).

One session builds the sample content twice into a temporary folder (production, with SITEURL pointing at the
local server, and development, with relative URLs), serves that folder with a ThreadingHTTPServer on 127.0.0.1,
and drives Debian's Chromium through Playwright. The production site is served below /hasselthelpt/, like the
real https://www.hasselt.be/hasselthelpt, so a link that forgets the site prefix fails here too.

What these tests need besides Python (`make deps` installs it): Chromium, a Java runtime, and
node_modules/axe-core + node_modules/vnu-jar. When one is missing the tests fail: a gate that silently does not
run is no gate.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from typing import Callable

import pytest

from hasselthelpt import security

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-11-27"  # the date the sample content is written against
PREFIX = "hasselthelpt"  # the production site lives below this path, as on www.hasselt.be
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 2.2 A and AA. axe-core has no rules for 2.2's level-A criteria (3.2.6 Consistent Help, 3.3.7 Redundant Entry)
# and cannot see 2.4.11 Focus Not Obscured: test_browser_wcag22.py checks those, and target size (2.5.8) again.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Chromium as root in a container: no sandbox, no GPU, and nothing that phones home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Never copied into the test project: the package (imported from where it is installed, as the command line does),
# tools, caches and build output. Everything else that git tracks or would track is copied.
NOT_COPIED = {"hasselthelpt", "node_modules", "output", "cache", "bench", "bench-output", "tests", "docs", "schema"}

# Folders below vacatures/ that are listings, not vacancies.
LISTING_FOLDERS = {"thema", "deelgemeente", "soort", "pagina"}


def missing_tool(message: str):
    """A gate that does not run is no gate: a missing tool fails the test (`make deps` installs it)."""
    pytest.fail(f"{message}; run `make deps`, which `make test` does first")


def chromium_path() -> str | None:
    return os.environ.get("HH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


# --- Building the sample site --------------------------------------------------------------------------------

_BUILD = """
import json, sys
from pathlib import Path
from hasselthelpt.cli import build_site
project, production, output, override = sys.argv[1:5]
build_site(Path(project), production == "1", Path(output), **json.loads(override))
"""


def project_entries() -> list[Path]:
    """The repo's top-level files and folders that belong to the project: what git tracks or would track (so
    untracked new content counts, ignored output and caches do not), minus NOT_COPIED."""
    try:
        listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout.splitlines()
        names = {line.split("/", 1)[0] for line in listed if line}
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: everything but the usual suspects
        names = {p.name for p in REPO.iterdir() if not p.name.startswith(".") and not p.name.endswith(".egg-info")}
    return sorted(REPO / name for name in names - NOT_COPIED if (REPO / name).exists() and not name.startswith("."))


def copy_project(target: Path) -> Path:
    """The repo's settings, theme, plugins and sample content, copied so concurrent edits and the build's cache
    stay out of the working tree."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in project_entries():
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(entry, target / entry.name)
    return target


def build(project: Path, output: Path, production: bool, siteurl: str = "", cache: Path | None = None,
          today: str = TODAY, **settings) -> Path:
    """Build in a subprocess: Pelican's fatal-warnings mode is process-wide state and must not leak into other
    tests (pelican.log.init(fatal='') does not switch it off again). `cache`: a derived-files folder shared by the
    session's builds, so photos and slides are made once. `settings`: more Pelican settings (HH_STAFF_URL=...)."""
    override = {"HH_TODAY": today, **({"SITEURL": siteurl} if siteurl else {}),
                **({"HH_CACHE_PATH": str(cache)} if cache else {}), **settings}
    result = subprocess.run([sys.executable, "-c", _BUILD, str(project), "1" if production else "0", str(output),
                             json.dumps(override)], capture_output=True, text=True, cwd=project)
    if result.returncode:
        pytest.fail(f"The {'production' if production else 'development'} build of the sample site failed:\n"
                    f"{result.stdout}\n{result.stderr}", pytrace=False)
    return output


def shared_cache(tmp_path_factory) -> Path:
    """One derived-files cache for every build of the sample site in this test session (tests/test_links.py uses
    the same folder)."""
    return tmp_path_factory.getbasetemp() / "sample-site-cache"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder with the site's security headers, as `hasselthelpt serve` and production do, so every
    browser test runs under the Content-Security-Policy. The first folder of the path is the site's (the
    production build below /hasselthelpt/, the development build below /dev/)."""

    def end_headers(self):
        path = urlsplit(self.path).path
        if path.startswith("/_gate/"):  # the gates' deliberately broken pages, which the CSP would half-hide
            return super().end_headers()
        for name, value in security.headers(path, "/" + path.lstrip("/").split("/", 1)[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


@dataclass
class Served:
    root: Path  # the folder the server serves
    url: str  # its URL, ending in /


@dataclass
class Site:
    output: Path  # the built site
    url: str  # where it is served, ending in /

    def url_of(self, rel: str) -> str:
        return self.url + rel

    def html(self, rel: str) -> str:
        path = self.output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        return path.read_text(encoding="utf-8")

    def folders(self, section: str) -> list[str]:
        """Site-relative URLs of the item pages of a section, e.g. 'verhalen/x/'."""
        base = self.output / section
        if not base.is_dir():
            return []
        return sorted(f"{section}/{d.name}/" for d in base.iterdir()
                      if d.is_dir() and d.name not in LISTING_FOLDERS and (d / "index.html").is_file())

    def vacancies(self, expired: bool) -> list[str]:
        return [u for u in self.folders("vacatures") if is_expired(self.html(u)) == expired]

    def richest(self, urls: list[str]) -> str | None:
        """The page with the most HTML: it exercises the most of its template."""
        return max(urls, key=lambda u: (len(self.html(u)), u), default=None)


def is_expired(html: str) -> bool:
    """A vacancy page whose text says it is over ('afgelopen') and carries no sign-up form."""
    text = re.sub(r"<[^>]+>", " ", html)
    return "afgelopen" in text.lower() and 'name="consent"' not in html


# --- Page types ----------------------------------------------------------------------------------------------

def _first_line_field(path, name: str) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines()[1:40]:
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return None


def _filter_page(site: Site) -> str | None:
    """The theme filter page with the most vacancies."""
    return site.richest([f"vacatures/thema/{d.name}/" for d in (site.output / "vacatures" / "thema").glob("*")
                         if (d / "index.html").is_file()])


# Page type -> how to find its URL in the built site. A fixed URL must exist; a picked one may be missing when the
# sample content has no item of that type (then the test fails: the sample content must show every page type).
PAGE_TYPES: dict[str, Callable[[Site], str | None]] = {
    "home": lambda s: "",
    "vacancy-overview": lambda s: "vacatures/",
    "filter-page": _filter_page,
    "vacancy": lambda s: s.richest(s.vacancies(expired=False)),
    "vacancy-expired": lambda s: s.richest(s.vacancies(expired=True)),
    "organisation-index": lambda s: "organisaties/",
    "organisation": lambda s: s.richest(s.folders("organisaties")),
    "story-list": lambda s: "verhalen/",
    "story": lambda s: s.richest(s.folders("verhalen")),
    "agenda": lambda s: "agenda/",
    "event": lambda s: s.richest(s.folders("agenda")),
    "thanks": lambda s: "bedankt/",
    "404": lambda s: "404.html",
}
STATIC_PAGES = sorted(p for p in (REPO / "content" / "pages").glob("*.md"))


def resolve(site: Site, page_type: str) -> str:
    if page_type.startswith("page:"):
        source = REPO / "content" / "pages" / f"{page_type[5:]}.md"
        rel = f"{page_type[5:]}/"
        if not (site.output / rel / "index.html").is_file() and _first_line_field(source, "status") == "draft":
            pytest.fail(f"content/pages/{source.name} is a draft: not in the production build")
        return rel
    rel = PAGE_TYPES[page_type](site)
    if rel is None:
        pytest.fail(f"the sample content has no page of type {page_type!r}")
    return rel


# Desktop, and a phone at 320 CSS pixels: the width at which WCAG 1.4.10 (Reflow) asks for no sideways scrolling
# (data tables and preformatted text excepted). axe-core does not check reflow, so the test measures it.
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 320, "height": 640}}


# --- axe-core ------------------------------------------------------------------------------------------------

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html, summary: n.failureSummary})),
  }));
}"""


def axe_on_page(page) -> list[dict]:
    """Inject axe-core into the page as it is now and run the WCAG 2.0/2.1/2.2 A and AA rules."""
    if not AXE_JS.is_file():
        missing_tool(f"{AXE_JS.relative_to(REPO)} is missing")
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # not a <script>: the page's CSP allows none of ours
    return page.evaluate(_RUN_AXE, AXE_TAGS)


def axe_violations(page, url: str) -> tuple[list[dict], list[str]]:
    """Load url and run axe_on_page. Returns (violations, failed requests)."""
    failed: list[str] = []
    # Files the page loads (not fetch/XHR calls to the form endpoint, which a static server does not have).
    static = {"document", "stylesheet", "script", "image", "font", "media", "manifest"}
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})") if r.resource_type in static else None)
    page.on("response", lambda r: failed.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 and r.request.resource_type in static else None)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} answered HTTP {response.status if response else '-'}"
    return axe_on_page(page), failed


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{url}: {len(violations)} axe-core violation(s) of {', '.join(AXE_TAGS)}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for n in v["nodes"]:
            lines.append(f"    at {n['target']}: {n['html'][:200]}")
            for detail in (n["summary"] or "").splitlines():
                if detail.strip():
                    lines.append(f"        {detail.strip()}")
    return "\n".join(lines)
