"""Settings of the form endpoint: every HH_* environment variable with its default and meaning.

They are read once, at the edge (the command line, or the WSGI entry point for gunicorn), into a frozen
`EndpointSettings`. Secrets (HH_SECRET, HH_EXPORT_TOKEN, HH_SMTP_PASSWORD) only ever come from the environment.
docs/operators.md's endpoint settings table is this dict; a test keeps them in step.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from .. import brand
from ..settings import SettingsError

log = logging.getLogger("hasselthelpt.endpoint")

# key: (default, what it means). Values are environment strings.
ENDPOINT_DEFAULTS: dict[str, tuple[str, str]] = {
    "HH_PROJECT": ("", "Project folder (content/, vacancies/) for the WSGI entry point; default: the current "
                       "folder. The command line uses --project instead."),
    "HH_DATABASE": ("var/hasselthelpt.sqlite3", "Where submissions are kept: a SQLite file (relative to the "
                                                "project folder) or a postgresql:// URL."),
    "HH_SECRET": ("", "Secret key that signs the form tokens (minimum fill time). Without it every start picks "
                      "a random key (tokens then die at a restart; several workers must share one key)."),
    "HH_EXPORT_TOKEN": ("", "Secret token for the exports: send it as 'Authorization: Bearer ...'. Empty: no "
                            "exports over HTTP."),
    "HH_SITE_URL": ("", "Public address of the site (e.g. https://www.hasselt.be/hasselthelpt), for the "
                        "thank-you redirects and as an allowed origin. Empty: the site on the same host."),
    "HH_ALLOWED_ORIGINS": ("", "Other origins that may post the forms (https://host[:port]), separated by "
                               "spaces."),
    "HH_SMTP_HOST": ("localhost", "Mail server for the notifications."),
    "HH_SMTP_PORT": ("25", "Port of the mail server."),
    "HH_SMTP_USER": ("", "User name at the mail server; empty: no login."),
    "HH_SMTP_PASSWORD": ("", "Password at the mail server (secret)."),
    "HH_SMTP_STARTTLS": ("false", "true: switch to TLS with STARTTLS before sending."),
    "HH_MAIL_FROM": (f"{brand.NAME} <{brand.HELPDESK['email']}>", "Sender of every mail."),
    "HH_MATCHERS_EMAIL": (brand.HELPDESK["email"], "Who receives the matching-appointment requests (addresses "
                                                   "separated by spaces)."),
    "HH_REVIEW_EMAIL": (brand.HELPDESK["email"], "Who hears of a vacancy submitted for review (addresses "
                                                 "separated by spaces)."),
    "HH_MAX_BODY_BYTES": ("65536", "Largest request body accepted, in bytes."),
    "HH_MIN_FILL_SECONDS": ("3", "A form sent sooner after its token was issued is refused (bots are fast)."),
    "HH_RATE_LIMIT": ("20/600", "At most N posts per S seconds from one client address, written 'N/S'."),
    "HH_TRUSTED_PROXIES": ("0", "How many reverse proxies in front of the endpoint add X-Forwarded-For; 0: "
                                "use the address of the connection."),
    "HH_RETENTION_DAYS": ("365", "Days after which 'hasselthelpt purge' deletes a submission (the privacy "
                                 "text promises 12 months)."),
    "HH_OUTBOX_RETRY": ("30/3600", "Back-off of the mail outbox: first retry after N seconds, doubling up to "
                                   "M seconds, written 'N/M'."),
    "HH_RELEASES": ("", "The releases folder of 'hasselthelpt publish' (relative to the project folder): /health "
                        "reports its live release and last publish, and the endpoint reads the vacancies again "
                        "when the live release changes. Empty: neither."),
    # The follow-up of sign-ups and vacancies (`hasselthelpt follow-up`, endpoint/follow_up.py).
    "HH_FOLLOW_UP_REMINDER_DAYS": ("5", "Working days (Belgian public holidays not counted) without an answer to a "
                                        "sign-up before its organisation gets one reminder."),
    "HH_FOLLOW_UP_FLAG_DAYS": ("10", "Working days without an answer before a sign-up is flagged for the coaches "
                                     "('hasselthelpt follow-up --flagged')."),
    "HH_FOLLOW_UP_VOLUNTEER_WEEKS": ("4", "Weeks after a sign-up before the volunteer is asked once whether it led "
                                          "to a match; 0: never asked."),
    "HH_FOLLOW_UP_STILL_OPEN_DAYS": ("14", "Days before a vacancy's valid_through that its contact is asked whether "
                                           "it is still open."),
    "HH_FOLLOW_UP_UNCHANGED_DAYS": ("182", "A vacancy whose file has not changed for this many days: its contact is "
                                           "asked whether it is still open; 0: never."),
    "HH_FOLLOW_UP_LINK_DAYS": ("60", "Days the answer links of a follow-up mail work (single-use links, no login)."),
}

SECRET_KEYS = {"HH_SECRET", "HH_EXPORT_TOKEN", "HH_SMTP_PASSWORD"}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    starttls: bool
    timeout: float = 20.0


@dataclass(frozen=True)
class FollowUpSettings:
    """The follow-up's HH_FOLLOW_UP_* settings (defaults: ENDPOINT_DEFAULTS)."""
    reminder_days: int = int(ENDPOINT_DEFAULTS["HH_FOLLOW_UP_REMINDER_DAYS"][0])  # working days
    flag_days: int = int(ENDPOINT_DEFAULTS["HH_FOLLOW_UP_FLAG_DAYS"][0])  # working days
    volunteer_weeks: int = int(ENDPOINT_DEFAULTS["HH_FOLLOW_UP_VOLUNTEER_WEEKS"][0])
    still_open_days: int = int(ENDPOINT_DEFAULTS["HH_FOLLOW_UP_STILL_OPEN_DAYS"][0])
    unchanged_days: int = int(ENDPOINT_DEFAULTS["HH_FOLLOW_UP_UNCHANGED_DAYS"][0])
    link_days: int = int(ENDPOINT_DEFAULTS["HH_FOLLOW_UP_LINK_DAYS"][0])


@dataclass(frozen=True)
class EndpointSettings:
    root: Path
    database: str  # a SQLite path, or a postgresql:// URL
    secret: bytes
    secret_is_random: bool
    export_token: str
    site_url: str
    allowed_origins: tuple[str, ...]
    smtp: SmtpSettings
    mail_from: str
    matchers: tuple[str, ...]
    reviewers: tuple[str, ...]
    max_body_bytes: int
    min_fill_seconds: float
    rate_limit: tuple[int, float]  # posts, per seconds
    trusted_proxies: int
    retention_days: int
    retry: tuple[float, float]  # first delay, largest delay
    releases: Path | None = None  # hasselthelpt publish's folder
    follow_up: FollowUpSettings = FollowUpSettings()


def _pair(key: str, text: str, kind=float) -> tuple:
    try:
        first, second = (kind(part) for part in text.split("/"))
    except ValueError:
        raise SettingsError(f"{key}={text!r}: write two numbers as 'N/S', e.g. "
                            f"{ENDPOINT_DEFAULTS[key][0]!r}.") from None
    if first <= 0 or second <= 0:
        raise SettingsError(f"{key}={text!r}: both numbers must be above 0.")
    return first, second


def _number(key: str, text: str, kind=int):
    try:
        value = kind(text)
    except ValueError:
        raise SettingsError(f"{key}={text!r} is not a number.") from None
    if value < 0:
        raise SettingsError(f"{key}={text!r} must not be negative.")
    return value


def _bool(key: str, text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "ja"):
        return True
    if text.lower() in ("0", "false", "no", "nee", ""):
        return False
    raise SettingsError(f"{key}={text!r}: write true or false.")


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def from_env(environ: Mapping[str, str], root: Path | None = None) -> EndpointSettings:
    """Read the endpoint's HH_* variables from `environ` (os.environ at the edge, a dict in tests)."""
    unknown = sorted(k for k in environ if k.startswith("HH_") and k not in ENDPOINT_DEFAULTS)
    if unknown:  # reported, never silently ignored; not fatal, as other HH_ tools may share the environment
        log.warning("Unknown environment variable(s) %s; the endpoint knows: %s.", ", ".join(unknown),
                    ", ".join(ENDPOINT_DEFAULTS))
    value = {k: environ.get(k, default) for k, (default, _) in ENDPOINT_DEFAULTS.items()}
    root = Path(root or value["HH_PROJECT"] or Path.cwd()).resolve()
    database = value["HH_DATABASE"]
    if not database.startswith(("postgresql://", "postgres://")):
        database = str(root / database)
    origins = []
    for origin in value["HH_ALLOWED_ORIGINS"].split():
        clean = _origin(origin)
        if clean is None:
            raise SettingsError(f"HH_ALLOWED_ORIGINS: {origin!r} is not an origin such as https://host.")
        origins.append(clean)
    site_url = value["HH_SITE_URL"].rstrip("/")
    if site_url and _origin(site_url):
        origins.append(_origin(site_url))
    secret = value["HH_SECRET"]
    count, seconds = _pair("HH_RATE_LIMIT", value["HH_RATE_LIMIT"])
    return EndpointSettings(
        root=root,
        database=database,
        secret=secret.encode() if secret else secrets.token_bytes(32),
        secret_is_random=not secret,
        export_token=value["HH_EXPORT_TOKEN"],
        site_url=site_url,
        allowed_origins=tuple(origins),
        smtp=SmtpSettings(value["HH_SMTP_HOST"], _number("HH_SMTP_PORT", value["HH_SMTP_PORT"]),
                          value["HH_SMTP_USER"], value["HH_SMTP_PASSWORD"],
                          _bool("HH_SMTP_STARTTLS", value["HH_SMTP_STARTTLS"])),
        mail_from=value["HH_MAIL_FROM"],
        matchers=tuple(value["HH_MATCHERS_EMAIL"].split()),
        reviewers=tuple(value["HH_REVIEW_EMAIL"].split()),
        max_body_bytes=_number("HH_MAX_BODY_BYTES", value["HH_MAX_BODY_BYTES"]),
        min_fill_seconds=_number("HH_MIN_FILL_SECONDS", value["HH_MIN_FILL_SECONDS"], float),
        rate_limit=(int(count), seconds),
        trusted_proxies=_number("HH_TRUSTED_PROXIES", value["HH_TRUSTED_PROXIES"]),
        retention_days=_number("HH_RETENTION_DAYS", value["HH_RETENTION_DAYS"]),
        retry=_pair("HH_OUTBOX_RETRY", value["HH_OUTBOX_RETRY"]),
        releases=root / value["HH_RELEASES"] if value["HH_RELEASES"] else None,
        follow_up=FollowUpSettings(**{
            name: _number(key, value[key]) for name, key in (
                ("reminder_days", "HH_FOLLOW_UP_REMINDER_DAYS"), ("flag_days", "HH_FOLLOW_UP_FLAG_DAYS"),
                ("volunteer_weeks", "HH_FOLLOW_UP_VOLUNTEER_WEEKS"),
                ("still_open_days", "HH_FOLLOW_UP_STILL_OPEN_DAYS"),
                ("unchanged_days", "HH_FOLLOW_UP_UNCHANGED_DAYS"), ("link_days", "HH_FOLLOW_UP_LINK_DAYS"))}),
    )
