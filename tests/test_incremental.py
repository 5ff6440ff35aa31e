"""Incremental builds make what a cold build makes: after each kind of change (an item edited, added or removed, a
template, a setting, the date passing an expiry, a photo), a rebuild of the kept output folder holds exactly the
files, byte for byte, of a cold build of the same inputs in a fresh copy of the project (no output, no cache).

The changes follow each other on one project (in file order), so each rebuild starts from the last one's state.
Pagefind's index is left out of the byte comparison: its files differ between two runs on the same pages (see
search.run_pagefind); tests/test_rebuild.py checks that it follows a changed text."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from hasselthelpt import incremental
from hasselthelpt.cli import build_site
from hh_testing import TODAY, Project, vacancy
from model_site import write_site

OUT = "site"
STAFF_URL = "https://intranet.example/hasselthelpt"  # the default is a file:// address of the project folder
EXPIRES = "2026-11-28"
_today = {"value": TODAY}


def build(root: Path) -> None:
    build_site(root, False, root / OUT, HH_TODAY=_today["value"], HH_STAFF_URL=STAFF_URL)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the public and the staff output, but the search index (Pagefind names its files by their
    bytes, which differ between runs): of that only its entry file, which must be there."""
    out = {}
    for folder in (root / OUT, root / f"{OUT}-intranet"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                rel = path.relative_to(root).as_posix()
                if "/pagefind/" not in rel:
                    out[rel] = path.read_bytes()
    assert (root / OUT / "pagefind" / "pagefind-entry.json").is_file()
    return out


def stats(root: Path) -> dict[str, tuple[int, int]]:
    """Every output file, the search index's too: (modification time, inode), which a rewrite changes."""
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
            for folder in (root / OUT, root / f"{OUT}-intranet") for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    p = Project(tmp_path_factory.mktemp("incremental"))
    write_site(p)
    p.write("vacancies/kort.yaml", vacancy(title="Vacature die bijna afloopt", valid_through=EXPIRES))
    build(p.root)
    return p


def assert_same_as_cold(project: Project, tmp_path: Path) -> None:
    build(project.root)
    cold = tmp_path / "cold"
    shutil.copytree(project.root, cold, ignore=shutil.ignore_patterns("cache", OUT, f"{OUT}-intranet"))
    build(cold)
    incremental, fresh = snapshot(project.root), snapshot(cold)
    assert sorted(incremental) == sorted(fresh), (sorted(set(incremental) ^ set(fresh))[:20])
    differ = sorted(rel for rel in fresh if incremental[rel] != fresh[rel])
    assert not differ, f"{len(differ)} file(s) differ from a cold build: {differ[:20]}"


def test_a_rebuild_with_nothing_changed_rewrites_no_file(project, capsys):
    before = stats(project.root)
    build(project.root)
    assert "Nothing changed since the last build" in capsys.readouterr().out
    assert stats(project.root) == before


def test_a_touched_input_renders_no_page_and_rewrites_no_file(project, capsys):
    before = stats(project.root)
    (project.root / "vacancies" / "kok.yaml").touch()  # a new modification time, the same bytes
    build(project.root)
    line = [x for x in capsys.readouterr().out.splitlines() if x.startswith("Built in ")][-1]
    assert "pages 0 written" in line and "written, " in line
    assert stats(project.root) == before


def test_editing_a_vacancy(project, tmp_path):
    path = project.root / "vacancies" / "kok.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Je kookt", "Je bakt en kookt"), encoding="utf-8")
    assert_same_as_cold(project, tmp_path)


def test_adding_a_vacancy(project, tmp_path):
    project.write("vacancies/nieuw.yaml", vacancy(title="Nieuwe chauffeur", themes=["zorg-en-welzijn"]))
    assert_same_as_cold(project, tmp_path)
    assert (project.root / OUT / "vacatures" / "nieuw" / "index.html").is_file()


def test_deleting_a_vacancy_removes_its_outputs(project, tmp_path):
    own = sorted(p for p in (project.root / OUT).rglob("*nieuw*") if p.is_file() or p.is_dir())
    assert any(p.is_file() for p in own), own  # besides its page folder: its slides
    (project.root / "vacancies" / "nieuw.yaml").unlink()
    # Its address was printed (the short-link ledger): it keeps answering, with a 'no longer available' page.
    project.write("content/gone.yaml", "- url: /vacatures/nieuw/\n  title: Nieuw\n  themes: [buurt-en-samenleven]\n")
    assert_same_as_cold(project, tmp_path)
    page = project.root / OUT / "vacatures" / "nieuw" / "index.html"
    assert "niet meer beschikbaar" in page.read_text(encoding="utf-8")
    left = [p for p in own if p.exists() and p not in (page, page.parent)]
    assert not left, f"outputs of the deleted vacancy stayed: {left}"


def test_editing_an_organisation(project, tmp_path):
    path = project.root / "content" / "organisations" / "buurtwerk.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Wij helpen buren.", "Wij helpen alle buren."),
                    encoding="utf-8")
    assert_same_as_cold(project, tmp_path)


def test_editing_a_template(project, tmp_path):
    path = project.root / "theme" / "templates" / "base.html"
    path.write_text(path.read_text(encoding="utf-8").replace("</body>", "<!-- bewerkt --></body>"), encoding="utf-8")
    assert_same_as_cold(project, tmp_path)
    assert b"<!-- bewerkt -->" in (project.root / OUT / "vacatures" / "kok" / "index.html").read_bytes()


def test_changing_a_setting(project, tmp_path):
    with (project.root / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write("\nHH_PER_PAGE = 2\n")
    assert_same_as_cold(project, tmp_path)
    assert (project.root / OUT / "vacatures" / "pagina" / "2" / "index.html").is_file()


def test_the_date_passing_a_vacancys_end(project, tmp_path):
    page = project.root / OUT / "vacatures" / "kort" / "index.html"
    before = page.read_bytes()
    _today["value"] = "2026-11-29"
    try:
        assert_same_as_cold(project, tmp_path)
    finally:
        _today["value"] = TODAY
    assert page.read_bytes() != before  # now the page of a vacancy that is over


def test_changing_a_photo(project, tmp_path):
    project.photo("images/stories/foto.jpg", size=(1400, 1000))
    assert_same_as_cold(project, tmp_path)


def test_a_build_without_a_record_removes_what_the_site_no_longer_has(project):
    """As production used to start from an empty folder: a leftover of an older build goes, even when the build
    state in the cache is gone."""
    leftover = project.root / OUT / "vacatures" / "oud" / "index.html"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("<p>oud</p>", encoding="utf-8")
    shutil.rmtree(project.root / "cache")
    build(project.root)
    assert not leftover.parent.exists()
    assert (project.root / OUT / "vacatures" / "kok" / "index.html").is_file()


def _holding(root: Path, text: bytes) -> set[str]:
    return {rel for rel, data in snapshot(root).items() if text in data}


def test_serve_writes_the_pages_first_and_every_other_output_after(project, tmp_path):
    """`serve` (hasselthelpt/worker.py) reloads the browsers once the pages are written; feeds, data, slides and
    the search index follow (incremental.run_later), and then the output is that of a cold build."""
    path = project.root / "vacancies" / "kok.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Je bakt en kookt", "Je kookt soep"), encoding="utf-8")
    with incremental.deferring() as later:
        build(project.root)
    pages_first = _holding(project.root, b"Je kookt soep")
    assert f"{OUT}/vacatures/kok/index.html" in pages_first
    assert all(rel.endswith(".html") for rel in pages_first), pages_first
    assert later, "the other outputs were left for later"
    incremental.run_later(later)
    assert any(not rel.endswith(".html") for rel in _holding(project.root, b"Je kookt soep")), "feeds, data"
    before = stats(project.root)
    with incremental.deferring() as later:  # the state knows what the later run made: nothing to make again
        build(project.root)
    incremental.run_later(later)
    assert stats(project.root) == before
    assert_same_as_cold(project, tmp_path)


def test_a_build_after_serve_stopped_before_the_other_outputs_makes_them(project, tmp_path):
    path = project.root / "vacancies" / "kok.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Je kookt soep", "Je kookt"), encoding="utf-8")
    with incremental.deferring():
        build(project.root)  # and the server stopped: the later run never happens
    assert_same_as_cold(project, tmp_path)


def test_serves_next_edit_stops_the_other_outputs_and_its_build_makes_what_they_left(project, tmp_path):
    path = project.root / "vacancies" / "kok.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Je kookt", "Je kookt pasta"), encoding="utf-8")
    with incremental.deferring() as later:
        build(project.root)
    looks = []
    # the first channel is made, then the next edit comes (worker.Requests.waiting)
    assert incremental.run_later(later, stop=lambda: looks.append(1) or len(looks) > 1), "outputs were left"
    feeds = [rel for rel in _holding(project.root, b"pasta") if not rel.endswith(".html")]
    path.write_text(path.read_text(encoding="utf-8").replace("pasta", "risotto"), encoding="utf-8")
    with incremental.deferring() as later:
        build(project.root)
    assert not incremental.run_later(later)
    assert len([rel for rel in _holding(project.root, b"risotto") if not rel.endswith(".html")]) > len(feeds)
    assert_same_as_cold(project, tmp_path)


def test_a_program_of_the_other_outputs_is_stopped_for_the_next_edit():
    sleeper = [sys.executable, "-c", "import time; print('started', flush=True); time.sleep(60)"]
    started = time.monotonic()
    with pytest.raises(incremental.Stopped):
        incremental.run_later([lambda: incremental.run_program(sleeper)], stop=lambda: True)
    assert time.monotonic() - started < 30, "killed, not waited for"
    done = incremental.run_program([sys.executable, "-c", "print('made')"])  # nobody asks it to stop
    assert (done.returncode, done.stdout) == (0, "made\n")
