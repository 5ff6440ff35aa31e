"""Helpers of the form endpoint's tests: a small project, settings, a controllable clock, a WSGI client,
a real threaded HTTP server on loopback, a throwaway PostgreSQL cluster and a real SMTP server (aiosmtpd).

(A module of its own, not conftest.py, so test modules can import it by a name no other folder uses.)"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import glob
import http.client
import io
import json
import os
import shutil
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from hh_testing import Project, organisation, vacancy

from hasselthelpt.endpoint import create_app, from_env
from hasselthelpt.endpoint.storage import UTC

FAR = dt.date(2099, 12, 31)
START = dt.datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
SECRET = "test-secret-not-for-production"
EXPORT_TOKEN = "coach-token-for-tests"


class ContentOnly:
    """A project folder with content only (no theme, plugins or Pelican settings): quick to make."""

    write = Project.write

    def __init__(self, root: Path):
        self.root = root


def make_project(root: Path, full: bool = False) -> Project | ContentOnly:
    """An organisation with three vacancies: open (contact by mail), open (contact by phone only), expired.
    `full`: with the repo's settings, theme and plugins, to build or `check` it."""
    p = Project(root) if full else ContentOnly(root)
    p.write("content/organisations/buurtwerk.yaml", organisation(name="Buurtwerk Kermt"))
    p.write("vacancies/kok.yaml", vacancy(valid_through=FAR, contact={"name": "An", "email": "an@buurtwerk.be"}))
    p.write("vacancies/chauffeur.yaml", vacancy(title="Chauffeur", valid_through=FAR,
                                                contact={"name": "Bart", "phone": "011 22 33 44"}))
    p.write("vacancies/oud.yaml", vacancy(title="Oude vacature", publish_from=dt.date(2020, 1, 1),
                                          valid_through=dt.date(2020, 12, 31)))
    return p


def env(root: Path, **extra: str) -> dict[str, str]:
    return {"HH_DATABASE": str(root / "var" / "test.sqlite3"), "HH_SECRET": SECRET, "HH_RATE_LIMIT": "1000/60",
            "HH_MATCHERS_EMAIL": "matchers@hasselt.example", "HH_REVIEW_EMAIL": "review@hasselt.example",
            **extra}


def settings(root: Path, **extra: str):
    return from_env(env(root, **extra), root=root)


class Clock:
    """Time that tests move by hand."""

    def __init__(self, start: dt.datetime = START):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Client:
    """Calls a WSGI app directly, as a server mounted at /api would."""

    def __init__(self, app, address: str = "127.0.0.1"):
        self.app, self.address = app, address

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
                content_type: str = "", query: str = "") -> Answer:
        environ = {"REQUEST_METHOD": method, "SCRIPT_NAME": "/api", "PATH_INFO": path, "QUERY_STRING": query,
                   "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type,
                   "REMOTE_ADDR": self.address, "HTTP_HOST": "127.0.0.1:8000", "SERVER_NAME": "127.0.0.1",
                   "SERVER_PORT": "8000", "wsgi.url_scheme": "http"}
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        out = {}

        def start_response(status, response_headers, exc_info=None):
            out["status"], out["headers"] = int(status.split()[0]), dict(response_headers)

        body_out = b"".join(self.app(environ, start_response))
        return Answer(out["status"], out["headers"], body_out)

    def post(self, fields: dict, as_json: bool = False, headers: dict[str, str] | None = None) -> Answer:
        headers = {"Sec-Fetch-Site": "same-origin", **(headers or {})}
        if as_json:
            headers.setdefault("Accept", "application/json")
        return self.request("POST", "/aanmelding", urlencode(fields, doseq=True).encode(), headers,
                            "application/x-www-form-urlencoded")


def signup(**changes) -> dict:
    data = {"form": "aanmelding", "vacancy": "kok", "name": "Fatima El Amrani", "email": "fatima@example.be",
            "phone": "0470 12 34 56", "message": "Ik kook graag.\nVooral soep.", "website": "", "consent": "ja",
            "privacy_version": "1.2", "token": "", "submission_id": ""}
    return _apply(data, changes)


def appointment(**changes) -> dict:
    data = {"form": "afspraak", "name": "Olena", "email": "olena@example.be", "phone": "",
            "passions": "Tekenen en wandelen", "talents": ["creatief", "talen"], "themes": ["jeugd"],
            "when": ["weekend", "avond"], "deelgemeente": "kuringen", "dutch_level": "basis",
            "languages": "Oekraïens, Engels", "message": "", "website": "", "consent": "ja",
            "privacy_version": "1.2", "token": "", "submission_id": ""}
    return _apply(data, changes)


def vacancy_submission(**changes) -> dict:
    data = {"form": "vacature", "submitter_name": "Els Peeters", "submitter_email": "els@buurtwerk.be",
            "organisation": "buurtwerk", "organisation_name": "", "title": "Helper bij de fietsherstelling",
            "summary": "Help buren hun fiets te herstellen.", "description": "Je helpt **elke zaterdag**.\n\nKoffie!",
            "themes": ["buurt-en-samenleven"], "talents": ["techniek"], "kind": "occasioneel",
            "time_commitment": "2 uur per maand", "when": ["weekend"], "volunteers_needed": "3",
            "valid_through": "2099-06-30", "place.name": "", "place.address": "Kerkstraat 1, 3510 Kermt",
            "place.deelgemeente": "kermt", "dutch_level": "geen", "min_age": "", "accessibility": "",
            "expenses": "geen", "expenses_note": "", "mileage_allowance": "nee", "insured": "ja",
            "contact.name": "Els", "contact.email": "fietsen@buurtwerk.be", "contact.phone": "",
            "website": "", "consent": "ja", "privacy_version": "1.2", "token": "", "submission_id": ""}
    return _apply(data, changes)


def _apply(data: dict, changes: dict) -> dict:
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


# --- A real server on loopback -------------------------------------------------------------------------------

class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(app):
    """Serve a WSGI app over real HTTP on 127.0.0.1 (a thread per request); yields its base URL."""
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def fetch(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 10) -> Answer:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body,
                     headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        conn.close()


def post_form(url: str, fields: dict, headers: dict[str, str] | None = None) -> Answer:
    return fetch("POST", url, urlencode(fields, doseq=True).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if fetch("GET", url, timeout=2).status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer within {seconds} s")
        time.sleep(0.05)


# --- PostgreSQL: a throwaway cluster ---------------------------------------------------------------------------

def pg_bindir() -> Path | None:
    for initdb in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(initdb).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PostgresCluster:
    """initdb + pg_ctl start on a free loopback port, as the postgres user (via runuser) when we are root."""

    def __init__(self):
        self.bindir = pg_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL is not installed: run 'make system-deps' (Debian package postgresql)")
        self.base = Path(tempfile.mkdtemp(prefix="hh-pg-"))
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.base, "postgres")

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)

    def start(self) -> str:
        data = self.base / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self._run("pg_ctl", "-D", str(data), "-l", str(self.base / "log"), "-w", "-o",
                  f"-h 127.0.0.1 -p {self.port} -k {self.base}", "start")
        return self.url("postgres")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


# --- SMTP: a real server (aiosmtpd) that keeps what it receives -----------------------------------------------

@dataclass
class Inbox:
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def app_for(root: Path, clock: Clock | None = None, **extra: str):
    return create_app(settings(root, **extra), clock=clock or Clock())
