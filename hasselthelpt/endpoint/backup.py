"""Backups of the sign-up database, and restoring one: `hasselthelpt backup` and `hasselthelpt restore`.

SQLite: the online backup API (sqlite3's Connection.backup) copies a consistent snapshot while the endpoint
keeps writing, and restores the same way into the live file. PostgreSQL: pg_dump's custom format, restored by
pg_restore in one transaction (all or nothing), with Debian's postgresql client binaries.
A backup is written under a temporary name and renamed when complete: a file with the final name is whole.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from .storage import UTC

PREFIX = "hasselthelpt-"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(Exception):
    pass


def backend(database: str) -> str:
    return "postgresql" if database.startswith(("postgresql://", "postgres://")) else "sqlite"


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: the newest of Debian's versioned binaries (a dump needs a client at least as new
    as the server), else the one on PATH."""
    for found in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version, reverse=True):
        return found
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: install Debian's postgresql-client.")
    return found


def _version(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


def backup(database: str, folder: Path, now: dt.datetime | None = None) -> Path:
    """Write one backup of `database` into `folder`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    kind = backend(database)
    moment = (now or dt.datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{PREFIX}{moment}{SUFFIXES[kind]}"
    partial = target.with_name(target.name + ".partial")
    try:
        if kind == "sqlite":
            if not Path(database).is_file():
                raise BackupError(f"{database} does not exist: nothing to back up.")
            with _sqlite(database) as source, _sqlite(partial) as copy:
                source.backup(copy)
        else:
            _run([pg_tool("pg_dump"), "--format=custom", f"--file={partial}", database])
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(database: str, source: Path) -> None:
    """Replace the contents of `database` by the backup `source` (made by `backup` for the same backend)."""
    kind = backend(database)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    if source.suffix != SUFFIXES[kind]:
        raise BackupError(f"{source.name} is not a {kind} backup (those end in {SUFFIXES[kind]}).")
    if kind == "sqlite":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        with _sqlite(source) as backup_db, _sqlite(database) as live:
            backup_db.backup(live)  # one step: other connections see the old or the new database
    else:
        _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={database}", str(source)])


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups in `folder` (the names sort by time); returns the deleted."""
    found = sorted(p for suffix in SUFFIXES.values() for p in folder.glob(f"{PREFIX}*{suffix}"))
    old = found[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


class _sqlite:
    """A connection that is closed (not only committed) when the block ends."""

    def __init__(self, path):
        self.conn = sqlite3.connect(path, timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc) -> None:
        self.conn.close()


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{Path(cmd[0]).name} failed: {result.stderr.strip() or result.returncode}")
