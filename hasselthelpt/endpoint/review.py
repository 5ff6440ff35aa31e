"""The review queue: vacancies that organisations submitted wait here until someone approves or rejects them.
So do the answers to "still open?" (vacancy_changes.py, kind 'wijziging'): approving one edits a vacancy file.

Approving writes `vacancies/<slug>.yaml`, checked by the same content model as every vacancy (ready to commit),
and mails the submitter; rejecting mails the submitter the reason.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import yaml

from ..content import sanitise
from ..content.loading import MarkdownRenderer, load_file
from ..content.schema import CONTENT_TYPES, DATETIME_FORMAT, check_mapping
from .forms import ReviewError
from .mails import approval_mail, rejection_mail
from .storage import Record, Storage

VACANCY = CONTENT_TYPES["vacancy"]


def slugify(text: str, max_length: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "vacature"


def pending(storage: Storage) -> list[Record]:
    return storage.records(kind="vacature", status="pending")


def _pending_record(storage: Storage, submission_id: int) -> Record:
    record = storage.get(submission_id)
    if record is None or record.kind != "vacature":
        raise ReviewError(f"There is no vacancy submission {submission_id}; see 'hasselthelpt review list'.")
    if record.status != "pending":
        raise ReviewError(f"Submission {submission_id} is already {record.status} ({record.decision}).")
    return record


def vacancy_data(record: Record, organisation: str, today: dt.date) -> dict:
    """The vacancy as its YAML file will hold it: defaults and empty fields left out, in schema order."""
    submitted = dict(record.data["vacancy"])
    submitted["organisation"] = organisation
    submitted["publish_from"] = today.isoformat()
    cleaned, problems = check_mapping(VACANCY.fields, submitted)
    if problems:
        raise ReviewError("The submission does not fit the vacancy schema: "
                          + "; ".join(f"{path}: {what}" for path, (what, _) in problems))
    out = {}
    for f in VACANCY.fields:
        value = cleaned.get(f.name)
        if value is None or value == [] or (value == f.default and not f.required):
            continue
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
        if f.kind == "list":  # the dates of a one-off task, written as content files write them
            value = [{k: v.strftime(DATETIME_FORMAT) if isinstance(v, dt.datetime) else v
                      for k, v in row.items() if v is not None} for row in value]
        out[f.name] = value
    return out


def yaml_text(data: dict, record: Record) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value):  # Markdown and long texts as a readable block
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    header = (f"# Ingediend via het formulier op {record.created_at:%Y-%m-%d} (inzending {record.id}), "
              "nagelezen met 'hasselthelpt review'.\n")
    return header + yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110)


def _change(storage: Storage, submission_id: int) -> Record | None:
    """The submission when it is a change of a vacancy (vacancy_changes.py)."""
    from .vacancy_changes import CHANGE_KIND

    record = storage.get(submission_id)
    return record if record is not None and record.kind == CHANGE_KIND else None


def show(storage: Storage, root: Path, submission_id: int, today: dt.date) -> str:
    if change := _change(storage, submission_id):
        from . import vacancy_changes

        return vacancy_changes.show(storage, root, change, today)
    record = storage.get(submission_id)
    if record is None or record.kind != "vacature":
        raise ReviewError(f"There is no vacancy submission {submission_id}.")
    d = record.data
    org = d.get("organisation") or f"(new) {d.get('organisation_name')}"
    lines = [f"Submission {record.id}, received {record.created_at:%Y-%m-%d %H:%M} UTC, status {record.status}"
             + (f" ({record.decision})" if record.decision else ""),
             f"Submitted by {d['submitter_name']} <{d['submitter_email']}> for organisation {org}",
             f"Privacy text version consented to: {record.privacy_version}", ""]
    organisation = d.get("organisation") or slugify(d.get("organisation_name") or "")
    if not (root / "content" / "organisations" / f"{organisation}.yaml").is_file():
        lines.append(f"Note: organisation '{organisation}' has no file yet: make it with 'hasselthelpt new "
                     f"organisation {organisation}', or approve with --organisation SLUG.\n")
    data = vacancy_data(record, organisation, today)
    lines += markup_report(data)
    lines.append(yaml_text(data, record))
    return "\n".join(lines)


def markup_report(data: dict) -> list[str]:
    """A loud warning when the texts hold HTML or links the site will not show as such, and every link the
    page will carry: read them before approving."""
    render = MarkdownRenderer()
    rendered = {f.name: render.render(data[f.name]) for f in VACANCY.fields if f.kind == "markdown" and data.get(f.name)}
    lines = []
    removed = {name: r.removed for name, r in rendered.items() if r.removed}
    if removed:
        lines.append("WARNING: this submission holds HTML or links that will NOT be shown as such (HTML is shown "
                     "as text, forbidden links and attributes are removed). Someone may have tried to put code on "
                     "the site: read the text below before you approve it.")
        lines += [f"  {name}: " + "; ".join(notes) for name, notes in removed.items()]
        lines.append("")
    links = [link for r in rendered.values() for link in sanitise.links(r.html)]
    lines.append("Links in the text: " + ("none" if not links else ""))
    lines += [f"  {link}" for link in dict.fromkeys(links)]
    lines.append("")
    return lines


def approve(storage: Storage, root: Path, submission_id: int, today: dt.date, now: dt.datetime,
            site_url: str, slug: str | None = None, organisation: str | None = None) -> Path:
    """Write the vacancy file, check it with the content model, mark the submission approved, mail. (A change:
    edit the vacancy's file.)"""
    if change := _change(storage, submission_id):
        from . import vacancy_changes

        return vacancy_changes.approve(storage, root, change, today, now, site_url)
    record = _pending_record(storage, submission_id)
    d = record.data
    organisation = organisation or d.get("organisation") or slugify(d.get("organisation_name") or "")
    if not (root / "content" / "organisations" / f"{organisation}.yaml").is_file():
        raise ReviewError(f"Organisation '{organisation}' does not exist. Make it first with 'hasselthelpt new "
                          f"organisation {organisation}', or pass --organisation with an existing one.")
    data = vacancy_data(record, organisation, today)
    slug = slug or slugify(data["title"])
    path = root / VACANCY.folder / f"{slug}{VACANCY.suffix}"
    if path.exists():
        raise ReviewError(f"{path.relative_to(root)} already exists; pass --slug with another name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml_text(data, record), encoding="utf-8")
    item, errors = load_file(VACANCY, path, root, MarkdownRenderer())
    errors = [e for e in errors if not e.warning]  # markup warnings: 'review show' showed them
    if errors or item is None:
        path.unlink()
        raise ReviewError("The written file did not pass the content check:\n" + "\n".join(map(str, errors)))
    url = f"{site_url.rstrip('/')}/vacatures/{slug}/"
    if not storage.decide(submission_id, "approved", slug, [approval_mail(d, url)], now):
        path.unlink()
        raise ReviewError(f"Submission {submission_id} was decided meanwhile; nothing written.")
    return path


def reject(storage: Storage, submission_id: int, reason: str, now: dt.datetime) -> None:
    if change := _change(storage, submission_id):
        from . import vacancy_changes

        return vacancy_changes.reject(storage, change, reason, now)
    record = _pending_record(storage, submission_id)
    if not reason.strip():
        raise ReviewError("Give a reason (--reason): the organisation reads it in the mail.")
    if not storage.decide(submission_id, "rejected", reason.strip(), [rejection_mail(record.data, reason.strip())],
                          now):
        raise ReviewError(f"Submission {submission_id} was decided meanwhile.")
