"""Durable storage of submissions, their outgoing mails and the audit log: SQLite (default) or PostgreSQL.

One small interface (`Storage`), two backends that differ only in how they connect, their placeholders and a
few words of SQL. Every write is one transaction: a submission and its notification mails are committed
together, and a caller answers "received" only after `add_submission` has returned (after the commit).

SQLite runs in WAL mode with synchronous=FULL, so a committed submission survives a crash of the process and
of the machine. Migrations are named and applied once, in order, recorded in `schema_migrations`.
All SQL is parameterised; no value is ever formatted into a statement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import queue
import re
import sqlite3
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .answer_migrations import MIGRATIONS as ANSWER_MIGRATIONS

UTC = dt.timezone.utc

# (name, SQL). {pk} and {ref} differ per backend; statements are separated by ';'.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_submissions", """
        CREATE TABLE submissions (
            id {pk},
            idem_key TEXT NOT NULL UNIQUE,   -- one per submission: retries and double clicks store nothing new
            kind TEXT NOT NULL,              -- aanmelding, afspraak, vacature
            created_at TEXT NOT NULL,        -- UTC, ISO 8601
            email TEXT,                      -- lower case, for erasure
            phone TEXT,                      -- digits only, for erasure
            contact_email TEXT,              -- vacancy submissions: the contact person named in the vacancy
            vacancy TEXT,                    -- sign-ups: the vacancy's slug
            data TEXT NOT NULL,              -- JSON of the checked form fields
            privacy_version TEXT NOT NULL,   -- the privacy text the person consented to
            status TEXT,                     -- vacancy submissions: pending, approved, rejected
            decided_at TEXT,
            decision TEXT                    -- approved: the slug written, rejected: the reason
        );
        CREATE INDEX submissions_kind ON submissions (kind, created_at);
        CREATE INDEX submissions_email ON submissions (email);
        CREATE INDEX submissions_phone ON submissions (phone)
    """),
    ("0002_outbox", """
        CREATE TABLE outbox (
            id {pk},
            submission_id {ref} REFERENCES submissions (id),
            created_at TEXT NOT NULL,
            to_addr TEXT NOT NULL,
            reply_to TEXT,
            subject TEXT NOT NULL,
            body TEXT,                        -- cleared once sent: the outbox is no archive of personal data
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            lease_until TEXT,                 -- a sender works on it: others skip it until then
            sent_at TEXT,
            last_error TEXT
        );
        CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
        CREATE INDEX outbox_submission ON outbox (submission_id)
    """),
    ("0003_audit_log", """
        CREATE TABLE audit_log (
            id {pk},
            at TEXT NOT NULL,
            action TEXT NOT NULL,             -- export, export-refused, erase, purge, approve, reject
            detail TEXT NOT NULL              -- JSON, without personal data
        )
    """),
    ("0004_outbox_attachment", """
        ALTER TABLE outbox ADD COLUMN attachment_name TEXT;  -- a text file sent with the mail (a calendar .ics)
        ALTER TABLE outbox ADD COLUMN attachment TEXT         -- cleared once sent, like the body
    """),
    ("0005_outbox_dead_letters", """
        ALTER TABLE outbox ADD COLUMN dead_at TEXT  -- given up (last_error says why): never sent until retried
    """),
    ("0006_rate_limit_hits", """
        CREATE TABLE rate_limit_hits (        -- the rate limit, shared by every worker and instance
            client TEXT NOT NULL,             -- a fingerprint of the client's address, never the address
            at TEXT NOT NULL
        );
        CREATE INDEX rate_limit_hits_client ON rate_limit_hits (client, at);
        CREATE INDEX rate_limit_hits_at ON rate_limit_hits (at)
    """),
    ("0007_alerts", """
        CREATE TABLE subscriptions (         -- vacancy alerts (endpoint/alerts.py, endpoint/digest.py)
            id {pk},
            email TEXT NOT NULL,             -- lower case
            filters TEXT NOT NULL,           -- canonical JSON of facet: [values], the search page's filters
            frequency TEXT NOT NULL,         -- weekly, monthly
            created_at TEXT NOT NULL,
            confirmed_at TEXT,               -- NULL until the double opt-in; unconfirmed ones expire
            covered_until TEXT,              -- YYYY-MM-DD: vacancies published up to this day were considered
            next_digest TEXT,                -- YYYY-MM-DD: the first day the next digest is due
            privacy_version TEXT NOT NULL,
            UNIQUE (email, filters)
        );
        CREATE INDEX subscriptions_due ON subscriptions (confirmed_at, next_digest);
        ALTER TABLE outbox ADD COLUMN subscription_id {ref};  -- an alert's mails (no foreign key: kept as sent)
        ALTER TABLE outbox ADD COLUMN html TEXT;              -- an HTML part, cleared once sent like the body
        ALTER TABLE outbox ADD COLUMN headers TEXT            -- JSON [[name, value]]: List-Unsubscribe and such
    """),
) + ANSWER_MIGRATIONS + (  # a sign-up's answer and outcome (endpoint/answer_migrations.py), then the follow-up
    ("0009_follow_up", """
        CREATE TABLE follow_ups (            -- what else happened after a sign-up (endpoint/follow_up.py); the
                                             -- organisation's answer is submissions.answered_at and outcome
            submission_id {ref} PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
            reminded_at TEXT,                -- the one reminder to the organisation was queued
            flagged_at TEXT,                 -- no answer: flagged for the coaches
            handled_at TEXT,                 -- a coach took the flag up
            org_stopped_at TEXT,             -- the organisation wants no more mail about this sign-up
            volunteer_asked_at TEXT,         -- the one "did it lead to a match?" mail was queued
            volunteer_answer TEXT,           -- match, geen-match, nog-niet
            volunteer_note TEXT,             -- the volunteer's own words
            volunteer_answered_at TEXT,
            volunteer_stopped_at TEXT
        );
        CREATE TABLE vacancy_checks (        -- "still open?" asked of a vacancy's contact
            id {pk},
            vacancy TEXT NOT NULL,           -- its slug
            reason TEXT NOT NULL,            -- valid_through (it ends soon), unchanged (its file is old)
            reason_key TEXT NOT NULL,        -- the date it is about: one question per vacancy, reason and date
            contact_email TEXT,              -- lower case, for erasure
            created_at TEXT NOT NULL,
            answered_at TEXT,
            change_id {ref},                 -- the review queue's submission made of the answer
            stopped_at TEXT,                 -- the contact wants no more of these questions about this vacancy
            UNIQUE (vacancy, reason, reason_key)
        );
        CREATE INDEX vacancy_checks_email ON vacancy_checks (contact_email)
    """),
)


def stamp(moment: dt.datetime) -> str:
    """A fixed-width UTC timestamp: text comparison is time order, in both backends."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def email_key(email: str | None) -> str | None:
    return email.strip().lower() if email else None


def phone_key(phone: str | None) -> str | None:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("0032"):
        digits = "0" + digits[4:]
    elif digits.startswith("32") and (phone or "").strip().startswith("+"):
        digits = "0" + digits[2:]
    return digits or None


def fingerprint(value: str) -> str:
    """A short one-way fingerprint for the audit log: shows that two entries concern the same person
    without keeping who it is."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    reply_to: str | None = None
    attachment: tuple[str, str] | None = None  # (file name, text): a calendar file (.ics)
    html: str | None = None  # an HTML alternative to the text body
    headers: tuple[tuple[str, str], ...] = ()  # extra headers (the alerts' List-Unsubscribe)


@dataclass(frozen=True)
class NewSubmission:
    kind: str
    idem_key: str
    data: dict
    privacy_version: str
    email: str | None = None
    phone: str | None = None
    contact_email: str | None = None
    vacancy: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class Record:
    id: int
    idem_key: str
    kind: str
    created_at: dt.datetime
    email: str | None
    phone: str | None
    contact_email: str | None
    vacancy: str | None
    data: dict
    privacy_version: str
    status: str | None
    decided_at: dt.datetime | None
    decision: str | None


@dataclass(frozen=True)
class OutboxMail:
    id: int
    to: str
    reply_to: str | None
    subject: str
    body: str
    attempts: int
    attachment: tuple[str, str] | None = None
    html: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DeadMail:
    id: int
    to: str
    subject: str
    attempts: int
    dead_at: str
    reason: str


@dataclass
class OutboxState:
    pending: int = 0  # waiting to be sent (dead letters not counted)
    sent: int = 0
    failing: list[tuple[int, int, str, str]] = field(default_factory=list)  # id, attempts, next attempt, error
    dead: list[DeadMail] = field(default_factory=list)


_RECORD_COLUMNS = ("id, idem_key, kind, created_at, email, phone, contact_email, vacancy, data, "
                   "privacy_version, status, decided_at, decision")


def _record(row: tuple) -> Record:
    (id_, idem_key, kind, created_at, email, phone, contact_email, vacancy, data, privacy_version, status,
     decided_at, decision) = row
    return Record(int(id_), idem_key, kind, parse_stamp(created_at), email, phone, contact_email, vacancy,
                  json.loads(data), privacy_version, status, parse_stamp(decided_at) if decided_at else None,
                  decision)


class Storage:
    """The interface the endpoint, the outbox and the command line use. Subclasses say how to connect."""

    pk = ref = ""
    skip_locked = ""  # how to skip rows another sender has locked, where the backend can

    def __init__(self, pool_size: int = 8):
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._pool_size = pool_size
        self._write_gate: Any = nullcontext()  # SQLite: one writer per process at a time (see below)
        self._closed = False

    # --- connections and transactions (backend specific) ---

    def _connect(self) -> Any:
        raise NotImplementedError

    def _begin(self, conn: Any, write: bool, durable: bool) -> None:
        raise NotImplementedError

    def _lock_migrations(self, cur: Any) -> None:
        """Keep two processes from migrating at once (SQLite's write lock already does)."""

    def _sql(self, sql: str) -> str:
        return sql

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self._connect()
        try:
            yield conn
        except BaseException:
            self._discard(conn)
            raise
        if self._closed or self._idle.qsize() >= self._pool_size:
            conn.close()
        else:
            self._idle.put(conn)

    def _discard(self, conn: Any) -> None:
        try:
            conn.rollback()
            conn.close()
        except Exception:  # a broken connection may fail to roll back; it is dropped either way
            pass

    @contextmanager
    def transaction(self, write: bool = True, durable: bool = True) -> Iterator["_Cursor"]:
        """One transaction: committed when the block ends, rolled back when it raises. `durable=False`: the
        commit need not wait for the disk (a power cut may lose it; a crash of the process does not)."""
        with self._write_gate if write else nullcontext(), self._connection() as conn:
            self._begin(conn, write, durable)
            yield _Cursor(conn.cursor(), self._sql)
            conn.commit()

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.transaction(write=False) as cur:
            return cur.all(sql, params)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    # --- schema ---

    def migrate(self) -> list[str]:
        """Apply the migrations not applied yet; returns their names."""
        applied = []
        with self.transaction() as cur:
            self._lock_migrations(cur)
            cur.run("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {row[0] for row in cur.all("SELECT name FROM schema_migrations")}
            for name, sql in MIGRATIONS:
                if name in done:
                    continue
                sql = re.sub(r"--[^\n]*", "", sql.format(pk=self.pk, ref=self.ref))  # comments may hold ';'
                for statement in sql.split(";"):
                    if statement.strip():
                        cur.run(statement)
                cur.run("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                        (name, stamp(dt.datetime.now(UTC))))
                applied.append(name)
        return applied

    # --- submissions ---

    def add_submission(self, sub: NewSubmission, mails: "list[Mail] | Callable[[int], list[Mail]]",
                       now: dt.datetime) -> tuple[int, bool]:
        """Store a submission and its mails in one transaction. Returns (id, created); created is False when a
        submission with the same idempotency key was stored before (then nothing new is stored or mailed).
        `mails` may be a function of the new id (mails whose links name the submission)."""
        with self.transaction() as cur:
            rows = cur.all(
                "INSERT INTO submissions (idem_key, kind, created_at, email, phone, contact_email, vacancy, data, "
                "privacy_version, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (idem_key) DO NOTHING RETURNING id",
                (sub.idem_key, sub.kind, stamp(now), email_key(sub.email), phone_key(sub.phone),
                 email_key(sub.contact_email), sub.vacancy, json.dumps(sub.data, ensure_ascii=False),
                 sub.privacy_version, sub.status))
            if not rows:
                return int(cur.all("SELECT id FROM submissions WHERE idem_key = ?", (sub.idem_key,))[0][0]), False
            new_id = int(rows[0][0])
            self._queue(cur, new_id, mails(new_id) if callable(mails) else mails, now)
            return new_id, True

    def _queue(self, cur: "_Cursor", submission_id: int | None, mails: list[Mail], now: dt.datetime,
               subscription_id: int | None = None) -> None:
        for mail in mails:
            name, text = mail.attachment or (None, None)
            cur.run("INSERT INTO outbox (submission_id, created_at, to_addr, reply_to, subject, body, "
                    "next_attempt_at, attachment_name, attachment, subscription_id, html, headers) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (submission_id, stamp(now), mail.to, mail.reply_to, mail.subject, mail.body, stamp(now), name,
                     text, subscription_id, mail.html, json.dumps(mail.headers) if mail.headers else None))

    def get(self, submission_id: int) -> Record | None:
        rows = self._read(f"SELECT {_RECORD_COLUMNS} FROM submissions WHERE id = ?", (submission_id,))
        return _record(rows[0]) if rows else None

    def find(self, idem_key: str) -> list[Record]:
        return [_record(r) for r in self._read(f"SELECT {_RECORD_COLUMNS} FROM submissions WHERE idem_key = ?",
                                               (idem_key,))]

    def records(self, kind: str | None = None, status: str | None = None,
                since: dt.datetime | None = None) -> list[Record]:
        sql, params = f"SELECT {_RECORD_COLUMNS} FROM submissions WHERE 1 = 1", []
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        if status:
            sql += " AND status = ?"
            params.append(status)
        if since:
            sql += " AND created_at >= ?"
            params.append(stamp(since))
        return [_record(r) for r in self._read(sql + " ORDER BY id", tuple(params))]

    def count(self, kind: str | None = None) -> int:
        if kind:
            return int(self._read("SELECT COUNT(*) FROM submissions WHERE kind = ?", (kind,))[0][0])
        return int(self._read("SELECT COUNT(*) FROM submissions")[0][0])

    def decide(self, submission_id: int, status: str, decision: str, mails: list[Mail], now: dt.datetime) -> bool:
        """Approve or reject a pending submission, queueing its mails; False when it was not pending."""
        with self.transaction() as cur:
            rows = cur.all("UPDATE submissions SET status = ?, decision = ?, decided_at = ? "
                           "WHERE id = ? AND status = 'pending' RETURNING id",
                           (status, decision, stamp(now), submission_id))
            if not rows:
                return False
            self._queue(cur, submission_id, mails, now)
            cur.run("INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)",
                    (stamp(now), status, json.dumps({"submission": submission_id})))
            return True

    # --- the outbox ---

    def claim_mails(self, now: dt.datetime, lease_seconds: float, limit: int = 50) -> list[OutboxMail]:
        """Take due mails for sending: each is leased, so another sender skips it until the lease ends."""
        with self.transaction() as cur:
            rows = cur.all(
                "SELECT id, to_addr, reply_to, subject, body, attempts, attachment_name, attachment, html, headers "
                "FROM outbox "
                "WHERE sent_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ? "
                "AND (lease_until IS NULL OR lease_until <= ?) "
                f"ORDER BY next_attempt_at, id LIMIT ?{self.skip_locked}",
                (stamp(now), stamp(now), limit))
            until = stamp(now + dt.timedelta(seconds=lease_seconds))
            for row in rows:
                cur.run("UPDATE outbox SET lease_until = ? WHERE id = ?", (until, row[0]))
        return [OutboxMail(int(r[0]), r[1], r[2], r[3], r[4] or "", int(r[5]), (r[6], r[7]) if r[6] else None, r[8],
                           tuple(tuple(h) for h in json.loads(r[9])) if r[9] else ())
                for r in rows]

    def mail_sent(self, mail_id: int, now: dt.datetime) -> None:
        with self.transaction() as cur:
            cur.run("UPDATE outbox SET sent_at = ?, body = NULL, attachment = NULL, html = NULL, lease_until = NULL, "
                    "attempts = attempts + 1, "
                    "last_error = NULL WHERE id = ?", (stamp(now), mail_id))

    def mail_failed(self, mail_id: int, error: str, next_attempt: dt.datetime,
                    dead_at: dt.datetime | None = None) -> None:
        """Count a failed attempt, with its error; `dead_at`: the mail is given up then (a dead letter)."""
        with self.transaction() as cur:
            cur.run("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
                    "lease_until = NULL, dead_at = ? WHERE id = ?",
                    (error[:500], stamp(next_attempt), stamp(dead_at) if dead_at else None, mail_id))

    def retry_dead(self, now: dt.datetime, mail_id: int | None = None) -> int:
        """Queue dead letters again (one, or all), with a fresh count of attempts; returns how many."""
        sql = "UPDATE outbox SET dead_at = NULL, attempts = 0, next_attempt_at = ? WHERE dead_at IS NOT NULL"
        params: tuple = (stamp(now),)
        if mail_id is not None:
            sql, params = sql + " AND id = ?", (stamp(now), mail_id)
        with self.transaction() as cur:
            return len(cur.all(sql + " RETURNING id", params))

    def outbox_state(self) -> OutboxState:
        state = OutboxState()
        for sent, dead, number in self._read(
                "SELECT sent_at IS NOT NULL, dead_at IS NOT NULL, COUNT(*) FROM outbox "
                "GROUP BY sent_at IS NOT NULL, dead_at IS NOT NULL"):
            if sent:
                state.sent += int(number)
            elif not dead:
                state.pending += int(number)
        state.failing = [(int(r[0]), int(r[1]), r[2], r[3]) for r in self._read(
            "SELECT id, attempts, next_attempt_at, last_error FROM outbox "
            "WHERE sent_at IS NULL AND dead_at IS NULL AND attempts > 0 ORDER BY id")]
        state.dead = [DeadMail(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5] or "") for r in self._read(
            "SELECT id, to_addr, subject, attempts, dead_at, last_error FROM outbox "
            "WHERE sent_at IS NULL AND dead_at IS NOT NULL ORDER BY id")]
        return state

    def sent_mails(self) -> list[tuple[str, str]]:
        """(to, subject) of every mail sent, oldest first."""
        return [(r[0], r[1]) for r in self._read("SELECT to_addr, subject FROM outbox WHERE sent_at IS NOT NULL "
                                                 "ORDER BY id")]

    # --- privacy: retention, erasure, the audit log ---

    def purge(self, before: dt.datetime, now: dt.datetime) -> dict[str, int]:
        """Delete submissions received before `before`, their mails, and sent mails older than that."""
        with self.transaction() as cur:
            cutoff = stamp(before)
            mails = cur.all("DELETE FROM outbox WHERE submission_id IN "
                            "(SELECT id FROM submissions WHERE created_at < ?) "
                            "OR (sent_at IS NOT NULL AND sent_at < ?) RETURNING id", (cutoff, cutoff))
            subs = cur.all("DELETE FROM submissions WHERE created_at < ? RETURNING id", (cutoff,))  # follow_ups too
            checks = cur.all("DELETE FROM vacancy_checks WHERE created_at < ? RETURNING id", (cutoff,))
            counts = {"submissions": len(subs), "mails": len(mails), "checks": len(checks)}
            cur.run("INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)",
                    (stamp(now), "purge", json.dumps({"before": cutoff, **counts})))
        return counts

    # --- the rate limit (guard.StoredRateLimiter) ---

    def rate_hit(self, client: str, now: dt.datetime, limit: int, window: float) -> float:
        """Count one hit of `client` (a fingerprint) in a sliding window of `window` seconds: 0 when allowed,
        else the seconds until its oldest hit leaves the window. A refused hit is not counted. Not durable: a
        hit lost in a power cut costs nothing, and the submission's own commit waits for the disk anyway."""
        with self.transaction(durable=False) as cur:
            self._lock_client(cur, client)
            cur.run("DELETE FROM rate_limit_hits WHERE client = ? AND at <= ?",
                    (client, stamp(now - dt.timedelta(seconds=window))))
            hits = cur.all("SELECT at FROM rate_limit_hits WHERE client = ? ORDER BY at", (client,))
            if len(hits) >= limit:
                return max((parse_stamp(hits[0][0]) - now).total_seconds() + window, 1.0)
            cur.run("INSERT INTO rate_limit_hits (client, at) VALUES (?, ?)", (client, stamp(now)))
            return 0.0

    def forget_rate_hits(self, before: dt.datetime) -> int:
        """Drop hits older than `before` of clients that never came back (`purge` does it daily)."""
        with self.transaction() as cur:
            return len(cur.all("DELETE FROM rate_limit_hits WHERE at < ? RETURNING client", (stamp(before),)))

    def _lock_client(self, cur: "_Cursor", client: str) -> None:
        """Serialise the hits of one client across processes (SQLite's write lock already does)."""

    def erase(self, now: dt.datetime, email: str | None = None, phone: str | None = None) -> dict[str, int]:
        """Delete everything about one person: their submissions (also where they are a vacancy's contact
        person), and every mail about them or to them. The audit log keeps only a fingerprint."""
        email, phone = email_key(email), phone_key(phone)
        if not email and not phone:
            raise ValueError("erase needs an e-mail address or a phone number")
        with self.transaction() as cur:
            ids = [r[0] for r in cur.all("SELECT id FROM submissions WHERE email = ? OR contact_email = ? "
                                         "OR phone = ?", (email, email, phone))]
            mails = 0
            for sub_id in ids:
                mails += len(cur.all("DELETE FROM outbox WHERE submission_id = ? RETURNING id", (sub_id,)))
            if email:
                mails += len(cur.all("DELETE FROM outbox WHERE lower(to_addr) = ? OR lower(reply_to) = ? "
                                     "RETURNING id", (email, email)))
            for sub_id in ids:
                cur.run("DELETE FROM submissions WHERE id = ?", (sub_id,))  # its follow_ups row goes with it
            alerts = len(cur.all("DELETE FROM subscriptions WHERE email = ? RETURNING id", (email,))) if email else 0
            checks = len(cur.all("DELETE FROM vacancy_checks WHERE contact_email = ? RETURNING id",
                                 (email,))) if email else 0
            counts = {"submissions": len(ids), "mails": mails, "alerts": alerts, "checks": checks}
            who = {"email": fingerprint(email)} if email else {}
            if phone:
                who["phone"] = fingerprint(phone)
            cur.run("INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)",
                    (stamp(now), "erase", json.dumps({**who, **counts})))
        return counts

    def log(self, action: str, detail: dict, now: dt.datetime) -> None:
        with self.transaction() as cur:
            cur.run("INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)",
                    (stamp(now), action, json.dumps(detail, ensure_ascii=False)))

    def audit_log(self) -> list[tuple[dt.datetime, str, dict]]:
        return [(parse_stamp(r[0]), r[1], json.loads(r[2]))
                for r in self._read("SELECT at, action, detail FROM audit_log ORDER BY id")]


class _Cursor:
    """A cursor that speaks one placeholder style ('?') for both backends."""

    def __init__(self, cursor: Any, sql: Any):
        self._cursor, self._sql = cursor, sql

    def run(self, sql: str, params: tuple = ()) -> None:
        self._cursor.execute(self._sql(sql), params)

    def all(self, sql: str, params: tuple = ()) -> list[tuple]:
        self._cursor.execute(self._sql(sql), params)
        return list(self._cursor.fetchall()) if self._cursor.description else []


class SQLiteStorage(Storage):
    """SQLite in WAL mode with synchronous=FULL: a commit is on disk when it returns."""

    pk = "INTEGER PRIMARY KEY AUTOINCREMENT"
    ref = "INTEGER"

    def __init__(self, path: str | Path, pool_size: int = 8):
        super().__init__(pool_size)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # SQLite has one writer at a time anyway; threads queue on this lock instead of in SQLite's busy handler,
        # which sleeps in steps of up to 100 ms (a long latency tail under load).
        self._write_gate = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        return conn

    def _begin(self, conn: sqlite3.Connection, write: bool, durable: bool) -> None:
        # NORMAL in WAL mode: the commit is in the WAL but not yet synced; the next FULL commit syncs it too.
        conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
        # A writer takes the write lock at once: two transactions that read, then write, cannot deadlock.
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")


class PostgresStorage(Storage):
    """PostgreSQL through psycopg 3, for several endpoint instances sharing one database."""

    pk = "BIGSERIAL PRIMARY KEY"
    ref = "BIGINT"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str, pool_size: int = 8):
        super().__init__(pool_size)
        self.url = url

    def _connect(self) -> Any:
        import psycopg

        conn = psycopg.connect(self.url, autocommit=False)
        conn.execute("SET synchronous_commit = on")
        conn.commit()
        return conn

    def _begin(self, conn: Any, write: bool, durable: bool) -> None:
        if not durable:  # psycopg opens the transaction with this first statement
            conn.execute("SET LOCAL synchronous_commit = off")

    def _lock_migrations(self, cur: _Cursor) -> None:
        cur.run("SELECT pg_advisory_xact_lock(727274)")  # any constant: one migrating process at a time

    def _lock_client(self, cur: _Cursor, client: str) -> None:
        # Two instances counting one client at once would each see room for one more hit.
        cur.run("SELECT pg_advisory_xact_lock(727275, hashtext(?))", (client,))

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")


def open_storage(database: str) -> Storage:
    """The backend for HH_DATABASE: a postgresql:// URL, or a SQLite file path."""
    if database.startswith(("postgresql://", "postgres://")):
        return PostgresStorage(database)
    return SQLiteStorage(database)
