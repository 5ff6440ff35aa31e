"""Both storage backends (SQLite, and a real throwaway PostgreSQL) behind the one interface: migrations,
idempotent submissions with their mails in one transaction, the outbox's leases and back-off, purge, erasure,
the audit log, and concurrent writers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from endpoint_testing import START
from hasselthelpt.endpoint.storage import MIGRATIONS, Mail, NewSubmission, SQLiteStorage, fingerprint, phone_key, stamp


def sub(key: str, kind: str = "aanmelding", email: str | None = "jan@example.be", **extra) -> NewSubmission:
    return NewSubmission(kind=kind, idem_key=key, data={"name": "Jan", "email": email, **extra.pop("data", {})},
                         privacy_version="1.2", email=email, **extra)


def mails(to: str = "an@example.be") -> list[Mail]:
    return [Mail(to, "Nieuwe aanmelding", "Jan wil helpen", reply_to="jan@example.be"),
            Mail("jan@example.be", "Je aanmelding", "Bedankt")]


def test_migrations_are_named_and_applied_once(storage):
    assert storage.migrate() == []  # the fixture applied them all
    with storage.transaction(write=False) as cur:
        names = [r[0] for r in cur.all("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]


def test_a_submission_and_its_mails_are_one_transaction(storage):
    new_id, created = storage.add_submission(sub("c:1", data={"note": "Één é"}), mails(), START)
    assert created
    record = storage.get(new_id)
    assert record.data == {"name": "Jan", "email": "jan@example.be", "note": "Één é"}
    assert record.created_at == START and record.privacy_version == "1.2"
    assert storage.outbox_state().pending == 2


def test_the_same_idempotency_key_stores_nothing_new(storage):
    first = storage.add_submission(sub("c:same"), mails(), START)
    second = storage.add_submission(sub("c:same", data={"other": 1}), mails(), START)
    assert second == (first[0], False)
    assert storage.count() == 1 and storage.outbox_state().pending == 2


def test_a_failed_transaction_leaves_nothing(storage):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with storage.transaction() as cur:
            cur.run("INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)", ("x", "test", "{}"))
            raise Boom
    assert storage.audit_log() == []


def test_outbox_leases_and_backoff(storage):
    storage.add_submission(sub("c:1"), mails(), START)
    claimed = storage.claim_mails(START, lease_seconds=60)
    assert [m.to for m in claimed] == ["an@example.be", "jan@example.be"]
    assert storage.claim_mails(START, lease_seconds=60) == []  # leased: another sender skips them
    storage.mail_sent(claimed[0].id, START)
    storage.mail_failed(claimed[1].id, "ConnectionRefusedError", START + dt.timedelta(seconds=30))
    assert storage.claim_mails(START + dt.timedelta(seconds=29), 60) == []  # backing off
    [again] = storage.claim_mails(START + dt.timedelta(seconds=30), 60)
    assert again.id == claimed[1].id and again.attempts == 1 and again.body == "Bedankt"
    state = storage.outbox_state()
    assert state.pending == 1 and state.sent == 1 and state.failing[0][3] == "ConnectionRefusedError"
    assert storage.sent_mails() == [("an@example.be", "Nieuwe aanmelding")]


def test_a_lease_that_runs_out_is_taken_again(storage):
    storage.add_submission(sub("c:1"), mails()[:1], START)
    assert len(storage.claim_mails(START, lease_seconds=60)) == 1
    assert len(storage.claim_mails(START + dt.timedelta(seconds=61), lease_seconds=60)) == 1


def test_purge_deletes_what_is_older_than_the_retention(storage):
    old = storage.add_submission(sub("c:old"), mails(), START - dt.timedelta(days=400))[0]
    new = storage.add_submission(sub("c:new", email="piet@example.be"), mails(), START - dt.timedelta(days=10))[0]
    counts = storage.purge(START - dt.timedelta(days=365), START)
    assert counts == {"submissions": 1, "mails": 2, "checks": 0}
    assert storage.get(old) is None and storage.get(new) is not None
    assert storage.outbox_state().pending == 2
    [(at, action, detail)] = storage.audit_log()
    assert action == "purge" and detail["submissions"] == 1


def test_erase_one_person_everywhere(storage):
    storage.add_submission(sub("c:1", email="Jan@Example.be"), mails(), START)
    storage.add_submission(sub("c:2", kind="afspraak", email=None, phone="+32 470 12 34 56"), [], START)
    storage.add_submission(sub("c:3", kind="vacature", email="els@example.be", contact_email="jan@example.be",
                               status="pending"), [Mail("review@example.be", "Nieuwe vacature", "...")], START)
    keep = storage.add_submission(sub("c:4", email="piet@example.be"), [Mail("an@example.be", "Piet", "...")],
                                  START)[0]
    counts = storage.erase(START, email="jan@EXAMPLE.be", phone="0470 12 34 56")
    assert counts == {"submissions": 3, "mails": 3, "alerts": 0, "checks": 0}
    assert [r.id for r in storage.records()] == [keep]
    assert storage.outbox_state().pending == 1
    [(_, action, detail)] = storage.audit_log()
    assert action == "erase" and detail["email"] == fingerprint("jan@example.be")
    assert "jan" not in str(detail).lower()


def test_phone_numbers_match_however_written():
    assert phone_key("+32 470 12 34 56") == phone_key("0470/12.34.56") == phone_key("0032470123456") == "0470123456"


def test_decide_only_once(storage):
    new_id = storage.add_submission(sub("c:v", kind="vacature", status="pending"), [], START)[0]
    assert storage.decide(new_id, "approved", "kok", [Mail("x@example.be", "Online", "...")], START)
    assert not storage.decide(new_id, "rejected", "te laat", [], START)
    record = storage.get(new_id)
    assert record.status == "approved" and record.decision == "kok" and record.decided_at == START
    assert storage.outbox_state().pending == 1


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(storage):
    errors = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                storage.add_submission(sub(f"c:{n}-{i}"), mails(), START)
                storage.add_submission(sub(f"c:{n}-{i}"), mails(), START)  # a retry
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert storage.count() == 90 and storage.outbox_state().pending == 180


def test_sqlite_is_durable(tmp_path):
    store = SQLiteStorage(tmp_path / "db.sqlite3")
    store.migrate()
    with store.transaction(write=False) as cur:
        assert cur.all("PRAGMA journal_mode")[0][0] == "wal"
        assert cur.all("PRAGMA synchronous")[0][0] == 2  # FULL
    store.close()


def test_dead_letters_are_never_claimed_until_retried(storage):
    storage.add_submission(sub("c:dead"), mails(), START)
    first, second = storage.claim_mails(START, 120)
    storage.mail_failed(first.id, "SMTPRecipientsRefused: 550 No such user", START, dead_at=START)
    storage.mail_failed(second.id, "ConnectionRefusedError", START + dt.timedelta(seconds=30))
    later = START + dt.timedelta(hours=2)
    assert [m.id for m in storage.claim_mails(later, 120)] == [second.id], "a dead letter is not sent again"
    state = storage.outbox_state()
    assert state.pending == 1 and [f[0] for f in state.failing] == [second.id]
    [dead] = state.dead
    assert (dead.id, dead.to, dead.subject, dead.attempts) == (first.id, "an@example.be", "Nieuwe aanmelding", 1)
    assert "550 No such user" in dead.reason and dead.dead_at.startswith("2026-11-27T10:00")
    assert storage.retry_dead(later, mail_id=second.id) == 0, "only dead letters are retried"
    assert storage.retry_dead(later, mail_id=first.id) == 1
    assert storage.outbox_state().dead == []
    again = [m for m in storage.claim_mails(later + dt.timedelta(minutes=5), 120) if m.id == first.id]
    assert again and again[0].attempts == 0 and again[0].body == "Jan wil helpen"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_dead_letter_migration_keeps_the_waiting_mail(backend, tmp_path, request, monkeypatch):
    """A database made before dead letters existed gets the new column and keeps its outbox."""
    from hasselthelpt.endpoint import storage as storage_module
    from hasselthelpt.endpoint.storage import PostgresStorage

    old = storage_module.MIGRATIONS[:4]
    make = (lambda: SQLiteStorage(tmp_path / "old.sqlite3")) if backend == "sqlite" else (
        lambda: PostgresStorage(request.getfixturevalue("pg_url")))
    monkeypatch.setattr(storage_module, "MIGRATIONS", old)
    store = make()
    assert "0005_outbox_dead_letters" not in store.migrate()
    with store.transaction() as cur:  # as the code of then queued mails (later migrations add columns)
        for to in ("a@example.be", "b@example.be"):
            cur.run("INSERT INTO outbox (created_at, to_addr, subject, body, next_attempt_at) VALUES (?, ?, ?, ?, ?)",
                    (stamp(START), to, "Oud", "...", stamp(START)))
    store.close()
    monkeypatch.undo()
    store = make()
    try:
        assert store.migrate()[0] == "0005_outbox_dead_letters"
        assert store.outbox_state().pending == 2 and len(store.claim_mails(START, 120)) == 2
    finally:
        store.close()
