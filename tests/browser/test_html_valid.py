"""Every HTML file of the sample site (production and development build) is valid HTML for the Nu HTML Checker.

The JVM takes seconds to start, so vnu runs once, on both builds and on a deliberately invalid file together;
the tests below read that one report.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from browser_gates import VNU_JAR, missing_tool

INVALID_PAGE = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Ongeldig</title></head>
<body>
<p>Een alinea <div>met een blok erin</div></p>
<ul><p>geen lijstitem</p></ul>
<img src="foto.png">
<a href="#"><button>knop in een link</button></a>
</body>
</html>
"""


def run_vnu(*folders: Path) -> dict[Path, list[dict]]:
    """Error messages of vnu per file: {path: [message, ...]}. Files without errors are absent."""
    java = shutil.which("java")
    if not java:
        missing_tool("Java is not installed (the Nu HTML Checker needs it)")
    if not VNU_JAR.is_file():
        missing_tool(f"{VNU_JAR} is missing")
    cmd = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html", *map(str, folders)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    raw = result.stderr[result.stderr.find("{"):] if "{" in result.stderr else ""
    try:
        report = json.loads(raw)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not answer in JSON (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    by_file: dict[Path, list[dict]] = defaultdict(list)
    for message in report.get("messages", []):
        if message.get("type") == "error" or message.get("subType") == "fatal":
            by_file[Path(unquote(urlparse(message.get("url", "")).path)).resolve()].append(message)
    if result.returncode and not by_file:
        pytest.fail(f"vnu failed (exit {result.returncode}) without reporting errors:\n{result.stderr}")
    return dict(by_file)


def format_errors(errors: dict[Path, list[dict]], base: Path) -> str:
    lines = []
    for path in sorted(errors):
        rel = path.relative_to(base) if path.is_relative_to(base) else path
        for m in errors[path]:
            line = m.get("lastLine", m.get("firstLine", "?"))
            extract = " ".join((m.get("extract") or "").split())
            lines.append(f"{rel}:{line}: {m.get('message')}" + (f"\n    {extract}" if extract else ""))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def vnu_report(site, dev_site, tmp_path_factory):
    gate = tmp_path_factory.mktemp("vnu-gate")
    (gate / "invalid.html").write_text(INVALID_PAGE, encoding="utf-8")
    return run_vnu(site.output, dev_site.output, gate), site, dev_site, gate


@pytest.mark.parametrize("build", ["production", "development"])
def test_built_site_is_valid_html(vnu_report, build):
    errors, site, dev_site, _ = vnu_report
    output = (site if build == "production" else dev_site).output.resolve()
    pages = list(output.rglob("*.html"))
    assert pages, f"the {build} build has no HTML files"
    mine = {path: messages for path, messages in errors.items() if path.is_relative_to(output)}
    count = sum(map(len, mine.values()))
    assert not mine, (f"The Nu HTML Checker found {count} error(s) in {len(mine)} of {len(pages)} pages of the "
                      f"{build} build:\n" + format_errors(mine, output))


def test_html_check_catches_invalid_html(vnu_report):
    """The gate can fail: the same vnu run reports the deliberately invalid file."""
    errors, _, _, gate = vnu_report
    gate = gate.resolve()
    mine = errors.get(gate / "invalid.html", [])
    assert len(mine) >= 3, f"vnu reported too little for invalid.html:\n{format_errors(errors, gate)}"
    messages = " ".join(m.get("message", "") for m in mine)
    assert "end tag" in messages and "alt" in messages, format_errors({gate / "invalid.html": mine}, gate)
