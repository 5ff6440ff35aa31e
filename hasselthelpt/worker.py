"""The warm build process of `hasselthelpt serve` (hasselthelpt/live.py): one long-lived process that builds the
development site on request, so a rebuild after an edit costs what changed (hasselthelpt/incremental.py), not
also starting Python and importing Pelican.

Protocol: the server writes one line, `build` (or `build all`: every output before the answer, for the first
build, when no browser waits yet and the site must be whole once the server says it is ready); the worker builds
(what the build prints goes to stderr, which is the server's terminal) and answers with two JSON lines of the
form {"errors": [...], "failure": "..."}: the first once the pages are written, so the browsers reload at once,
the second once the outputs besides the pages (build.CHANNELS: feeds, slides, print, the search index...) are
made too, so a crash in one of those shows in the browser as well. Both lines come before the worker reads the
next request.

The worker stops with exit code live.RESTART before a build when the code it runs changed (the package, its
dependencies, the project's plugins: a process keeps the modules it imported), and the server starts a fresh one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import traceback
from pathlib import Path

from .live import BUILD, BUILD_ALL, RESTART


def _plugins_state(project: Path) -> list:
    return sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in (project / "plugins").rglob("*.py"))


def main(argv: list[str]) -> int:
    from . import incremental
    from .build import ContentErrors
    from .cli import build_site

    project, output = Path(argv[0]), Path(argv[1])
    code, plugins = incremental.code_version(), _plugins_state(project)
    answers = sys.stdout
    for request in sys.stdin:
        if request.strip() not in (BUILD, BUILD_ALL):
            continue
        incremental.code_version.cache_clear()
        if incremental.code_version() != code or _plugins_state(project) != plugins:
            return RESTART
        errors, failure, later = [], "", []
        after_pages = incremental.deferring() if request.strip() == BUILD else contextlib.nullcontext([])
        with contextlib.redirect_stdout(sys.stderr), after_pages as later:
            try:
                build_site(project, False, output, HH_LIVE_RELOAD=True)
            except ContentErrors as exc:
                errors = [dataclasses.asdict(e) for e in exc.errors]
                for error in exc.errors:
                    print(error, file=sys.stderr)
            except Exception:  # noqa: BLE001 - shown in the browser; the next good build replaces it
                failure = traceback.format_exc()
                print(failure, file=sys.stderr)
        _answer(answers, errors, failure)
        later_failure = ""
        if not (errors or failure):
            with contextlib.redirect_stdout(sys.stderr):
                try:
                    incremental.run_later(later)
                except Exception:  # noqa: BLE001 - shown in the browser; the next build runs them again
                    later_failure = traceback.format_exc()
                    print(later_failure, file=sys.stderr)
        _answer(answers, [], later_failure)
    return 0


def _answer(answers, errors: list[dict], failure: str) -> None:
    answers.write(json.dumps({"errors": errors, "failure": failure}, ensure_ascii=False) + "\n")
    answers.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
