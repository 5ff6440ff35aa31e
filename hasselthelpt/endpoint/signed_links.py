"""Signed links of the endpoint's mails (vacancy alerts, follow-up): a token is an id and an HMAC over a purpose,
the id and a value only the store knows (the address), so a link works without a login and cannot be guessed or
moved to another purpose; and the headers that let a mail program stop the mails with one click (RFC 8058)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qs

from ..settings import TIMEZONE


def sign(secret: bytes, purpose: str, sub_id: int, email: str) -> str:
    mac = hmac.new(secret, f"{purpose}:{sub_id}:{email}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{sub_id}.{mac}"


def token_id(secret: bytes, purpose: str, token: str, email_of) -> int | None:
    """The subscription id a token signs for this purpose, or None; `email_of(id)` gives its address."""
    head, _, mac = token.partition(".")
    if not head.isdigit() or len(head) > 18:
        return None
    email = email_of(int(head))
    if email is None or not hmac.compare_digest(sign(secret, purpose, int(head), email), token):
        return None
    return int(head)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(TIMEZONE).date()


def unsubscribe_headers(stop_url: str) -> tuple[tuple[str, str], ...]:
    return (("List-Unsubscribe", f"<{stop_url}>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))


def query_token(environ: dict) -> str:
    return (parse_qs(environ.get("QUERY_STRING", "")).get("t") or [""])[-1]
