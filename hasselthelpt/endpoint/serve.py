"""`hasselthelpt serve`: the built site and the form endpoint in one WSGI application, run by gunicorn.

Files come from the output folder; requests below the endpoint's mount point (/api, the folder of
HH_FORM_ACTION) go to the endpoint. In production a web server serves the files and passes /api to gunicorn
running `hasselthelpt.endpoint.wsgi:app()` (see docs/operators.md).
"""

from __future__ import annotations

import mimetypes
import signal
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import quote

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class StaticSite:
    """Serves the files below `root` (GET and HEAD), folders by their index.html, never anything outside."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self._send(start_response, "405 Method Not Allowed", b"Method not allowed\n",
                              [("Allow", "GET, HEAD")])
        path = environ.get("PATH_INFO") or "/"  # already decoded by the server (PEP 3333)
        if "\0" in path:
            return self._not_found(start_response)
        target = (self.root / path.lstrip("/")).resolve()
        if target != self.root and self.root not in target.parents:  # ../ or a link out of the site
            return self._not_found(start_response)
        if target.is_dir():
            if not path.endswith("/"):
                location = quote(environ.get("SCRIPT_NAME", "") + path + "/")
                return self._send(start_response, "301 Moved Permanently", b"", [("Location", location)])
            target = target / "index.html"
        if not target.is_file():
            return self._not_found(start_response)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        body = b"" if environ.get("REQUEST_METHOD") == "HEAD" else target.read_bytes()
        return self._send(start_response, "200 OK", body, [("Content-Type", kind)],
                          length=target.stat().st_size)

    def _not_found(self, start_response: Callable) -> Iterable[bytes]:
        page = self.root / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found\n"
        return self._send(start_response, "404 Not Found", body, [("Content-Type", "text/html; charset=utf-8")])

    @staticmethod
    def _send(start_response, status, body, headers, length=None) -> Iterable[bytes]:
        start_response(status, [*headers, ("Content-Length", str(len(body) if length is None else length))])
        return [body]


def mount(site: WSGIApp, prefix: str, app: WSGIApp) -> WSGIApp:
    """Send requests below `prefix` (e.g. /api) to `app`, with the prefix moved into SCRIPT_NAME."""
    prefix = "/" + prefix.strip("/")

    def dispatch(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if path == prefix or path.startswith(prefix + "/"):
            environ = {**environ, "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + prefix,
                       "PATH_INFO": path[len(prefix):] or "/"}
            return app(environ, start_response)
        return site(environ, start_response)

    return dispatch


def _stop_gently(worker) -> None:
    """Ctrl+C reaches the worker too (the whole process group gets SIGINT), and gthread's quick-quit handler can
    deadlock when a signal lands while it hands a request to its thread pool. So the worker ignores SIGINT (the
    master handles it) and treats the master's SIGQUIT as a graceful stop: it finishes its requests and ends."""

    def graceful(signum, frame):
        worker.alive = False

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, graceful)


def run_gunicorn(load: Callable[[], WSGIApp], host: str, port: int, threads: int = 8,
                 on_ready: Callable[[], None] | None = None) -> None:
    """Run gunicorn (one worker process, `threads` threads) on host:port until Ctrl+C. `load` is called in
    the worker, after the fork, so database connections and the outbox thread live there."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": 1, "worker_class": "gthread",
                               "threads": threads, "accesslog": None, "errorlog": "-", "loglevel": "warning",
                               "graceful_timeout": 5, "when_ready": lambda server: on_ready and on_ready(),
                               "post_worker_init": _stop_gently, "proc_name": "hasselthelpt"}.items():
                self.cfg.set(key, value)

        def load(self):
            return load()

    Server().run()
