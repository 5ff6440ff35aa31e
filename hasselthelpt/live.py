"""`hasselthelpt serve` in development: rebuild after every change, and let the open browser reload by itself.

Nothing of this reaches a production build or a production `serve`: only a build with HH_LIVE_RELOAD (which
`serve` sets, and which the settings refuse with an absolute SITEURL) gives its pages the one external script
below, and that script and the routes it talks to come from this dev server, not from the output folder.

- **Watching**: watchfiles (the file watcher Pelican itself uses; inotify on Linux) reports changes below the
  watched folders (settings.INPUT_FOLDERS), grouped until they have settled for STEP_MS (one save, a `git checkout`),
  and the dev server rebuilds. Polling every file's modification time instead would cost about 60 ms of CPU per
  look for the 3,000 files of the city-scale corpus (measured on this 2-core machine under load), several times a
  second, for as long as the server runs; file events cost nothing while nobody edits. The settings files are
  compared by size and modification time at each TICK_MS instead of watched, so an editor that saves by writing
  a new file and renaming it over the old one is seen too, and so is a watched folder that appears later
  (signage/). Where file events never arrive (some VM and Docker Desktop shared folders), set
  WATCHFILES_FORCE_POLLING=1: watchfiles then polls.
- **Building**: a warm build process (hasselthelpt/worker.py) builds on request, incrementally, so an edit costs
  what it changed. An edited item's own page comes first, rendered at once from the last build
  (hasselthelpt/quick_render.py), then the build's pages (only the browsers on the pages it wrote reload again);
  the outputs besides the pages (feeds, slides, print, the search index) follow after the browsers were told,
  and a crash in them is told to the browsers too. A save while those are made stops them (the build it
  starts makes what they left), so the next edit's page does not wait for them. The worker restarts
  itself when the code or the plugins changed (a process keeps the modules it imported), and a crash in the
  build never takes the server down: it is shown in the browser, and a worker that died is started again.
- **Reloading**: each page loads SCRIPT (theme/dev/live-reload.js), which asks BUILD_URL for the number of the
  last build and then waits there (a long poll of at most WAIT_SECONDS) for a newer one, and reloads the page if
  a newer build may have changed it: the worker names the pages a build wrote (after a quick render), so a page
  the edit did not touch stays as it is, and the edited page does not reload twice.
- **Errors**: while the last build failed, every page is theme/dev/build-error.html: each content error with its
  file, line, field and how to fix it, or the build's output when it crashed. The next good build replaces it.
- **The form endpoint** learns the new vacancies after each good build (`on_built`).
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import parse_qs, unquote

from .settings import INPUT_FOLDERS

MOUNT = "__hh"  # below the site root: no content slug can start with an underscore
SCRIPT = f"{MOUNT}/live-reload.js"
BUILD_URL = f"{MOUNT}/build"
SETTINGS_FILES = ("pelicanconf.py", "publishconf.py")
RESTART = 3  # the warm worker's exit code for 'my code changed: start a fresh one' (worker.py)
STEP_MS = 100  # changes are grouped until none came for this long
TICK_MS = 500  # how often the settings files are looked at
WAIT_SECONDS = 8.0
HISTORY = 64  # builds whose changed pages are kept: a browser further behind reloads
DEV_THEME = ("theme", "dev")  # the script and the error page: beside theme/static, so never copied to the output
FAILURE_LINES = 60
LATER_FAILURE = "The pages were built, but making the other outputs (feeds, slides, print, search) failed:\n"

def _settings_state(project: Path) -> tuple:
    """What tells that a settings file changed, or a watched folder appeared or went."""
    files = tuple((p.stat().st_size, p.stat().st_mtime_ns) if p.is_file() else None
                  for p in (project / name for name in SETTINGS_FILES))
    return files, tuple(name for name in INPUT_FOLDERS if (project / name).is_dir())


@dataclass
class State:
    """The outcome of the last build."""

    number: int = 0
    errors: list[dict] = field(default_factory=list)  # content errors, as ContentError fields
    failure: str = ""  # the output of a build that crashed

    @property
    def broken(self) -> bool:
        return bool(self.errors or self.failure)


class LiveBuilds:
    """Builds the development site into `output` after every change, and tells waiting browsers."""

    def __init__(self, project: Path, output: Path, on_built: Callable[[], None] | None = None):
        self.project, self.output = project, output
        self.on_built = on_built or (lambda: None)
        self.state = State()
        self._changed = threading.Condition()
        self._worker: subprocess.Popen | None = None
        self._worker_parent = 0  # the process that started it
        self._later: threading.Thread | None = None  # reads the last build's answer on its other outputs
        self._recent: dict[int, frozenset[str] | None] = {}  # build -> the URL paths it changed; None: any

    # --- building ---

    def command(self) -> list[str]:
        return [sys.executable, "-m", "hasselthelpt.worker", str(self.project), str(self.output)]

    def _ask_worker(self, request: dict) -> dict:
        """One build by the warm worker (started when there is none, or again when it restarted itself): its
        first answer, the pages it rendered at once."""
        code = None
        for _ in range(3):
            if not self._worker_alive():
                self._worker = subprocess.Popen(self.command(), cwd=self.project, stdin=subprocess.PIPE,
                                                stdout=subprocess.PIPE, text=True, encoding="utf-8")
                self._worker_parent = os.getpid()
            try:
                self._worker.stdin.write(json.dumps(request) + "\n")
                self._worker.stdin.flush()
            except BrokenPipeError:
                pass
            self._read_later()  # the worker stops the last build's other outputs once it sees this request
            line = self._worker.stdout.readline()
            if line:
                return json.loads(line)
            if self._worker_parent != os.getpid():  # not ours to wait for (_worker_alive): start our own
                self._worker = None
                continue
            code = self._worker.wait()
            if code != RESTART:
                break
        return {"errors": [], "failure": f"The build process stopped (exit code {code}): see the terminal where "
                                         "`hasselthelpt serve` runs."}

    def _worker_alive(self) -> bool:
        """Whether the warm worker runs. The first build runs before the web server forks the process that
        serves (gunicorn), which then goes on with the same worker through the pipes it inherited: it is not that
        worker's parent, so it cannot wait for it, and learns that it stopped when its answers stop."""
        if self._worker is None:
            return False
        return self._worker.poll() is None if self._worker_parent == os.getpid() else True

    def _next_answer(self, doing: str) -> dict:
        """The worker's next answer to the same request."""
        line = self._worker.stdout.readline() if self._worker is not None else ""  # "" once it stopped
        if line:
            return json.loads(line)
        return {"errors": [], "failure": f"The build process stopped while it {doing}: see the terminal where "
                                         "`hasselthelpt serve` runs."}

    def build(self, whole: bool = False, changed: Iterable[str] | None = None, later_aside: bool = False) -> State:
        """One build; its output goes to this terminal, its outcome to the browsers. `whole`: every output before
        the answers (the first build). Else the browsers hear of the pages the worker could render at once from
        the `changed` files (quick_render.py), then of the build's pages (unless they added nothing to those),
        and of a crash in the other outputs (feeds, slides, print...) when it happens. `later_aside`: return
        once the pages are written; a thread waits for the other outputs, so the next build's request can go
        out while they are made (the worker then leaves them to that build)."""
        request = {"all": whole, "changed": sorted(changed or ()) if not self.state.broken else []}
        quick = self._ask_worker(request)
        if "quick" not in quick:  # the worker stopped
            return self._tell(quick)
        if quick["quick"]:
            self._tell({"errors": [], "failure": "", "pages": quick["quick"]}, learn=False)
        answer = self._next_answer("built the pages")
        state = self.state
        if answer["errors"] or answer["failure"] or not quick["quick"] or answer.get("pages_written"):
            state = self._tell(answer)
        else:  # the browsers already show every page this build wrote
            self.on_built()
        later = threading.Thread(target=self._after_pages, args=(state,), name="other-outputs", daemon=True)
        later.start()
        self._later = later
        return state if later_aside else self._read_later()

    def _after_pages(self, state: State) -> None:
        after = self._next_answer("made the outputs besides the pages")
        if after["failure"] and not state.broken:
            self._tell(after, LATER_FAILURE)

    def _read_later(self) -> State:
        """The state once the last build's answer on its other outputs is in."""
        if self._later is not None:
            self._later.join()
            self._later = None
        return self.state

    def _tell(self, answer: dict, heading: str = "", learn: bool = True) -> State:
        """Make an answer the state the browsers see. `learn`: the endpoint reads the content again first (a
        reloaded page's form must find its vacancy); a quick render changes no vacancy's standing. The pages it
        names (as files below the output folder) are the ones whose browsers reload; while the site shows errors,
        and when it stops, every page changes."""
        failure = "\n".join(answer["failure"].strip().splitlines()[-FAILURE_LINES:])
        state = State(self.state.number + 1, answer["errors"], heading + failure if failure else "")
        named = answer.get("pages") is not None and not (state.broken or self.state.broken)
        pages = frozenset(_url_path(name) for name in answer["pages"]) if named else None
        if learn and not state.broken:
            self.on_built()
        with self._changed:
            self.state = state
            self._recent[state.number] = pages
            self._recent.pop(state.number - HISTORY, None)
            self._changed.notify_all()
        return state

    def watch(self, stop: threading.Event) -> None:
        """Rebuild after each change (a change during a build gives one more build), until `stop` is set."""
        import watchfiles

        while not stop.is_set():
            settings = _settings_state(self.project)
            folders = [self.project / name for name in settings[1]]
            for changes in watchfiles.watch(*folders, stop_event=stop, step=STEP_MS, rust_timeout=TICK_MS,
                                            yield_on_timeout=True, raise_interrupt=False):
                now = _settings_state(self.project)
                if changes or now != settings:
                    print("Change seen: building again.", flush=True)
                    self.build(changed=None if now != settings else {path for _, path in changes}, later_aside=True)
                if now[1] != settings[1]:
                    break  # watch the folders as they are now
                settings = now

    def start(self) -> threading.Event:
        """Watch in a background thread; set the returned event to stop."""
        stop = threading.Event()
        threading.Thread(target=self.watch, args=(stop,), name="live-builds", daemon=True).start()
        return stop

    def wait(self, after: int | None, timeout: float = WAIT_SECONDS) -> int:
        """The number of the last build, once it is other than `after` or the timeout has passed."""
        with self._changed:
            if after is not None:
                self._changed.wait_for(lambda: self.state.number != after, timeout)
            return self.state.number

    def changed_since(self, after: int | None, page: str) -> bool:
        """Whether a build after `after` may have changed the page at URL path `page`. The dev server's own pages
        (the error list) change with every build; a number above the last one is another server's (it restarted)."""
        page = _url_path(page)
        with self._changed:
            if after is None or after == self.state.number:
                return False
            if after > self.state.number or page.startswith(f"{MOUNT}/"):
                return True
            told = [self._recent.get(n) for n in range(after + 1, self.state.number + 1)]
        return any(pages is None or page in pages for pages in told)

    # --- serving ---

    def app(self, site: Callable) -> Callable:
        """The site, plus the script and the build number below /__hh/, and the error page while broken."""
        script = self.project.joinpath(*DEV_THEME, "live-reload.js")

        def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
            path = (environ.get("PATH_INFO") or "/").lstrip("/")
            if path == SCRIPT:
                return _send(start_response, "200 OK", "application/javascript", script.read_bytes())
            if path == BUILD_URL:  # ?after=<build>&page=<its URL path>: the page reloads when `reload`
                query = parse_qs(environ.get("QUERY_STRING", ""))
                after = _query_int(query, "after")
                number = self.wait(after)
                body = json.dumps({"build": number, "reload": self.changed_since(after, query.get("page", [""])[0])})
                return _send(start_response, "200 OK", "application/json", body.encode())
            state = self.state
            if state.broken and environ.get("REQUEST_METHOD") in ("GET", "HEAD") and _is_page(path):
                return _send(start_response, "500 Internal Server Error", "text/html", self.error_page(state))
            return site(environ, start_response)

        return serve

    def error_page(self, state: State) -> bytes:
        """theme/dev/build-error.html, or plain text when that template itself is broken."""
        from jinja2 import Environment, FileSystemLoader, TemplateError

        env = Environment(loader=FileSystemLoader(str(self.project.joinpath(*DEV_THEME))), autoescape=True)
        try:
            page = env.get_template("build-error.html").render(errors=state.errors, failure=state.failure,
                                                                script=f"/{SCRIPT}", build=state.number)
        except TemplateError as exc:
            lines = [_error_line(e) for e in state.errors] or [state.failure]
            page = (f"<!doctype html><title>Build failed</title><pre>{html.escape(chr(10).join(lines))}\n\n"
                    f"(theme/dev/build-error.html: {html.escape(str(exc))})</pre>"
                    f'<script src="/{SCRIPT}" defer></script>')
        return page.encode("utf-8")


def _error_line(error: dict) -> str:
    where = f"{error['path']}:{error['line']}" if error.get("line") else error["path"]
    return f"{where}: {error.get('field') or 'file'}: {error['problem']}. How to fix: {error['fix']}"


def _is_page(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


def _url_path(name: str) -> str:
    """A page's URL path, from its file below the output folder or from the address bar: vacatures/kok/"""
    name = unquote(name).lstrip("/")
    return name[: -len("index.html")] if name == "index.html" or name.endswith("/index.html") else name


def _query_int(query: dict, name: str) -> int | None:
    values = query.get(name)
    try:
        return int(values[0]) if values else None
    except ValueError:
        return None


def _send(start_response: Callable, status: str, kind: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", f"{kind}; charset=utf-8"), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store")])
    return [body]

