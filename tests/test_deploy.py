"""`hasselthelpt deploy-config`: the rendered nginx site passes `nginx -t` (Debian's nginx), the rendered units and
timers pass `systemd-analyze verify`, and both gates fail on a broken file."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hasselthelpt import cli, deploy, security
from nginx_testing import installation, main_conf, nginx_test, release


@pytest.fixture
def rendered(tmp_path):
    inst = installation(tmp_path, 8080, endpoint_ports=(8001, 8002))
    deploy.write(inst, inst.config_dir)
    release(inst)
    return inst


def test_nginx_accepts_the_rendered_site(rendered, tmp_path):
    site = rendered.config_dir / "nginx" / "hasselthelpt.conf"
    result = nginx_test(tmp_path, main_conf(tmp_path, site))
    assert result.returncode == 0, result.stderr
    text = site.read_text()
    assert "server 127.0.0.1:8001" in text and "server 127.0.0.1:8002" in text
    assert f"include {rendered.releases}/current/redirects.nginx;" in text
    assert "error_page 404 /hasselthelpt/404.html;" in text
    assert ("brotli_static on;" in text) == deploy.brotli_available()
    assert security.SITE_CSP in (rendered.config_dir / "nginx" / "security-headers.conf").read_text()


def test_nginx_gate_fails_on_a_broken_site(rendered, tmp_path):
    site = rendered.config_dir / "nginx" / "hasselthelpt.conf"
    site.write_text(site.read_text().replace("gzip_static on;", "gzip_static sometimes;"))
    assert nginx_test(tmp_path, main_conf(tmp_path, site)).returncode != 0


def test_https_with_a_certificate_and_without_brotli(tmp_path):
    """With a certificate: https with HSTS, and port 80 redirects; nginx -t loads the certificate."""
    cert, key = tmp_path / "hh.pem", tmp_path / "hh.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days",
                    "2", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    inst = dataclasses.replace(installation(tmp_path, 8080), tls_listen="127.0.0.1:8443", tls_certificate=str(cert),
                               tls_certificate_key=str(key), brotli=False)
    deploy.write(inst, inst.config_dir)
    release(inst)
    site = (inst.config_dir / "nginx" / "hasselthelpt.conf").read_text()
    assert "listen 127.0.0.1:8443 ssl http2;" in site and "return 301 https://$host$request_uri;" in site
    assert "Strict-Transport-Security" in site
    assert "brotli_static" not in site and "gzip_static on;" in site
    result = nginx_test(tmp_path, main_conf(tmp_path, inst.config_dir / "nginx" / "hasselthelpt.conf"))
    assert result.returncode == 0, result.stderr


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if not found:
        pytest.fail("systemd-analyze is not installed; run `make deps` (Debian package systemd)")
    return found


def verify(folder, names) -> subprocess.CompletedProcess:
    return subprocess.run([systemd_analyze(), "verify", "--man=no", *(str(folder / n) for n in names)],
                          capture_output=True, text=True)


def test_systemd_accepts_the_rendered_units(rendered):
    units = rendered.config_dir / "systemd"
    # A template unit is verified as an instance: the port it serves on.
    shutil.copy(units / "hasselthelpt-endpoint@.service", units / "hasselthelpt-endpoint@8001.service")
    names = [n for n in deploy.UNITS if "@" not in n] + ["hasselthelpt-endpoint@8001.service"]
    result = verify(units, names)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    endpoint = (units / "hasselthelpt-endpoint@.service").read_text()
    assert "ExecReload=/bin/kill -HUP $MAINPID" in endpoint and "hasselthelpt.endpoint.wsgi:app()" in endpoint
    publish = (units / "hasselthelpt-publish.service").read_text()
    assert re.search(r"ExecStartPre=/usr/bin/git -C \S+ pull", publish)
    assert f"publish --releases {rendered.releases}" in publish
    assert "ExecStartPost=+/bin/systemctl reload nginx.service" in publish  # nginx reads includes at load only
    assert (units / "hasselthelpt-publish.timer").read_text().count("OnCalendar=*-*-* *:00:00") == 1


def test_systemd_gate_fails_on_a_broken_unit(rendered):
    units = rendered.config_dir / "systemd"
    path = units / "hasselthelpt-purge.service"
    path.write_text(path.read_text().replace(f"{rendered.venv}/bin/hasselthelpt", "/nonexistent/hasselthelpt"))
    assert verify(units, ["hasselthelpt-purge.service"]).returncode != 0


def test_cron_lines_run_what_the_timers_run(rendered):
    cron = (rendered.config_dir / "cron" / "hasselthelpt").read_text()
    for timer in deploy.TIMERS:
        service = (rendered.config_dir / "systemd" / timer.replace(".timer", ".service")).read_text()
        command = re.search(r"^ExecStart=\S+ --project \S+ (.+)$", service, re.M).group(1)
        assert command in cron, (timer, command)


def test_the_command_line_renders_from_publishconf(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["deploy-config", "--out", str(out), "--endpoint-port", "9001", "--endpoint-port", "9002",
                     "--no-brotli"]) == 0
    site = (out / "nginx" / "hasselthelpt.conf").read_text()
    assert "server_name www.hasselt.be;" in site and "location /hasselthelpt/api/" in site
    assert "server 127.0.0.1:9002" in site and "brotli_static" not in site
    assert f"include {out}/nginx/security-headers.conf;" in site
    assert cli.main(["deploy-config", "--out", str(out), "--site-url", "hasselt"]) == 2


def test_the_cron_lines_in_the_docs_are_the_rendered_ones():
    """docs/operators.md shows the cron file for the default folders: the same lines as deploy-config writes."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "operators.md").read_text(encoding="utf-8")
    cron = deploy.render(deploy.Installation(venv=Path("/srv/hasselthelpt/venv")))["cron/hasselthelpt"]
    jobs = [line for line in cron.splitlines() if line[:1].isdigit() or line.startswith("*")]
    assert len(jobs) == len(deploy.TIMERS) + 1  # one line per timer, and the reload after a publish
    for line in jobs:
        assert line in docs, line
