"""`serve`'s warm worker (hasselthelpt/worker.py) answers every build twice: once the pages are written (the
browsers reload) and once the other outputs are made. A crash in those other outputs (feeds, calendars, slides,
print...) must reach the browser as a crash of the pages does, and the answers must stay in step with the
requests whatever each build's outcome."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hasselthelpt import worker
from hasselthelpt.live import BUILD, BUILD_ALL, LATER_FAILURE, LiveBuilds
from hasselthelpt.outputs import calendars
from hh_testing import REPO, TODAY, Project
from model_site import write_site

OK = {"errors": [], "failure": ""}


def test_the_worker_reports_a_crash_in_the_outputs_that_follow_the_pages(tmp_path, monkeypatch, capsys):
    project = Project(tmp_path)
    write_site(project)
    with open(project.root / "pelicanconf.py", "a", encoding="utf-8") as f:
        f.write(f"\nHH_TODAY = {TODAY!r}\n")
    output = project.root / "output"
    ics = output / "agenda" / "agenda.ics"
    kok = project.root / "vacancies" / "kok.yaml"

    def broken_calendar(*args, **kwargs):
        raise RuntimeError("the calendar writer broke")

    def requests():
        yield BUILD_ALL + "\n"
        assert ics.is_file()  # the first build made every output before its first answer
        kok.write_text(kok.read_text(encoding="utf-8").replace("Je kookt *samen*.", "Je kookt soep."),
                       encoding="utf-8")
        monkeypatch.setattr(calendars.ics, "calendar", broken_calendar)
        yield BUILD + "\n"  # the pages are fine; the calendars, made after them, crash

    monkeypatch.setattr(sys, "stdin", requests())
    assert worker.main([str(project.root), str(output)]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert answers[:3] == [OK, OK, OK], answers
    assert answers[3]["errors"] == [] and "the calendar writer broke" in answers[3]["failure"]
    assert "Je kookt soep" in (output / "vacatures" / "kok" / "index.html").read_text(encoding="utf-8")
    assert len(answers) == 4


_FAKE_WORKER = """
import json, sys
answers = iter(json.loads(sys.argv[1]))
for request in sys.stdin:
    for answer in next(answers):
        print(json.dumps(answer), flush=True)
"""


class _Scripted(LiveBuilds):
    """The dev server's side, against a worker that gives these answers, two per request."""

    def __init__(self, answers: list, tmp: Path):
        super().__init__(REPO, tmp / "output", on_built=lambda: self.told.append(self.state.number))
        self.answers, self.told = answers, []

    def command(self) -> list[str]:
        return [sys.executable, "-c", _FAKE_WORKER, json.dumps(self.answers)]


def test_the_browsers_see_a_crash_after_the_pages_and_the_answers_stay_in_step(tmp_path):
    error = {"path": "vacancies/kok.yaml", "field": "title", "problem": "is missing", "fix": "Add a title.",
             "line": 2, "warning": False}
    live = _Scripted([[OK, {"errors": [], "failure": "Traceback ...\nRuntimeError: the feeds broke"}],
                      [{"errors": [error], "failure": ""}, OK],
                      [OK, OK]], tmp_path)
    try:
        first = live.build()
        assert first.number == 2  # the browsers heard twice: of the pages, then of the crash after them
        assert first.broken and first.failure.startswith(LATER_FAILURE) and "the feeds broke" in first.failure
        assert "the feeds broke" in live.error_page(first).decode("utf-8")
        second = live.build()  # content errors: the worker's second answer is read, not taken for the next one
        assert (second.number, second.errors, second.failure) == (3, [error], "")
        third = live.build()
        assert (third.number, third.broken) == (4, False)
        assert live.told == [0, 3]  # the endpoint learnt the new vacancies after each good set of pages
    finally:
        live._worker.kill()
        live._worker.wait()
