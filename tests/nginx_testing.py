"""Helpers of the deployment tests: the configuration rendered for a throwaway installation in tmp_path, and a
real nginx (Debian's package) run on it without touching the system's: its own prefix, pid file, logs and
temporary folders, on a loopback port."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hasselthelpt import deploy


def nginx_path() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not found:
        pytest.fail("nginx is not installed; run `make deps` (Debian package nginx)")
    return found


def installation(root: Path, port: int, endpoint_ports: tuple[int, ...] = (8001,),
                 site_url: str | None = None) -> deploy.Installation:
    """An installation below `root`: config in root/etc, content checkout root/content, releases root/www."""
    return deploy.Installation(
        site_url=site_url or f"http://127.0.0.1:{port}/hasselthelpt", intranet_host="intranet.localhost",
        config_dir=root / "etc", project=root / "content", releases=root / "www", backups=root / "backups",
        venv=Path(sys.prefix), user="root" if os.geteuid() == 0 else os.environ.get("USER", "nobody"),
        group="root" if os.geteuid() == 0 else "nogroup", listen=f"127.0.0.1:{port}",
        endpoint_ports=endpoint_ports, brotli=deploy.brotli_available())


def main_conf(root: Path, site_conf: Path) -> Path:
    """nginx.conf around the site, as Debian's /etc/nginx/nginx.conf would be, with everything in `root`."""
    temp = root / "nginx-temp"
    temp.mkdir(parents=True, exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read tmp_path, which is private to us
    paths = "".join(f"    {name}_temp_path {temp / name};\n" for name in ("client_body", "proxy", "fastcgi",
                                                                          "uwsgi", "scgi"))
    conf = root / "nginx.conf"
    conf.write_text(f"{user}{modules()}worker_processes 1;\npid {root / 'nginx.pid'};\n"
                    f"error_log {root / 'error.log'} warn;\nevents {{ worker_connections 256; }}\n"
                    f"http {{\n    access_log {root / 'access.log'};\n    sendfile on;\n{paths}"
                    f"    include {site_conf};\n}}\n", encoding="utf-8")
    return conf


def modules() -> str:
    """Debian's enabled dynamic modules (brotli_static), with their paths made absolute: relative ones would be
    read from our prefix."""
    lines = [line.replace(" modules/", " /usr/lib/nginx/modules/") for conf in
             sorted(Path("/etc/nginx/modules-enabled").glob("*.conf")) for line in conf.read_text().splitlines()
             if line.startswith("load_module")]
    return "".join(line + "\n" for line in lines)


def nginx_test(root: Path, conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([nginx_path(), "-t", "-p", str(root), "-e", str(root / "error.log"), "-c", str(conf)],
                          capture_output=True, text=True)


@contextlib.contextmanager
def running_nginx(root: Path, conf: Path):
    """nginx in the foreground (daemon off), stopped at the end."""
    process = subprocess.Popen([nginx_path(), "-p", str(root), "-e", str(root / "error.log"), "-c", str(conf),
                                "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while not (root / "nginx.pid").is_file():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: {process.stdout.read().decode()}"
                            f"{(root / 'error.log').read_text() if (root / 'error.log').exists() else ''}")
            time.sleep(0.05)
        yield process
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def release(inst: deploy.Installation, site: Path | None = None, redirects: str = "") -> Path:
    """A release as `publish` lays it out (releases/<ts>/site, intranet, redirects.nginx) and `current`."""
    folder = inst.releases / "releases" / "20261127T100000Z"
    (folder / "intranet").mkdir(parents=True, exist_ok=True)
    if site is not None:
        shutil.copytree(site, folder / "site", dirs_exist_ok=True)
    else:
        (folder / "site").mkdir(exist_ok=True)
    (folder / "redirects.nginx").write_text(redirects, encoding="utf-8")
    current = inst.releases / "current"
    if not current.exists():
        current.symlink_to(folder.relative_to(inst.releases))
    return folder


@dataclass
class Answer:
    status: int
    headers: Message  # case-insensitive; get_all() shows a header sent twice
    body: bytes


def fetch(url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None,
          timeout: float = 10) -> Answer:
    """One request, no redirects followed, no decoding: what the server sent."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body=body,
                     headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.msg, response.read())
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if fetch(url, timeout=2).status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer 200 within {seconds} s")
        time.sleep(0.1)
