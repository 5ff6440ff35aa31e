"""Writing build output at the edge: every output file goes through these helpers, which write only files whose
bytes differ, so a rebuild with nothing changed rewrites nothing (players, caches and rsync see no change)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically, unless the file already holds exactly these bytes. True when written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


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


def link_into(source: Path, target: Path) -> bool:
    """Put a derived file whose name holds a hash of its bytes (resized photo, slide) into the output: a hard link
    to the cache where the file system allows, else a copy. A target that exists already is the same file."""
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return True
