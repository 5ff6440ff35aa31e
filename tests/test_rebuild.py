"""Rebuilds write only what changed: a build with nothing changed rewrites no file of the public or the staff
output, and an edit rewrites exactly the files that show it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hh_testing import Project, event, organisation, screens_yaml, story, vacancy


def files_of(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file below the folders: path -> (modification time in ns, inode). A rewrite changes one or both
    (write_if_changed replaces a file by a new one)."""
    out = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                st = path.stat()
                out[str(path.relative_to(folder.parent))] = (st.st_mtime_ns, st.st_ino)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    project = Project(tmp_path_factory.mktemp("rebuild"))
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/kok.yaml", vacancy(featured=True))
    project.write("vacancies/chauffeur.yaml", vacancy(title="Chauffeur", themes=["zorg-en-welzijn"]))
    project.photo("images/stories/foto.jpg")
    project.write("content/stories/koken.md", story(featured=True, organisation="buurtwerk"), "Tekst.\n")
    project.write("content/events/markt.yaml", event(featured=True))
    project.write("content/events/intern.yaml", event(title="Personeelsfeest", internal=True))
    project.write("signage/screens.yaml", screens_yaml())
    project.build()
    return project


def outputs(project: Project) -> tuple[Path, Path]:
    return project.root / "output", project.root / "output-intranet"


def summary(capsys) -> str:
    """The build's closing line: what it wrote and left unchanged (Pelican's own count says 0 pages)."""
    out = capsys.readouterr().out
    assert "Processed" not in out
    return [line for line in out.splitlines() if line.startswith("Built in ")][-1]


def test_a_build_with_nothing_changed_rewrites_no_file(built, capsys):
    before = files_of(*outputs(built))
    assert len(before) > 100 and any(p.startswith("output-intranet/") for p in before)
    built.build()  # nothing changed at all: the whole-build shortcut
    assert "Nothing changed since the last build" in capsys.readouterr().out
    assert files_of(*outputs(built)) == before
    (built.root / "vacancies" / "kok.yaml").touch()  # a changed file state, the same bytes: a real build
    built.build()
    line = summary(capsys)
    pages = sum(1 for p in before if p.endswith(".html"))
    assert f"pages 0 written, {pages} unchanged;" in line
    for kind in ("feeds and data", "slides", "images", "search index", "other files"):
        assert f"{kind} 0 written, " in line, line
    after = files_of(*outputs(built))
    assert after.keys() == before.keys()
    rewritten = sorted(p for p in before if after[p] != before[p])
    assert not rewritten, f"{len(rewritten)} unchanged file(s) written again: {rewritten[:20]}"


def test_an_edit_rewrites_exactly_the_files_that_show_it(built, capsys):
    before = files_of(*outputs(built))
    path = built.root / "vacancies" / "kok.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Je kookt", "Je bakt en kookt"), encoding="utf-8")
    built.build()
    after = files_of(*outputs(built))
    search = "output/pagefind/"  # Pagefind names its index files by a hash of their bytes
    assert {p for p in after if p.startswith(search)} != {p for p in before if p.startswith(search)}, \
        "the search index must take the new text"
    before, after = ({p: v for p, v in files.items() if not p.startswith(search)} for files in (before, after))
    assert after.keys() == before.keys()
    changed = {p for p in before if after[p] != before[p]}
    feeds = {f"output/feeds/{name}.{kind}.xml" for kind in ("rss", "atom")
             for name in ("vacatures", "in-de-kijker", "thema/buurt-en-samenleven", "organisatie/buurtwerk",
                          "deelgemeente/kermt")}
    assert changed == {"output/vacatures/kok/index.html", "output/open-data/v1/vacancies.json", *feeds}
    line = summary(capsys)
    assert "pages 1 written, " in line and "slides 0 written, " in line
    assert f"feeds and data {len(feeds) + 1} written, " in line  # the feeds and the open data


def test_a_build_whose_plugin_does_not_load_fails_instead_of_making_nothing(built, tmp_path):
    """Pelican only logs a plugin that fails to import, and goes on without it: a site of no files. (In a fresh
    process: Pelican's signals keep the generator of a plugin loaded earlier in this one.)"""
    code = ("import sys; from pathlib import Path; from hasselthelpt.cli import build_site; "
            "build_site(Path(sys.argv[1]), False, Path(sys.argv[2]), PLUGINS=['hasselthelpt_site_missing'])")
    run = subprocess.run([sys.executable, "-c", code, str(built.root), str(tmp_path / "out")], capture_output=True,
                         text=True, cwd=built.root)
    assert run.returncode != 0 and "The build made no files" in run.stderr, run.stderr[-2000:]
