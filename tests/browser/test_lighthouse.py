"""Lighthouse (npm, pinned in package.json) on the sample site: accessibility, best practices and SEO at 100 and
performance at least 95, mobile, on the home page, a vacancy, an organisation, a story, the agenda, search and the
matcher.

The production build is served below /hasselthelpt/ with the form endpoint mounted at /hasselthelpt/api, as
`hasselthelpt serve` runs them, so /api/formtoken answers and nothing errors in the console (best practices
counts console errors). All pages run in one Lighthouse process with one Chromium (lighthouse_run.mjs), with
Lighthouse's defaults: the mobile form factor and simulated throttling (a slow 4G network and a 4x slower CPU,
computed from the page's own requests and tasks, not waited out).

The performance score is the one figure that depends on the machine: the simulation scales the main-thread tasks
Lighthouse observed, and on a busy 2-core machine another process can stretch them. A page whose performance is
below the bar is therefore run once more, alone, and its better run counts; the bar itself stays at 95, and the
other three categories get no second run (they do not depend on timing).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from browser_gates import (CHROMIUM_ARGS, NODE_MODULES, PREFIX, Site, build, chromium_path, missing_tool,
                           shared_cache)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
from endpoint_testing import serving, settings  # noqa: E402
from hasselthelpt.endpoint import create_app  # noqa: E402
from hasselthelpt.endpoint.serve import StaticSite, mount  # noqa: E402
from hasselthelpt.endpoint.storage import UTC  # noqa: E402

RUNNER = Path(__file__).with_name("lighthouse_run.mjs")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
BAR = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PAGES = {
    "home": lambda s: "",
    "vacancy": lambda s: s.richest(s.vacancies(expired=False)),
    "organisation": lambda s: s.richest(s.folders("organisaties")),
    "story": lambda s: s.richest(s.folders("verhalen")),
    "agenda": lambda s: "agenda/",
    "search": lambda s: "zoeken/",
    "matcher": lambda s: "matcher/",
}
TIMEOUT = 900  # seconds for all pages; about 15-30 s a page on a busy 2-core machine
# A deliberately broken page, run with the others: an image without alt text, no meta description, a console error.
BROKEN_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kapot</title></head>
<body><main><h1>Kapot</h1><img src="../hasselthelpt/favicon.svg" width="64" height="64">
<script>console.error("kapot");</script></main></body></html>
"""


def run_lighthouse(urls: list[str]) -> dict[str, dict]:
    chromium = chromium_path()
    if not chromium:
        missing_tool("Chromium is not installed")
    if not (NODE_MODULES / "lighthouse").is_dir() or not (NODE_MODULES / "chrome-launcher").is_dir():
        missing_tool("node_modules/lighthouse is missing")
    flags = ["--headless=new", *CHROMIUM_ARGS]
    proc = subprocess.run(["node", str(RUNNER), chromium, json.dumps(flags), json.dumps(CATEGORIES), *urls],
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=RUNNER.parent)
    if proc.returncode:
        pytest.fail(f"Lighthouse failed:\n{proc.stderr[-3000:]}", pytrace=False)
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def lighthouse(sample_copy, tmp_path_factory) -> dict[str, dict]:
    """Page type -> Lighthouse's result, with the endpoint running beside the production build."""
    root = tmp_path_factory.mktemp("lighthouse")
    app = create_app(settings(sample_copy, HH_DATABASE=str(root / "lighthouse.sqlite3")),
                     clock=lambda: dt.datetime.now(UTC))
    with serving(mount(StaticSite(root / "served"), f"/{PREFIX}/api", app)) as base:
        site = Site(root / "served" / PREFIX, f"{base}/{PREFIX}/")
        build(sample_copy, site.output, production=True, siteurl=f"{base}/{PREFIX}",
              cache=shared_cache(tmp_path_factory))
        (root / "served" / "_gate").mkdir()
        (root / "served" / "_gate" / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")
        urls = {name: site.url_of(pick(site)) for name, pick in PAGES.items()}
        results = run_lighthouse([*urls.values(), f"{base}/_gate/broken.html"])
        by_type = {name: {**results[url], "url": url, "runs": 1} for name, url in urls.items()}
        by_type["broken"] = {**results[f"{base}/_gate/broken.html"], "url": f"{base}/_gate/broken.html", "runs": 1}
        noisy = [name for name, r in by_type.items()
                 if name != "broken" and r["scores"].get("performance", 0) < BAR["performance"]]
        if noisy:  # one more run of those pages only (see the module's docstring)
            again = run_lighthouse([urls[name] for name in noisy])
            for name in noisy:
                second = again[urls[name]]
                first = by_type[name]
                best = second if second["scores"]["performance"] > first["scores"]["performance"] else first
                by_type[name] = {**first, "scores": {**first["scores"], "performance":
                                                     best["scores"]["performance"]},
                                 "metrics": best["metrics"], "runs": 2,
                                 "first_performance": first["scores"]["performance"]}
    report = ["Lighthouse 12 (mobile, simulated throttling), production build with the endpoint:"]
    for name, r in by_type.items():
        report.append(f"  {name:13} " + " ".join(f"{c} {r['scores'].get(c)}" for c in CATEGORIES) +
                      f"  ({', '.join(f'{k} {v}' for k, v in r['metrics'].items())}; runs: {r['runs']}"
                      + (f", first performance {r['first_performance']}" if r["runs"] > 1 else "") + ")")
    print("\n".join(report))  # shown with pytest -s, and in the report of a failing test
    return by_type


@pytest.mark.parametrize("page_type", list(PAGES))
def test_lighthouse_scores(lighthouse, page_type):
    result = lighthouse[page_type]
    assert not result["runtimeError"], f"{result['url']}: Lighthouse could not run: {result['runtimeError']}"
    low = {c: result["scores"].get(c) for c in CATEGORIES if (result["scores"].get(c) or 0) < BAR[c]}
    failing = "\n".join(f"- {a['id']} ({a['score']}): {a['title']} {a['value']}" +
                        "".join(f"\n    {item}" for item in a["items"]) for a in result["failing"])
    assert not low, (f"{result['url']}: below the bar {low} (bar {BAR}); metrics {result['metrics']}, "
                     f"runs {result['runs']}. Audits not passed:\n{failing}")


def test_lighthouse_gate_catches_a_broken_page(lighthouse):
    """The gate can fail: the broken page's missing alt text, missing description and console error cost points."""
    broken = lighthouse["broken"]
    failed = {a["id"] for a in broken["failing"]}
    assert {"image-alt", "meta-description", "errors-in-console"} <= failed, failed
    assert broken["scores"]["accessibility"] < 100 and broken["scores"]["seo"] < 100
    assert broken["scores"]["best-practices"] < 100
