"""The security headers (hasselthelpt/security.py): one definition, sent by `hasselthelpt serve` and written as the
nginx snippet for production; the widget and the signage pages may be framed, the pages may not."""

from __future__ import annotations

import re

import pytest

from hasselthelpt import cli, security
from hasselthelpt.endpoint.serve import StaticSite, mount

SITE_PATH = "/hasselthelpt"
PATHS = ["/hasselthelpt/", "/hasselthelpt/vacatures/kok/", "/hasselthelpt/vacatures/widget/", "/hasselthelpt/api/x",
         "/hasselthelpt/widget/organisatie/buurtwerk/", "/hasselthelpt/signage/", "/hasselthelpt/signage/a/index.html",
         "/hasselthelpt/widgets/", "/widget/elders/"]


def nginx_headers(snippet: str, uri: str) -> dict[str, str]:
    """What nginx sends for `uri` with the snippet: its `set`s, the `if ($uri ~ ...)` blocks, then the add_headers
    (an empty value sends nothing)."""
    variables: dict[str, str] = {}
    active = True
    headers = {}
    for line in snippet.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if m := re.fullmatch(r'if \(\$uri ~ "([^"]+)"\) \{', line):
            active = re.search(m.group(1), uri) is not None
        elif line == "}":
            active = True
        elif m := re.fullmatch(r'set (\$\w+) "([^"]*)";', line):
            if active:
                variables[m.group(1)] = m.group(2)
        elif m := re.fullmatch(r"add_header ([\w-]+) (\$\w+) always;", line):
            if variables[m.group(2)]:
                headers[m.group(1)] = variables[m.group(2)]
        else:
            raise AssertionError(f"unexpected line in the nginx snippet: {line}")
    return headers


@pytest.mark.parametrize("path", PATHS)
def test_the_nginx_snippet_sends_what_serve_sends(path):
    assert nginx_headers(security.nginx(SITE_PATH), path) == security.headers(path, SITE_PATH)


def test_only_the_widget_and_signage_may_be_framed():
    framed = [p for p in PATHS if "frame-ancestors *" in security.headers(p, SITE_PATH)["Content-Security-Policy"]]
    assert framed == ["/hasselthelpt/widget/organisatie/buurtwerk/", "/hasselthelpt/signage/",
                      "/hasselthelpt/signage/a/index.html"]
    for path in set(PATHS) - set(framed):
        found = security.headers(path, SITE_PATH)
        assert found["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in found["Content-Security-Policy"]
    for path in PATHS:
        found = security.headers(path, SITE_PATH)
        assert found["X-Content-Type-Options"] == "nosniff" and "camera=()" in found["Permissions-Policy"]
        assert "'unsafe-eval'" not in found["Content-Security-Policy"]
        assert "script-src 'unsafe-inline'" not in found["Content-Security-Policy"]


def test_the_command_writes_the_snippet(project, capsys):
    out = project.root / "deploy" / "security-headers.conf"
    assert cli.main(["--project", str(project.root), "security-headers", "--nginx", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == security.nginx(SITE_PATH)  # publishconf.py: .../hasselthelpt
    assert cli.main(["--project", str(project.root), "security-headers"]) == 0
    assert security.SITE_CSP in capsys.readouterr().out


def call(app, path: str) -> dict[str, str]:
    got = {}

    def start_response(status, headers, exc_info=None):
        got.update(headers, status=status)

    b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "SCRIPT_NAME": ""}, start_response))
    return got


def test_serve_adds_the_headers_to_files_and_the_endpoint(tmp_path):
    (tmp_path / "widget" / "x").mkdir(parents=True)
    (tmp_path / "widget" / "x" / "index.html").write_text("<h1>w</h1>")
    (tmp_path / "index.html").write_text("<h1>home</h1>")

    def endpoint(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json"), ("X-Frame-Options", "SAMEORIGIN")])
        return [b"{}"]

    app = security.with_headers(mount(StaticSite(tmp_path), "/api", endpoint))
    home = call(app, "/")
    assert home["Content-Security-Policy"] == security.SITE_CSP and home["X-Frame-Options"] == "DENY"
    widget = call(app, "/widget/x/")
    assert "frame-ancestors *" in widget["Content-Security-Policy"] and "X-Frame-Options" not in widget
    api = call(app, "/api/aanmelding")
    assert api["X-Frame-Options"] == "SAMEORIGIN" and api["Content-Security-Policy"] == security.SITE_CSP
    assert call(app, "/nergens/")["status"].startswith("404") and "Content-Security-Policy" in call(app, "/nergens/")
