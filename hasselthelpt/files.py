"""Writing build output at the edge: every output file goes through these helpers, which write only files whose
bytes differ, so a rebuild with nothing changed rewrites nothing (players, caches and rsync see no change).

They also count what they wrote and left alone, for the build's summary line: `counting(output folders)` opens
a tally for the length of a build. The tally lives in a context variable, so the outputs keep their signatures
and a helper called outside a build (tests, the Markdown cache) counts nothing. Tallies nest (every open one
counts), and each keeps the paths it saw: `publish` removes what a build into a copy of the live release did not
write or keep.

Every write replaces a file by a new one (temporary file, then os.replace) and never writes into an existing
file: a release made as a hard-linked copy of the live one must never change the live one's files."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Iterator

KINDS = ("pages", "feeds and data", "slides", "images", "search index", "other files")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".svg", ".gif"}
DATA_SUFFIXES = {".xml", ".ics", ".json"}  # feeds, calendars, open data, playlists, the sitemap
PRECOMPRESSED = (".gz", ".br")  # written by `publish` beside text files, after the build


def is_precompressed(path: Path) -> bool:
    """A compressed copy that `publish` wrote beside its source file: not a build output of its own."""
    return path.suffix in PRECOMPRESSED and path.with_suffix("").is_file()


def kind_of(path: str) -> str:
    """The kind of an output file, from its absolute name (string work: a build counts about 11,000 files)."""
    folders = path.split(os.sep)[:-1]
    suffix = os.path.splitext(path)[1].lower()
    if "pagefind" in folders:
        return "search index"
    if suffix == ".html":
        return "pages"
    if suffix in DATA_SUFFIXES:
        return "feeds and data"
    if suffix in IMAGE_SUFFIXES:
        return "slides" if "signage" in folders else "images"
    return "other files"  # theme files, robots.txt


_ADDING = Lock()


@dataclass
class Tally:
    """Files a build wrote and left unchanged, per kind, below its output folders."""

    roots: tuple[str, ...]
    written: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    paths: set[str] = field(default_factory=set)  # every file written or kept (absolute): the rest is stale
    pages: list[str] = field(default_factory=list)  # the pages written (absolute)

    def add(self, path: str, written: bool) -> None:
        if path.startswith(self.roots):
            with _ADDING:  # a build's channels write from two threads (build.BESIDE)
                kind = kind_of(path)
                (self.written if written else self.unchanged)[kind] += 1
                self.paths.add(path)
                if written and kind == "pages":
                    self.pages.append(path)

    def summary(self, seconds: float) -> str:
        parts = [f"{kind} {self.written[kind]} written, {self.unchanged[kind]} unchanged" for kind in KINDS
                 if self.written[kind] or self.unchanged[kind]]
        return f"Built in {seconds:.1f} s: {'; '.join(parts) or 'no files'}."


_TALLIES: ContextVar[tuple[Tally, ...]] = ContextVar("hasselthelpt_write_tallies", default=())


def current_tally() -> Tally | None:
    """The innermost open tally: the build's own."""
    tallies = _TALLIES.get()
    return tallies[-1] if tallies else None


@contextmanager
def counting(*folders: Path) -> Iterator[Tally]:
    """Count every write below these folders until the block ends."""
    tally = Tally(tuple(str(f.absolute()) + os.sep for f in folders))
    token = _TALLIES.set((*_TALLIES.get(), tally))
    try:
        yield tally
    finally:
        _TALLIES.reset(token)


def _count(path: str | Path, written: bool) -> bool:
    tallies = _TALLIES.get()
    if tallies:
        name = str(path) if os.path.isabs(path) else str(Path(path).absolute())  # like Path.absolute()
        for tally in tallies:
            tally.add(name, written)
    return written


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically, unless the file already holds exactly these bytes. True when written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return _count(path, False)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return _count(path, True)


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy a file (theme files, a fresh search index), unless the target already holds the same bytes."""
    return write_if_changed(target, source.read_bytes())


def sync_folder(source: Path, target: Path) -> None:
    """Make target hold exactly the files of source: changed files are written, vanished ones removed, the rest
    left alone."""
    fresh = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for rel in sorted(fresh):
        copy_if_changed(source / rel, target / rel)
    for old in sorted(target.rglob("*"), reverse=True) if target.is_dir() else ():
        rel = old.relative_to(target)
        if old.is_file() and rel not in fresh:
            old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()


def keep(path: str | Path) -> None:
    """A file this build produces as the last one left it, without remaking or comparing it."""
    _count(path, False)


def kept(folder: Path) -> None:
    """Count the files of a folder that a build leaves as they are without comparing them (a search index
    whose pages did not change)."""
    for path in folder.rglob("*"):
        if path.is_file():
            _count(path, False)


def link_into(source: Path, target: Path) -> bool:
    """Put a derived file whose name holds a hash of its bytes (resized photo, slide) into the output: a hard link
    to the cache where the file system allows, else a copy. A target that exists already is the same file."""
    if target.exists():
        return _count(target, False)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return _count(target, True)
