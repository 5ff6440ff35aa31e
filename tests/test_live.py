"""`serve`'s warm worker (hasselthelpt/worker.py) answers every build three times: with the pages it rendered at
once after an edit (hasselthelpt/quick_render.py), once the build wrote the pages (the browsers reload) and once
the other outputs are made. A quick page must be the page the build makes; a crash in the other outputs (feeds,
calendars, slides, print...) must reach the browser as a crash of the pages does; and the answers must stay in
step with the requests whatever each build's outcome."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterator

from hasselthelpt import worker
from hasselthelpt.live import LATER_FAILURE, LiveBuilds
from hasselthelpt.outputs import calendars
from hh_testing import REPO, TODAY, Project
from model_site import write_site

OK = {"errors": [], "failure": ""}
DONE = {**OK, "stopped": False}  # every other output made
NONE_QUICK = {"quick": []}
ALL = json.dumps({"all": True, "changed": []}) + "\n"


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return json.dumps({"all": False, "changed": [str(path)]}) + "\n"


class _Script:
    """worker.main's requests from a generator of JSON lines. `early`: the next request is there already."""

    def __init__(self, lines: Iterator[str]):
        self.lines, self.early = lines, False

    def __iter__(self) -> Iterator[dict]:
        return (json.loads(line) for line in self.lines)

    def waiting(self) -> bool:
        return self.early


def _model_project(tmp_path: Path) -> Project:
    project = Project(tmp_path)
    write_site(project)
    with open(project.root / "pelicanconf.py", "a", encoding="utf-8") as f:
        f.write(f"\nHH_TODAY = {TODAY!r}\n")
    return project


def test_the_worker_reports_a_crash_in_the_outputs_that_follow_the_pages(tmp_path, monkeypatch, capsys):
    project = _model_project(tmp_path)
    output = project.root / "output"
    ics = output / "agenda" / "agenda.ics"
    kok = project.root / "vacancies" / "kok.yaml"

    def broken_calendar(*args, **kwargs):
        raise RuntimeError("the calendar writer broke")

    def requests():
        yield ALL
        assert ics.is_file()  # the first build made every output before its first answer
        monkeypatch.setattr(calendars.ics, "calendar", broken_calendar)
        kok.write_text(kok.read_text(encoding="utf-8").replace("Je kookt *samen*.", "Je kookt soep."),
                       encoding="utf-8")
        # the pages are fine; the calendars, made after them, crash
        yield json.dumps({"all": False, "changed": []}) + "\n"  # the dev server did not say what changed

    assert worker.main([str(project.root), str(output)], _Script(requests())) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(answers) == 6
    assert answers[0] == NONE_QUICK and answers[2] == DONE and answers[3] == NONE_QUICK  # no quick render: no edit
    assert {k: answers[1][k] for k in OK} == OK and answers[1]["pages_written"] > 10
    assert {k: answers[4][k] for k in OK} == OK
    assert answers[5]["errors"] == [] and "the calendar writer broke" in answers[5]["failure"]
    assert "Je kookt soep" in (output / "vacatures" / "kok" / "index.html").read_text(encoding="utf-8")


def test_an_edited_vacancy_is_rendered_at_once_as_the_build_makes_it(tmp_path, monkeypatch, capsys):
    project = _model_project(tmp_path)
    output = project.root / "output"
    kok, page = project.root / "vacancies" / "kok.yaml", output / "vacatures" / "kok" / "index.html"
    seen = []

    def requests():
        yield ALL
        yield _edit(kok, "Je kookt *samen*.", "Je kookt soep.")  # the text only: rendered at once
        seen.append(page.read_text(encoding="utf-8"))  # the worker goes on to build after the quick answer
        yield _edit(kok, "Je kookt soep.", "Je kookt *stoofvlees*.")
        yield _edit(kok, "Kok voor de buurtsoep", "Kok voor het buurtfeest")  # the listings show the title too
        yield _edit(kok, "publish_from: 2026-10-01", "publish_from: 2027-06-01")  # a preview now: waits
        yield _edit(kok, "title: ", "title: [")  # broken YAML: waits, and the build shows the error
        yield json.dumps({"all": False, "changed": [str(project.root / "theme-notes.txt")]}) + "\n"  # unknown

    (project.root / "theme-notes.txt").write_text("not content", encoding="utf-8")
    assert worker.main([str(project.root), str(output)], _Script(requests())) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(answers) == 21
    quick = answers[0::3]
    kok_page = {"quick": ["vacatures/kok/index.html"]}
    assert quick == [NONE_QUICK, kok_page, kok_page, kok_page, NONE_QUICK, NONE_QUICK, NONE_QUICK]
    assert "Je kookt soep" in seen[0] and "Je kookt <em>stoofvlees</em>" in page.read_text(encoding="utf-8")
    # the build after each quick render wrote no page: the quick one was the page the build makes, byte for byte
    assert [(answers[n]["pages_written"], answers[n]["pages"]) for n in (4, 7)] == [(0, []), (0, [])]
    # after the new title, the build names the pages it wrote (their browsers reload): the listings, not the
    # vacancy's own page, which the quick render made as the build makes it
    titled = answers[10]["pages"]
    assert "vacatures/index.html" in titled and "vacatures/kok/index.html" not in titled
    assert len(titled) == answers[10]["pages_written"]
    assert "Kok voor het buurtfeest" in (output / "vacatures" / "index.html").read_text(encoding="utf-8")
    # the preview left the listings: no quick render, so any page may have changed
    assert answers[13]["errors"] == [] and answers[13]["pages_written"] > 0 and answers[13]["pages"] is None
    assert [e["field"] for e in answers[16]["errors"]] and answers[16]["failure"] == ""


_FAKE_WORKER = """
import json, sys
answers = iter(json.loads(sys.argv[1]))
for request in sys.stdin:
    for answer in next(answers):
        print(json.dumps(answer), flush=True)
"""


class _Scripted(LiveBuilds):
    """The dev server's side, against a worker that gives these answers, three per request."""

    def __init__(self, answers: list, tmp: Path):
        super().__init__(REPO, tmp / "output", on_built=lambda: self.told.append(self.state.number))
        self.answers, self.told = answers, []

    def command(self) -> list[str]:
        return [sys.executable, "-c", _FAKE_WORKER, json.dumps(self.answers)]


def test_the_browsers_see_a_crash_after_the_pages_and_the_answers_stay_in_step(tmp_path):
    error = {"path": "vacancies/kok.yaml", "field": "title", "problem": "is missing", "fix": "Add a title.",
             "line": 2, "warning": False}
    pages = {**OK, "pages_written": 3}
    live = _Scripted([[NONE_QUICK, pages, {"errors": [], "failure": "Traceback ...\nRuntimeError: the feeds broke"}],
                      [NONE_QUICK, {"errors": [error], "failure": "", "pages_written": 0}, OK],
                      [NONE_QUICK, pages, OK]], tmp_path)
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


def test_the_browsers_reload_once_for_a_quick_page_and_again_only_when_the_build_wrote_more(tmp_path):
    quick = {"quick": ["vacatures/kok/index.html"]}
    listings = ["index.html", "vacatures/index.html"]
    live = _Scripted([[quick, {**OK, "pages_written": 0, "pages": []}, OK],  # the build wrote no other page
                      [quick, {**OK, "pages_written": 2, "pages": listings}, OK],  # the listings show the title
                      [NONE_QUICK, {**OK, "pages_written": 1, "pages": None}, OK]], tmp_path)  # not named
    try:
        assert live.build(changed={"/x/vacancies/kok.yaml"}).number == 1
        assert live.told == [1]  # the endpoint learnt the new content after the build, without a second reload
        assert live.changed_since(0, "/vacatures/kok/") and not live.changed_since(0, "/vacatures/")
        assert live.build(changed={"/x/vacancies/kok.yaml"}).number == 3
        assert live.told == [1, 2]
        # the vacancy's page reloads once, for its quick render; the listings once, for the build after it
        assert not live.changed_since(2, "/vacatures/kok/")
        assert live.changed_since(1, "/vacatures/kok/")
        assert all(live.changed_since(2, page) for page in ("/vacatures/", "/", "/index.html"))
        assert not live.changed_since(2, "/verhalen/") and not live.changed_since(3, "/vacatures/")
        assert live.changed_since(2, "/__hh/fouten/")  # the error list follows every build
        assert live.changed_since(99, "/verhalen/")  # a page of a server that ran before this one
        assert live.build(changed={"/x/vacancies/kok.yaml"}).number == 4
        assert live.changed_since(3, "/verhalen/")  # the build did not say which pages it wrote
    finally:
        live._worker.kill()
        live._worker.wait()


def test_the_serving_process_goes_on_with_the_worker_of_the_first_build(tmp_path):
    pages = {**OK, "pages_written": 1}
    live = _Scripted([[NONE_QUICK, pages, OK]] * 3, tmp_path)
    try:
        live.build(whole=True)
        first = live._worker
        live._worker_parent = -1  # as in the web server's process, forked after the first build
        assert live.build().number == 2 and live._worker is first  # its warm worker, through the inherited pipes
        first.kill()
        first.wait()
        state = live.build()  # that worker stopped: the serving process starts one of its own
        assert (state.number, state.broken) == (3, False) and live._worker is not first
    finally:
        live._worker.kill()
        live._worker.wait()


def test_the_worker_sees_a_request_that_came_while_it_builds():
    read, write = os.pipe()
    requests = worker.Requests(read)
    edit = {"all": False, "changed": ["vacancies/kok.yaml"]}
    os.write(write, (ALL + json.dumps(edit) + "\n").encode())  # two requests in one read
    lines = iter(requests)
    assert next(lines) == {"all": True, "changed": []}
    assert requests.waiting()  # the second came with the first
    assert next(lines) == edit
    assert not requests.waiting()
    os.write(write, (json.dumps(edit) + "\n").encode())
    assert requests.waiting()
    assert next(lines) == edit
    os.close(write)
    assert requests.waiting()  # the server went: nothing to wait for
    assert list(lines) == []
    os.close(read)


# Makes its other outputs until the next request comes (at most 10 s), as the real worker stops them for it.
_SLOW_WORKER = """
import json, select, sys
def answer(*answers):
    for a in answers:
        print(json.dumps(a), flush=True)
pages = {"errors": [], "failure": "", "pages_written": 1}
sys.stdin.readline()
answer({"quick": ["vacatures/kok/index.html"]}, pages)
came = bool(select.select([sys.stdin], [], [], 10)[0])
answer({"errors": [], "failure": "" if came else "no request came while the outputs were made", "stopped": came})
sys.stdin.readline()
answer({"quick": ["vacatures/kok/index.html"]}, {**pages, "pages_written": 0}, {"errors": [], "failure": ""})
"""


class _Slow(_Scripted):
    def command(self) -> list[str]:
        return [sys.executable, "-c", _SLOW_WORKER]


def test_the_next_edit_goes_to_the_worker_while_it_makes_the_last_ones_other_outputs(tmp_path):
    live = _Slow([], tmp_path)
    try:
        first = live.build(changed={"/x/vacancies/kok.yaml"}, later_aside=True)
        assert first.number == 2  # the quick page, then the build's pages; the other outputs are still made
        second = live.build(changed={"/x/vacancies/kok.yaml"}, later_aside=True)
        assert second.number == 3  # its quick page: the worker had stopped the other outputs for this request
        state = live._read_later()
        assert (state.number, state.broken) == (3, False), state.failure
    finally:
        live._worker.kill()
        live._worker.wait()
