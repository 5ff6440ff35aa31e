"""Exports for coaches and matchers: CSV (for a spreadsheet) and JSON. Every export is logged (audit_log).

A cell that starts with = + - @ or a tab or carriage return would be read as a formula by Excel or
LibreOffice ("formula injection"); such a cell gets a leading apostrophe, which the spreadsheet shows as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from .storage import Record, Storage

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
# alert: the vacancy alerts' subscriptions; wijziging: answers to "still open?" (vacancy_changes.py);
# vacaturecheck: the "still open?" questions asked (follow_up.py)
KINDS = ("aanmelding", "afspraak", "vacature", "wijziging", "alert", "vacaturecheck")
FIXED = ("id", "kind", "created_at", "status", "privacy_version")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A value as spreadsheet text that can never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "ja" if value else "nee"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _flat(data: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def rows(records: list[Record]) -> list[dict[str, Any]]:
    return [{"id": r.id, "kind": r.kind, "created_at": r.created_at.isoformat(), "status": r.status,
             "privacy_version": r.privacy_version, **_flat(r.data)} for r in records]


def alert_rows(storage: Storage, since: dt.datetime | None) -> list[dict[str, Any]]:
    from .alerts import subscriptions

    return [{"id": s.id, "kind": "alert", "created_at": s.created_at.isoformat(),
             "status": "bevestigd" if s.confirmed_at else "niet bevestigd", "email": s.email,
             "frequency": s.frequency, **{f"filter.{k}": v for k, v in s.filters.items()}}
            for s in subscriptions(storage) if since is None or s.created_at >= since]


def with_follow_up(storage: Storage, records: list[Record]) -> list[Record] | list[dict]:
    """Sign-ups with what followed (answers, reminder, flag: the opvolging.* columns)."""
    from .follow_up import SIGNUP, answers, export_fields, states

    if not any(r.kind == SIGNUP for r in records):
        return records
    done, answered = states(storage), answers(storage)
    return [{**row, **export_fields(done.get(r.id), answered.get(r.id))} if r.kind == SIGNUP else row
            for r, row in zip(records, rows(records))]


def to_csv(records: list[Record] | list[dict]) -> str:
    data = rows(records) if records and isinstance(records[0], Record) else records
    columns = list(FIXED) + sorted({k for row in data for k in row} - set(FIXED))
    out = io.StringIO()
    out.write("\ufeff")  # a byte order mark, so spreadsheets read the accents right
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in data:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return out.getvalue()


def to_json(records: list[Record] | list[dict]) -> str:
    data = rows(records) if records and isinstance(records[0], Record) else records
    return json.dumps(data, ensure_ascii=False, indent=1)


def export(storage: Storage, fmt: str, kind: str | None, since: dt.datetime | None, via: str,
           now: dt.datetime) -> tuple[str, int]:
    """The export text and how many submissions it holds; logged with what, how many and how (never who)."""
    if kind == "alert":
        records = alert_rows(storage, since)
    elif kind == "vacaturecheck":
        from .follow_up import check_rows

        records = check_rows(storage, since)
    else:
        records = with_follow_up(storage, storage.records(kind=kind, since=since))
    text = to_csv(records) if fmt == "csv" else to_json(records)
    storage.log("export", {"format": fmt, "kind": kind or "alle", "since": since.isoformat() if since else None,
                           "count": len(records), "via": via}, now)
    return text, len(records)
