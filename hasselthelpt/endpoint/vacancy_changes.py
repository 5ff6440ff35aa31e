"""Answers to "still open?" (follow_up.py) as changes in the review queue: a submission of kind 'wijziging',
pending until a coach approves it (`hasselthelpt review approve ID`), which edits the vacancy's file: its
valid_through line and nothing else, checked by the content model, ready to commit. Nothing is written to the
site directly.

- open until DATE: valid_through becomes DATE.
- filled (volzet) or close (sluiten): valid_through becomes the day before the approval, so the page says
  'afgelopen' from the next build on (the schema has no 'filled' state; the change keeps which answer it was).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .. import brand
from ..content.schema import CONTENT_TYPES
from .config import EndpointSettings
from .forms import FormError, ReviewError
from .mails import SIGNATURE
from .storage import Mail, NewSubmission, Record, Storage, stamp

CHANGE_KIND = "wijziging"
ANSWERS = {"open": "Ze blijft open tot een nieuwe datum", "volzet": "Ze is volzet", "sluiten": "Sluit ze af"}
MAX_YEARS = 2  # a vacancy kept open at most this far ahead
VACANCY = CONTENT_TYPES["vacancy"]
_VALID_THROUGH = re.compile(r"^valid_through:[^\n]*$", re.M)


def read_answer(answer: str, until: str, today: dt.date) -> tuple[str, dt.date | None]:
    """The posted answer, checked: (answer, the new date for 'open')."""
    if answer not in ANSWERS:
        raise FormError("Kies een antwoord: open houden, volzet of afsluiten.")
    if answer != "open":
        return answer, None
    try:
        day = dt.date.fromisoformat(until)
    except ValueError:
        raise FormError("Vul de datum in tot wanneer de vacature open blijft, bijvoorbeeld 2027-06-30.") from None
    if not today < day <= today + dt.timedelta(days=365 * MAX_YEARS):
        raise FormError(f"Kies een datum na vandaag en binnen {MAX_YEARS} jaar.")
    return answer, day


def record_answer(storage: Storage, settings: EndpointSettings, check, info, answer: str, until: dt.date | None,
                  now: dt.datetime) -> bool:
    """Put the answer in the review queue (once per question: its idempotency key) and tell the reviewers.
    False when it was answered before."""
    if check.answered_at:
        return False
    data = {"vacancy": check.vacancy, "title": info.title, "answer": answer,
            "until": until.isoformat() if until else None, "reason": check.reason, "check": check.id,
            "contact_name": info.contact_name}
    notice = (f"Dag,\n\nDe contactpersoon van '{info.title}' antwoordde op 'Is je vacature nog open?': "
              f"{ANSWERS[answer].lower()}" + (f" {until:%d-%m-%Y}" if until else "") + ".\n\nBekijk het met:\n"
              "  hasselthelpt review list\n\nKeur het goed of af binnen vijf werkdagen." + SIGNATURE)
    mails = [Mail(addr, f"Vacature om aan te passen: {info.title}", notice) for addr in settings.reviewers]
    change_id, created = storage.add_submission(
        NewSubmission(CHANGE_KIND, f"check:{check.id}", data, "", contact_email=check.contact_email,
                      vacancy=check.vacancy, status="pending"), mails, now)
    if created:
        with storage.transaction() as cur:
            cur.run("UPDATE vacancy_checks SET answered_at = ?, change_id = ? WHERE id = ?",
                    (stamp(now), change_id, check.id))
    return created


def pending(storage: Storage) -> list[Record]:
    return storage.records(kind=CHANGE_KIND, status="pending")


def summary(record: Record) -> str:
    d = record.data
    what = f"open until {d['until']}" if d["answer"] == "open" else d["answer"]
    return f"change of '{d['title']}' ({d['vacancy']}): {what}"


def _path(root: Path, slug: str) -> Path:
    return root / VACANCY.folder / f"{slug}{VACANCY.suffix}"


def new_valid_through(record: Record, today: dt.date) -> dt.date:
    d = record.data
    return dt.date.fromisoformat(d["until"]) if d["answer"] == "open" else today - dt.timedelta(days=1)


def edited(text: str, day: dt.date) -> str:
    """The file's text with valid_through set to `day`: that one line, the rest as it was."""
    line = f"valid_through: {day.isoformat()}"
    if _VALID_THROUGH.search(text):
        return _VALID_THROUGH.sub(line, text, count=1)
    return text.rstrip("\n") + "\n" + line + "\n"


def show(storage: Storage, root: Path, record: Record, today: dt.date) -> str:
    path = _path(root, record.data["vacancy"])
    if not path.is_file():
        raise ReviewError(f"{path.relative_to(root)} does not exist any more.")
    old = _VALID_THROUGH.search(path.read_text(encoding="utf-8"))
    return "\n".join([
        f"Submission {record.id}, received {record.created_at:%Y-%m-%d %H:%M} UTC, status {record.status}"
        + (f" ({record.decision})" if record.decision else ""),
        f"Answer of the vacancy's contact <{record.contact_email}> to 'still open?' ({record.data['reason']}): "
        f"{ANSWERS[record.data['answer']]}",
        f"Approving edits {path.relative_to(root)}:",
        f"  - {old.group(0) if old else '(no valid_through)'}",
        f"  + valid_through: {new_valid_through(record, today).isoformat()}"])


def approve(storage: Storage, root: Path, record: Record, today: dt.date, now: dt.datetime, site_url: str) -> Path:
    """Edit the vacancy file, check it with the content model, mark the change approved, mail the contact."""
    if record.status != "pending":
        raise ReviewError(f"Submission {record.id} is already {record.status} ({record.decision}).")
    slug, d = record.data["vacancy"], record.data
    path = _path(root, slug)
    if not path.is_file():
        raise ReviewError(f"{path.relative_to(root)} does not exist any more; reject the change.")
    before = path.read_text(encoding="utf-8")
    day = new_valid_through(record, today)
    path.write_text(edited(before, day), encoding="utf-8")
    from ..content.loading import MarkdownRenderer, load_file  # here: the endpoint's pages load this module, light

    item, errors = load_file(VACANCY, path, root, MarkdownRenderer())
    errors = [e for e in errors if not e.warning]
    if errors or item is None:
        path.write_text(before, encoding="utf-8")
        raise ReviewError("The edited file did not pass the content check (it is unchanged):\n"
                          + "\n".join(map(str, errors)))
    url = f"{site_url.rstrip('/')}/vacatures/{slug}/"
    done = (f"Ze blijft online tot {day:%d-%m-%Y}:\n{url}" if d["answer"] == "open"
            else "Ze is afgesloten. Haar pagina blijft bestaan en zegt dat de vacature afgelopen is.")
    mails = [Mail(record.contact_email, f"Je vacature is aangepast: {d['title']}",
                  f"Dag {d.get('contact_name') or ''},\n\nBedankt voor je antwoord over '{d['title']}'. {done}\n\n"
                  f"De aanpassing staat binnenkort op de website van {brand.NAME}." + SIGNATURE)] \
        if record.contact_email else []
    if not storage.decide(record.id, "approved", f"valid_through {day.isoformat()}", mails, now):
        path.write_text(before, encoding="utf-8")
        raise ReviewError(f"Submission {record.id} was decided meanwhile; nothing written.")
    return path


def reject(storage: Storage, record: Record, reason: str, now: dt.datetime) -> None:
    if record.status != "pending":
        raise ReviewError(f"Submission {record.id} is already {record.status} ({record.decision}).")
    if not reason.strip():
        raise ReviewError("Give a reason (--reason): the vacancy's contact reads it in the mail.")
    mails = [Mail(record.contact_email, f"Je vacature: {record.data['title']}",
                  f"Dag {record.data.get('contact_name') or ''},\n\nBedankt voor je antwoord over "
                  f"'{record.data['title']}'. We passen de vacature zo niet aan.\n\nDe reden:\n{reason.strip()}"
                  + SIGNATURE)] if record.contact_email else []
    if not storage.decide(record.id, "rejected", reason.strip(), mails, now):
        raise ReviewError(f"Submission {record.id} was decided meanwhile.")
