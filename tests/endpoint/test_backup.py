"""Backup and restore of the sign-up database, on both backends, through the command line: a backup taken while
the database is in use, more sign-ups after it, a restore: the database holds exactly what the backup held."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from endpoint_testing import START, env
from hasselthelpt import cli
from hasselthelpt.endpoint import backup
from hasselthelpt.endpoint.storage import Mail, NewSubmission, PostgresStorage, SQLiteStorage


def add(store, n: int) -> None:
    store.add_submission(NewSubmission("aanmelding", f"c:aanmelding:{n:08d}", {"name": f"Vrijwilliger {n}"}, "1.3",
                                       email=f"v{n}@example.be", vacancy="kok"),
                         [Mail(f"v{n}@example.be", "Bevestiging", "Bedankt")], START + dt.timedelta(minutes=n))


def snapshot(store) -> tuple:
    """Everything a restore must bring back: submissions, their mails, the audit log."""
    with store.transaction(write=False) as cur:
        return tuple(tuple(cur.all(f"SELECT * FROM {table} ORDER BY id"))
                     for table in ("submissions", "outbox", "audit_log"))


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, ep_project, monkeypatch):
    url = (str(ep_project.root / "var" / "test.sqlite3") if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    for key, value in env(ep_project.root, HH_DATABASE=url).items():
        monkeypatch.setenv(key, value)
    store = SQLiteStorage(url) if request.param == "sqlite" else PostgresStorage(url)
    store.migrate()
    yield url, store
    store.close()


def test_restore_brings_back_exactly_the_backup(database, ep_project, tmp_path, capsys):
    url, store = database
    for n in range(5):
        add(store, n)
    store.log("export", {"count": 5}, START)
    before = snapshot(store)
    folder = tmp_path / "backups"
    assert cli.main(["--project", str(ep_project.root), "backup", "--to", str(folder)]) == 0
    [made] = [p for p in folder.iterdir()]
    assert made.name.startswith("hasselthelpt-") and str(made) in capsys.readouterr().out

    for n in range(5, 9):  # life goes on after the backup
        add(store, n)
    store.erase(START, email="v0@example.be")
    assert store.count() == 8

    assert cli.main(["--project", str(ep_project.root), "restore", str(made)]) == 2, "needs --yes"
    assert store.count() == 8
    assert cli.main(["--project", str(ep_project.root), "restore", str(made), "--yes"]) == 0
    assert "5 submission(s)" in capsys.readouterr().out
    store.close()  # pooled connections may predate the restore
    reopened = SQLiteStorage(url) if not url.startswith("postgresql") else PostgresStorage(url)
    try:
        assert snapshot(reopened) == before
        add(reopened, 20)  # and the restored database takes sign-ups again (ids and keys go on)
        assert reopened.count() == 6
    finally:
        reopened.close()


def test_a_backup_is_consistent_while_another_connection_writes(ep_project, tmp_path):
    """SQLite's online backup: an open write transaction elsewhere is not in the copy, and nothing is torn."""
    path = ep_project.root / "var" / "live.sqlite3"
    store = SQLiteStorage(path)
    store.migrate()
    add(store, 1)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM outbox")
    made = backup.backup(str(path), tmp_path / "b")
    writer.execute("ROLLBACK")
    writer.close()
    copy = SQLiteStorage(made)
    try:
        assert copy.count() == 1 and copy.outbox_state().pending == 1
    finally:
        copy.close()
        store.close()


def test_prune_keeps_the_newest_and_restore_refuses_another_backend(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    names = [f"hasselthelpt-2026112{n}T020000000000Z.sqlite3" for n in range(5)]
    for name in names:
        (folder / name).write_bytes(b"x")
    (folder / "notes.txt").write_text("mine")
    assert [p.name for p in backup.prune(folder, 2)] == names[:3]
    assert sorted(p.name for p in folder.iterdir()) == [*names[3:], "notes.txt"]
    with pytest.raises(backup.BackupError, match="not a postgresql backup"):
        backup.restore("postgresql://nobody@127.0.0.1:1/x", folder / names[4])
