"""The warm build process of `hasselthelpt serve` (hasselthelpt/live.py): one long-lived process that builds the
development site on request, so a rebuild after an edit costs what changed (hasselthelpt/incremental.py), not
also starting Python and importing Pelican.

Protocol: the server writes one JSON line per build, {"all": bool, "changed": [file names]}: `all` for every
output before the answers (the first build, when no browser waits yet and the site must be whole once the server
says it is ready), `changed` the files changed since the last build, when the server knows them. The worker
answers with three JSON lines, all of them before it reads the next request:
- {"quick": [pages]}: the edited items' own pages, rendered again at once from the last build
  (hasselthelpt/quick_render.py), or none; the browsers reload when there are some;
- {"errors": [...], "failure": "...", "pages_written": n, "pages": [pages] or null} once the build wrote the
  pages (what the build prints goes to stderr, which is the server's terminal); `pages` names them (below the
  output folder) when the build followed a quick render and wrote at most PAGES_NAMED, else it is null: any page
  may have changed or gone, and every browser reloads;
- {"errors": [], "failure": "...", "stopped": bool} once the outputs besides the pages (build.CHANNELS: feeds,
  slides, print, the search index...) are made too, so a crash in one of those shows in the browser as well.
  The server may send the next request before this answer (the next save came): the worker then stops making
  those outputs (`stopped`: some were left for the next build, which makes them) and takes it, so the next
  edit's page does not wait for the last one's feeds and search index.

The worker stops with exit code live.RESTART before a build when the code it runs changed (the package, its
dependencies, the project's plugins: a process keeps the modules it imported), and the server starts a fresh one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import select
import sys
import traceback
from pathlib import Path
from typing import Iterator

from . import quick_render
from .live import RESTART


PAGES_NAMED = 200  # an edit's listings and neighbours; a build that wrote more reloads every browser


def _plugins_state(project: Path) -> list:
    return sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in (project / "plugins").rglob("*.py"))


class Requests:
    """The server's requests, one JSON line each, read from a pipe with no buffer but this one's, so that
    `waiting()` can tell whether the next request came while a build runs."""

    def __init__(self, fd: int):
        self.fd, self.buffer = fd, b""

    def __iter__(self) -> Iterator[dict]:
        while True:
            while b"\n" not in self.buffer:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    return
                self.buffer += chunk
            line, self.buffer = self.buffer.split(b"\n", 1)
            yield json.loads(line)

    def waiting(self) -> bool:
        """A request (or the end of the pipe: the server went) is there to read."""
        return b"\n" in self.buffer or bool(select.select([self.fd], [], [], 0)[0])


def main(argv: list[str], requests: Requests | None = None) -> int:
    from . import incremental
    from .build import ContentErrors
    from .cli import build_site
    from .files import counting

    project, output = Path(argv[0]), Path(argv[1]).absolute()
    code, plugins = incremental.code_version(), _plugins_state(project)
    answers, requests = sys.stdout, requests or Requests(sys.stdin.fileno())
    for request in requests:
        incremental.code_version.cache_clear()
        if incremental.code_version() != code or _plugins_state(project) != plugins:
            return RESTART
        quick = _quick(request.get("changed") or [])
        _answer(answers, quick=quick)
        quick_render.forget()
        errors, failure, later = [], "", []
        after_pages = contextlib.nullcontext([]) if request.get("all") else incremental.deferring()
        with contextlib.redirect_stdout(sys.stderr), counting(output) as tally, after_pages as later:
            try:
                build_site(project, False, output, HH_LIVE_RELOAD=True)
            except ContentErrors as exc:
                errors = [dataclasses.asdict(e) for e in exc.errors]
                for error in exc.errors:
                    print(error, file=sys.stderr)
            except Exception:  # noqa: BLE001 - shown in the browser; the next good build replaces it
                failure = traceback.format_exc()
                print(failure, file=sys.stderr)
        named = quick and len(tally.pages) <= PAGES_NAMED  # the items kept their standing: no page went
        _answer(answers, errors=errors, failure=failure, pages_written=tally.written["pages"],
                pages=sorted(Path(p).relative_to(output).as_posix() for p in tally.pages) if named else None)
        later_failure, stopped = "", False
        if not (errors or failure):
            with contextlib.redirect_stdout(sys.stderr):
                try:
                    stopped = incremental.run_later(later, stop=requests.waiting)
                except Exception:  # noqa: BLE001 - shown in the browser; the next build runs them again
                    later_failure = traceback.format_exc()
                    print(later_failure, file=sys.stderr)
        _answer(answers, errors=[], failure=later_failure, stopped=stopped)
    return 0


def _quick(changed: list[str]) -> list[str]:
    """The pages the quick render wrote; none when it failed (the build that follows shows why, or makes them)."""
    try:
        pages = quick_render.render_changed(changed)
    except Exception:  # noqa: BLE001 - the build right after it makes every page as it should be
        print(traceback.format_exc(), file=sys.stderr)
        return []
    if pages:
        print(f"Rendered at once: {', '.join(pages)}", file=sys.stderr, flush=True)
    return pages


def _answer(answers, **answer) -> None:
    answers.write(json.dumps(answer, ensure_ascii=False) + "\n")
    answers.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
