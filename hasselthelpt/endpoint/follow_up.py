"""After the sign-up (`hasselthelpt follow-up`): reminders to organisations, the volunteer's "did it lead to a
match?", and "still open?" for vacancies. Run once a day; idempotent.

- Each sign-up mail to an organisation carries signed one-click links: contact opgenomen, match, geen match.
  No answer after HH_FOLLOW_UP_REMINDER_DAYS working days (Belgian public holidays not counted): one reminder.
  After HH_FOLLOW_UP_FLAG_DAYS working days: flagged for the coaches (`follow-up --flagged`, `review list`).
- HH_FOLLOW_UP_VOLUNTEER_WEEKS after a sign-up, the volunteer gets one mail: did it lead to a match? With the
  same kind of links, and a free-text field on the page behind them.
- HH_FOLLOW_UP_STILL_OPEN_DAYS before a vacancy's valid_through, and when its file has not changed for
  HH_FOLLOW_UP_UNCHANGED_DAYS, its contact is asked: keep it open until a new date, it is filled, or close it.
  The answer is a change in the review queue (vacancy_changes.py): a coach approves it, which edits the file.

Links are signed like the alerts' (signed_links.sign: HMAC over purpose, id and a value only the store knows), work
HH_FOLLOW_UP_LINK_DAYS and need no login. A GET only shows a page with a button; the POST records, once (a mail
system's link scanner records nothing; a second POST says it was recorded already). Every mail has a link that
stops further mail about that sign-up (or that vacancy), also as List-Unsubscribe.

Each step is one transaction that marks what it did and queues its mail together, under a condition (`... IS
NULL`, a unique key), so a second run, or two runs at once, sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
from dataclasses import dataclass, field, fields
from pathlib import Path

import holidays

from ..content.facts import is_one_off
from ..content.publication import takes_signups
from ..content.schema import CONTENT_TYPES
from .answer_migrations import OUTCOMES
from .config import EndpointSettings
from .mails import SIGNATURE, signup_recipients
from .signed_links import local_day, sign, unsubscribe_headers
from .storage import Mail, Record, Storage, email_key, parse_stamp, stamp

COUNTRY = "BE"
ORG_ANSWERS = OUTCOMES  # the organisation's answers are the sign-up's outcomes (submissions.outcome)
VOLUNTEER_ANSWERS = {"match": "Ja, het werd een match", "geen-match": "Nee, het werd geen match",
                     "nog-niet": "Ik hoorde nog niets"}
FINAL = ("match", "geen-match")  # after 'contact' an organisation may still say how it ended
PARTIES = {"org": "organisatie", "vrijwilliger": "vrijwilliger"}
NOT_ANSWERED = ("NOT EXISTS (SELECT 1 FROM submissions WHERE submissions.id = follow_ups.submission_id "
                "AND submissions.answered_at IS NOT NULL)")
LATE_DAYS = 14  # a volunteer mail more than this late (the command did not run) is not sent any more
SIGNUP = "aanmelding"


# --- working days ---

@functools.cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(COUNTRY, years=year)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a Belgian public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def working_days_between(first: dt.date, last: dt.date) -> int:
    """The whole working days after `first` and before `last`: the days someone had to answer."""
    return sum(1 for n in range(1, (last - first).days) if is_working_day(first + dt.timedelta(days=n)))


# --- the store ---

@dataclass(frozen=True)
class FollowUp:
    submission_id: int
    reminded_at: dt.datetime | None = None
    flagged_at: dt.datetime | None = None
    handled_at: dt.datetime | None = None
    org_stopped_at: dt.datetime | None = None
    volunteer_asked_at: dt.datetime | None = None
    volunteer_answer: str | None = None
    volunteer_note: str | None = None
    volunteer_answered_at: dt.datetime | None = None
    volunteer_stopped_at: dt.datetime | None = None


_COLUMNS = [f.name for f in fields(FollowUp)]
_TEXT = {"volunteer_answer", "volunteer_note"}


def _follow_up(row: tuple) -> FollowUp:
    values = {name: (value if name in _TEXT or value is None else parse_stamp(value))
              for name, value in zip(_COLUMNS[1:], row[1:])}
    return FollowUp(int(row[0]), **values)


def states(storage: Storage) -> dict[int, FollowUp]:
    return {int(r[0]): _follow_up(r) for r in storage._read(f"SELECT {', '.join(_COLUMNS)} FROM follow_ups")}


def state(storage: Storage, submission_id: int) -> FollowUp:
    rows = storage._read(f"SELECT {', '.join(_COLUMNS)} FROM follow_ups WHERE submission_id = ?", (submission_id,))
    return _follow_up(rows[0]) if rows else FollowUp(submission_id)


@dataclass(frozen=True)
class Answer:
    """The organisation's answer, kept on the sign-up itself (answer_migrations.py: the report reads it)."""
    answered_at: dt.datetime | None = None  # the first answer: the response time
    outcome: str | None = None  # the latest known: contact, match, geen-match (a volunteer's match counts too)


def answers(storage: Storage) -> dict[int, Answer]:
    return {int(r[0]): Answer(parse_stamp(r[1]) if r[1] else None, r[2]) for r in storage._read(
        "SELECT id, answered_at, outcome FROM submissions WHERE kind = ?", (SIGNUP,))}


def answer_of(storage: Storage, submission_id: int) -> Answer:
    rows = storage._read("SELECT answered_at, outcome FROM submissions WHERE id = ?", (submission_id,))
    return Answer(parse_stamp(rows[0][0]) if rows and rows[0][0] else None, rows[0][1] if rows else None)


def _mark(storage: Storage, submission_id: int, sql: str, params: tuple, mails: list[Mail] = (),
          now: dt.datetime | None = None) -> bool:
    """Run one conditional UPDATE of a sign-up's follow_ups row (made when missing) and, when it changed the
    row, queue `mails`: one transaction. False when the condition did not hold (done before)."""
    with storage.transaction() as cur:
        cur.run("INSERT INTO follow_ups (submission_id) VALUES (?) ON CONFLICT (submission_id) DO NOTHING",
                (submission_id,))
        if not cur.all(f"UPDATE follow_ups SET {sql} RETURNING submission_id", (*params, submission_id)):
            return False
        if mails:
            storage._queue(cur, submission_id, list(mails), now)
        return True


def org_may_answer(answer: Answer, new: str) -> bool:
    """Once: any answer when the organisation gave none; after 'contact' still match or geen match."""
    return answer.answered_at is None or (answer.outcome == "contact" and new != "contact")


def record_org_answer(storage: Storage, submission_id: int, answer: str, now: dt.datetime) -> bool:
    """The organisation's answer on the sign-up (answered_at: the first; outcome), once (org_may_answer).
    'contact' does not replace an outcome the volunteer gave. False when it was recorded before."""
    with storage.transaction() as cur:
        return bool(cur.all(
            "UPDATE submissions SET answered_at = COALESCE(answered_at, ?), "
            "outcome = CASE WHEN ? = 'contact' AND outcome IS NOT NULL THEN outcome ELSE ? END "
            "WHERE id = ? AND kind = ? AND (answered_at IS NULL OR (outcome = 'contact' AND ? <> 'contact')) "
            "RETURNING id", (stamp(now), answer, answer, submission_id, SIGNUP, answer)))


def record_volunteer_answer(storage: Storage, submission_id: int, answer: str, note: str, now: dt.datetime) -> bool:
    """The volunteer's answer and words, once; a match or geen match is the sign-up's outcome too, unless the
    organisation said how it ended."""
    with storage.transaction() as cur:
        cur.run("INSERT INTO follow_ups (submission_id) VALUES (?) ON CONFLICT (submission_id) DO NOTHING",
                (submission_id,))
        if not cur.all("UPDATE follow_ups SET volunteer_answer = ?, volunteer_note = ?, volunteer_answered_at = ? "
                       "WHERE submission_id = ? AND volunteer_answer IS NULL RETURNING submission_id",
                       (answer, note or None, stamp(now), submission_id)):
            return False
        if answer in FINAL:
            cur.run("UPDATE submissions SET outcome = ? WHERE id = ? AND (outcome IS NULL OR outcome = 'contact')",
                    (answer, submission_id))
        return True


def stop(storage: Storage, record: Record, party: str, now: dt.datetime) -> bool:
    """No more mail to this party about this sign-up; its mails not sent yet are dropped. False: stopped before."""
    column = "org_stopped_at" if party == "org" else "volunteer_stopped_at"
    done = _mark(storage, record.id, f"{column} = ? WHERE submission_id = ? AND {column} IS NULL", (stamp(now),))
    if done:
        volunteer = email_key(record.data.get("email")) or ""
        same = "=" if party == "vrijwilliger" else "<>"
        with storage.transaction() as cur:
            cur.run(f"DELETE FROM outbox WHERE submission_id = ? AND sent_at IS NULL AND lower(to_addr) {same} ?",
                    (record.id, volunteer))
    return done


def handled(storage: Storage, submission_id: int, now: dt.datetime) -> bool:
    """A coach took up a flagged sign-up: it leaves the list."""
    return _mark(storage, submission_id, "handled_at = ? WHERE submission_id = ? AND flagged_at IS NOT NULL "
                 "AND handled_at IS NULL", (stamp(now),))


def flagged(storage: Storage) -> list[tuple[Record, FollowUp]]:
    """Sign-ups flagged for the coaches, not answered since and not handled, oldest first."""
    out, answered = [], answers(storage)
    for fu in states(storage).values():
        if fu.flagged_at and not fu.handled_at and not answered.get(fu.submission_id, Answer()).answered_at:
            record = storage.get(fu.submission_id)
            if record is not None:
                out.append((record, fu))
    return sorted(out, key=lambda pair: pair[0].id)


# --- vacancy checks ("still open?") ---

@dataclass(frozen=True)
class Check:
    id: int
    vacancy: str
    reason: str  # valid_through, unchanged
    reason_key: str  # the date it is about
    contact_email: str | None
    created_at: dt.datetime
    answered_at: dt.datetime | None
    change_id: int | None
    stopped_at: dt.datetime | None

    @property
    def key(self) -> str:
        """What the links sign besides the id: known only to the store."""
        return f"{self.vacancy}|{self.contact_email}|{stamp(self.created_at)}"


_CHECK_COLUMNS = "id, vacancy, reason, reason_key, contact_email, created_at, answered_at, change_id, stopped_at"


def _check(row: tuple) -> Check:
    moment = lambda text: parse_stamp(text) if text else None  # noqa: E731
    return Check(int(row[0]), row[1], row[2], row[3], row[4], parse_stamp(row[5]), moment(row[6]),
                 int(row[7]) if row[7] is not None else None, moment(row[8]))


def checks(storage: Storage) -> list[Check]:
    return [_check(r) for r in storage._read(f"SELECT {_CHECK_COLUMNS} FROM vacancy_checks ORDER BY id")]


def get_check(storage: Storage, check_id: int) -> Check | None:
    rows = storage._read(f"SELECT {_CHECK_COLUMNS} FROM vacancy_checks WHERE id = ?", (check_id,))
    return _check(rows[0]) if rows else None


def stop_check(storage: Storage, check_id: int, now: dt.datetime) -> bool:
    with storage.transaction() as cur:
        return bool(cur.all("UPDATE vacancy_checks SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL "
                            "RETURNING id", (stamp(now), check_id)))


# --- links and mails ---

def signup_links(secret: bytes, api_url: str, submission_id: int, key: str) -> dict:
    """The signed links of one sign-up (`key`: its idempotency key, which only the store knows)."""
    def token(purpose: str) -> str:
        return sign(secret, purpose, submission_id, key)

    return {"org": {a: f"{api_url}/opvolging/organisatie?a={a}&t={token('follow-org:' + a)}" for a in ORG_ANSWERS},
            "volunteer": {a: f"{api_url}/opvolging/vrijwilliger?a={a}&t={token('follow-volunteer:' + a)}"
                          for a in VOLUNTEER_ANSWERS},
            "stop": {p: f"{api_url}/opvolging/stop?w={p}&t={token('follow-stop:' + p)}" for p in PARTIES}}


def check_links(secret: bytes, api_url: str, check: Check) -> dict[str, str]:
    return {"answer": f"{api_url}/opvolging/vacature?t={sign(secret, 'still-open', check.id, check.key)}",
            "stop": f"{api_url}/opvolging/vacature-stop?t={sign(secret, 'still-open-stop', check.id, check.key)}"}


def org_answer_lines(links: dict) -> str:
    """The block of the organisation's mails: one click per answer, and the stop link."""
    answers = "\n".join(f"- {label}: {links['org'][a]}" for a, label in ORG_ANSWERS.items())
    return (f"\n\nLaat ons met één klik weten hoe het loopt:\n{answers}\n\n"
            f"Geen mails meer over deze aanmelding? {links['stop']['org']}")


def volunteer_stop_line(links: dict) -> str:
    return f"\n\nGeen mails meer over deze aanmelding? {links['stop']['vrijwilliger']}"


def signup_link_blocks(links: dict) -> tuple[str, str]:
    """The blocks of the first sign-up mails (mails.signup_mails): the organisation's, the volunteer's."""
    return org_answer_lines(links), volunteer_stop_line(links)


def reminder_mails(record: Record, vacancy, settings: EndpointSettings, links: dict) -> list[Mail]:
    """The one reminder to the organisation (or, without a vacancy address, the matchers)."""
    d = record.data
    title = vacancy.title if vacancy else record.vacancy
    contact = vacancy.contact_name if vacancy else "vrijwilligersmatcher"
    reach = f"E-mail: {d['email']}" + (f"\nTelefoon: {d['phone']}" if d.get("phone") else "")
    body = (f"Dag {contact},\n\nOp {local_day(record.created_at):%d-%m-%Y} meldde {d['name']} zich aan voor "
            f"'{title}'. We kregen nog geen antwoord van jullie.\nNeem je vandaag nog contact op?\n\n{reach}"
            + org_answer_lines(links) + "\n\nAntwoorden op deze mail gaat rechtstreeks naar de vrijwilliger."
            + SIGNATURE)
    return [Mail(addr, f"Herinnering: aanmelding voor {title}", body, reply_to=d["email"],
                 headers=unsubscribe_headers(links["stop"]["org"]))
            for addr in signup_recipients(vacancy, settings)]


def volunteer_mail(record: Record, vacancy, links: dict) -> Mail:
    d = record.data
    title = vacancy.title if vacancy else record.vacancy
    answers = "\n".join(f"- {label}: {links['volunteer'][a]}" for a, label in VOLUNTEER_ANSWERS.items())
    body = (f"Dag {d['name']},\n\nOp {local_day(record.created_at):%d-%m-%Y} meldde je je aan voor '{title}'. "
            f"Werd het een match?\nKlik op je antwoord. Op de pagina kan je ook iets vertellen, als je wil.\n\n"
            f"{answers}\n\nWe vragen het maar één keer. Zo weten we of onze vacatures echt helpen."
            + volunteer_stop_line(links) + SIGNATURE)
    return Mail(d["email"], f"Werd het een match? {title}", body,
                headers=unsubscribe_headers(links["stop"]["vrijwilliger"]))


def still_open_mail(check: Check, vacancy, links: dict[str, str]) -> Mail:
    if check.reason == "valid_through":
        why = f"Je vacature '{vacancy.title}' staat online tot {vacancy.valid_through:%d-%m-%Y}."
    else:
        why = (f"Je vacature '{vacancy.title}' staat al lang online zonder wijziging (sinds "
               f"{dt.date.fromisoformat(check.reason_key):%d-%m-%Y}).")
    body = (f"Dag {vacancy.contact['name']},\n\n{why}\nIs ze nog open? Klik op de link en kies:\n"
            "- open houden tot een nieuwe datum,\n- ze is volzet,\n- of sluit ze af.\n\n"
            f"{links['answer']}\n\nEen medewerker leest je antwoord na en past daarna de vacature aan.\n\n"
            f"Geen vragen meer over deze vacature? {links['stop']}" + SIGNATURE)
    return Mail(check.contact_email, f"Is je vacature nog open? {vacancy.title}", body,
                headers=unsubscribe_headers(links["stop"]))


# --- when a vacancy file last changed ---

def last_changes(root: Path, paths: list[Path], today: dt.date) -> dict[Path, dt.date]:
    """The day each vacancy file last changed: its newest commit (one `git log` for the folder); a file with
    changes not committed, or outside git, by its modification time."""
    folder = CONTENT_TYPES["vacancy"].folder
    committed: dict[Path, dt.date] = {}
    dirty: set[Path] = set()
    try:
        log = subprocess.run(["git", "-C", str(root), "log", "--relative", "--format=commit %cs", "--name-only",
                              "--", folder], capture_output=True, text=True, timeout=60)
        diff = subprocess.run(["git", "-C", str(root), "diff", "--relative", "--name-only", "HEAD", "--", folder],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        log = diff = None
    if log is not None and log.returncode == 0:
        day = None
        for line in log.stdout.splitlines():
            if line.startswith("commit "):
                day = dt.date.fromisoformat(line.split()[1])
            elif line.strip() and day:
                committed.setdefault((root / line.strip()).resolve(), day)
        if diff is not None and diff.returncode == 0:
            dirty = {(root / line.strip()).resolve() for line in diff.stdout.splitlines() if line.strip()}
    out = {}
    for path in paths:
        resolved = path.resolve()
        if resolved in committed and resolved not in dirty:
            out[path] = committed[resolved]
        else:
            out[path] = min(dt.date.fromtimestamp(os.stat(path).st_mtime), today)
    return out


# --- what to do today ---

@dataclass
class Plan:
    reminders: list[Record] = field(default_factory=list)
    flags: list[Record] = field(default_factory=list)
    volunteers: list[Record] = field(default_factory=list)
    checks: list[tuple[object, str, str]] = field(default_factory=list)  # (vacancy item, reason, reason key)
    skipped: list[str] = field(default_factory=list)  # what could not be asked, and why

    def lines(self, vacancies: dict) -> list[str]:
        def title(r: Record) -> str:
            return vacancies[r.vacancy].title if r.vacancy in vacancies else r.vacancy

        out = [f"reminder to the organisation: sign-up {r.id} of {r.created_at:%Y-%m-%d} for '{title(r)}'"
               for r in self.reminders]
        out += [f"flag for the coaches: sign-up {r.id} of {r.created_at:%Y-%m-%d} for '{title(r)}'" for r in self.flags]
        out += [f"'did it lead to a match?' to the volunteer of sign-up {r.id} ('{title(r)}')" for r in self.volunteers]
        out += [f"'still open?' ({reason} {key}) to {v.contact['email']} about '{v.title}' ({v.slug})"
                for v, reason, key in self.checks]
        return out + [f"skipped: {why}" for why in self.skipped]


def plan(storage: Storage, vacancies: dict, root: Path, settings: EndpointSettings, now: dt.datetime) -> Plan:
    """What is due now (nothing is written). `vacancies`: app.index_content's VacancyInfo by slug."""
    cfg, today, out = settings.follow_up, local_day(now), Plan()
    done, answered = states(storage), answers(storage)
    for record in storage.records(kind=SIGNUP):
        fu = done.get(record.id, FollowUp(record.id))
        day = local_day(record.created_at)
        waited = working_days_between(day, today)
        if not answered.get(record.id, Answer()).answered_at:
            if waited >= cfg.flag_days:
                if not fu.flagged_at:
                    out.flags.append(record)
            elif waited >= cfg.reminder_days and not fu.reminded_at and not fu.org_stopped_at:
                out.reminders.append(record)  # past the flag day it is too late for a reminder
        if cfg.volunteer_weeks and record.data.get("email") and not fu.volunteer_asked_at \
                and not fu.volunteer_stopped_at and not fu.volunteer_answer:
            due = day + dt.timedelta(weeks=cfg.volunteer_weeks)
            if due <= today < due + dt.timedelta(days=LATE_DAYS):
                out.volunteers.append(record)
    earlier = checks(storage)
    asked = {(c.vacancy, c.reason, c.reason_key) for c in earlier}
    stopped = {(c.vacancy, c.contact_email) for c in earlier if c.stopped_at}
    open_vacancies = [info.item for info in vacancies.values()
                      if takes_signups(info.item, today) and not is_one_off(info.item)]
    changed = last_changes(root, [v.source for v in open_vacancies if v.source], today)
    for v in sorted(open_vacancies, key=lambda v: v.slug):
        email = email_key(v.contact.get("email"))
        reason = key = None
        if (v.valid_through - today).days <= cfg.still_open_days:
            reason, key = "valid_through", v.valid_through.isoformat()
        elif cfg.unchanged_days and v.source in changed:
            since = max(changed[v.source], v.publish_from)
            if (today - since).days >= cfg.unchanged_days:
                reason, key = "unchanged", since.isoformat()
        if reason is None or (v.slug, reason, key) in asked or (v.slug, email) in stopped:
            continue
        if not email:
            out.skipped.append(f"'{v.title}' ({v.slug}) is to be asked 'still open?' but has no e-mail address")
            continue
        out.checks.append((v, reason, key))
    return out


def run(storage: Storage, vacancies: dict, root: Path, settings: EndpointSettings, api_url: str,
        now: dt.datetime, dry_run: bool = False) -> tuple[Plan, dict[str, int]]:
    """Plan, then (unless `dry_run`) do it: each step marks itself and queues its mail in one transaction, under
    a condition that a second run finds false. `vacancies`: app.index_content's VacancyInfo by slug. Returns the
    plan and the counts of what was done."""
    todo = plan(storage, vacancies, root, settings, now)
    counts = {"reminders": 0, "flags": 0, "volunteers": 0, "checks": 0}
    if dry_run:
        return todo, counts
    secret = settings.secret
    for record in todo.reminders:
        links = signup_links(secret, api_url, record.id, record.idem_key)
        mails = reminder_mails(record, vacancies.get(record.vacancy), settings, links)
        counts["reminders"] += _mark(storage, record.id, "reminded_at = ? WHERE submission_id = ? AND reminded_at "
                                     f"IS NULL AND org_stopped_at IS NULL AND {NOT_ANSWERED}", (stamp(now),),
                                     mails, now)
    for record in todo.flags:
        counts["flags"] += _mark(storage, record.id, "flagged_at = ? WHERE submission_id = ? AND flagged_at IS NULL "
                                 f"AND {NOT_ANSWERED}", (stamp(now),))
    for record in todo.volunteers:
        links = signup_links(secret, api_url, record.id, record.idem_key)
        mail = volunteer_mail(record, vacancies.get(record.vacancy), links)
        counts["volunteers"] += _mark(storage, record.id, "volunteer_asked_at = ? WHERE submission_id = ? AND "
                                      "volunteer_asked_at IS NULL AND volunteer_stopped_at IS NULL", (stamp(now),),
                                      [mail], now)
    for vacancy, reason, key in todo.checks:
        with storage.transaction() as cur:
            rows = cur.all(f"INSERT INTO vacancy_checks (vacancy, reason, reason_key, contact_email, created_at) "
                           f"VALUES (?, ?, ?, ?, ?) ON CONFLICT (vacancy, reason, reason_key) DO NOTHING "
                           f"RETURNING {_CHECK_COLUMNS}",
                           (vacancy.slug, reason, key, email_key(vacancy.contact["email"]), stamp(now)))
            if rows:
                check = _check(rows[0])
                storage._queue(cur, None, [still_open_mail(check, vacancy, check_links(secret, api_url, check))],
                               now)
                counts["checks"] += 1
    return todo, counts


# --- exports ---

def export_fields(fu: FollowUp | None, answer: Answer | None) -> dict:
    """A sign-up's answer and follow-up as export columns (opvolging.*)."""
    fu, answer = fu or FollowUp(0), answer or Answer()
    values = [("answered_at", answer.answered_at), ("outcome", answer.outcome),
              *((n, getattr(fu, n)) for n in _COLUMNS[1:])]
    return {f"opvolging.{name}": (value.isoformat() if isinstance(value, dt.datetime) else value)
            for name, value in values}


def check_rows(storage: Storage, since: dt.datetime | None) -> list[dict]:
    return [{"id": c.id, "kind": "vacaturecheck", "created_at": c.created_at.isoformat(), "vacancy": c.vacancy,
             "reason": c.reason, "reason_key": c.reason_key, "contact_email": c.contact_email,
             "answered_at": c.answered_at.isoformat() if c.answered_at else None, "change": c.change_id,
             "stopped_at": c.stopped_at.isoformat() if c.stopped_at else None}
            for c in checks(storage) if since is None or c.created_at >= since]
