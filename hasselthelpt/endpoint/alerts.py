"""Vacancy alerts: a resident subscribes to the search filters of a page and gets a short digest by mail
(endpoint/digest.py writes it). Routes, below the endpoint's mount point:

    POST /aanmelding         with form=alert: subscribe (the other forms' rate limit, cross-site check, honeypot)
    GET  /alert/bevestig?t=  a page with one button; POST confirms (double opt-in: nothing is sent before)
    GET  /alert/beheer?t=    change how often, or stop; POST saves
    GET  /alert/stop?t=      a page with one button; POST stops at once (RFC 8058 one-click: the mail
                             program posts 'List-Unsubscribe=One-Click', from its own server: no cross-site check)

Links carry a token signed with HH_SECRET (HMAC-SHA256 over purpose, id and address), so no login is needed
and a link cannot be changed into another person's. A subscription not confirmed within CONFIRM_DAYS expires.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import html
import json
from dataclasses import dataclass

from .. import brand
from ..content.schema import EMAIL_LENGTH
from ..content.search_filters import search_facets
from .forms import SAFE_EMAIL, FormError, Meta
from .guard import client_address, cross_site
from .http import Response, json_response, read_form, wants_json
from .mails import SIGNATURE
from .signed_links import local_day, query_token, sign, token_id
from .storage import Mail, Storage, email_key, parse_stamp, stamp

FORM = "alert"
CONFIRM_DAYS = 7
FREQUENCIES = {"week": "elke week", "maand": "elke maand"}
ORGANISATION = "organisatie"
MAX_VALUES = 60
PAGE_TEMPLATE = "alert_page.html"  # in theme/templates/, like the endpoint's error page


@functools.cache
def facets() -> dict[str, dict]:
    """The search page's filters, less the type: alerts are about vacancies. (Plus the organisation, which the
    search page has not.)"""
    return {f["key"]: f for f in search_facets([]) if f["key"] != "type"}


@dataclass(frozen=True)
class Subscription:
    id: int
    email: str
    filters: dict[str, list[str]]
    frequency: str
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    covered_until: dt.date | None
    next_digest: dt.date | None


_COLUMNS = "id, email, filters, frequency, created_at, confirmed_at, covered_until, next_digest"


def _subscription(row: tuple) -> Subscription:
    day = lambda text: dt.date.fromisoformat(text) if text else None  # noqa: E731
    return Subscription(int(row[0]), row[1], json.loads(row[2]), row[3], parse_stamp(row[4]),
                        parse_stamp(row[5]) if row[5] else None, day(row[6]), day(row[7]))


# --- filters, tokens, dates: pure ---

def read_filters(fields: dict[str, list[str]], organisations: dict[str, str]) -> dict[str, list[str]]:
    """The posted filters as {facet: sorted values}; a value no filter knows is refused, not dropped."""
    out: dict[str, list[str]] = {}
    for key, values in fields.items():
        values = sorted({v.strip() for v in values if v.strip()})
        if not values:
            continue
        if key == ORGANISATION:
            known = organisations
        elif key == "leeftijd":
            known = {v: v for v in values if v.isdigit() and len(v) <= 2}
        elif key in facets():
            known = facets()[key]["options"]
        else:
            raise FormError("Het formulier stuurde een onbekend veld mee. Laad de pagina opnieuw en probeer nog eens.")
        if any(v not in known for v in values) or len(values) > MAX_VALUES:
            raise FormError("Een filter van het formulier kennen we niet. Laad de pagina opnieuw en probeer nog eens.")
        out[key] = values
    return dict(sorted(out.items()))


def describe(filters: dict[str, list[str]], organisations: dict[str, str]) -> str:
    """The filters in Dutch, for mails and pages: 'Thema: Jeugd of Sport; Waar: Kermt'."""
    parts = []
    for key, values in filters.items():
        if key == ORGANISATION:
            legend, labels = "Organisatie", organisations
        elif key == "leeftijd":
            legend, labels = "Leeftijd", {v: f"vanaf {v} jaar" for v in values}
        else:
            legend, labels = facets()[key]["legend"].rstrip("?"), facets()[key]["options"]
        parts.append(f"{legend}: {' of '.join(labels.get(v, v) for v in values)}")
    return "; ".join(parts) or "alle nieuwe vacatures"


def next_day(frequency: str, day: dt.date) -> dt.date:
    """The day after `day` on which the next digest is due: a week, or a calendar month, later."""
    if frequency == "week":
        return day + dt.timedelta(days=7)
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- the store ---

def get(storage: Storage, sub_id: int) -> Subscription | None:
    rows = storage._read(f"SELECT {_COLUMNS} FROM subscriptions WHERE id = ?", (sub_id,))
    return _subscription(rows[0]) if rows else None


def subscriptions(storage: Storage, email: str | None = None) -> list[Subscription]:
    """All subscriptions (for exports), or those of one address."""
    sql, params = f"SELECT {_COLUMNS} FROM subscriptions", ()
    if email:
        sql, params = sql + " WHERE email = ?", (email_key(email),)
    return [_subscription(r) for r in storage._read(sql + " ORDER BY id", params)]


def due(storage: Storage, today: dt.date) -> list[Subscription]:
    return [_subscription(r) for r in storage._read(
        f"SELECT {_COLUMNS} FROM subscriptions WHERE confirmed_at IS NOT NULL AND next_digest <= ? ORDER BY id",
        (today.isoformat(),))]


def subscribe(storage: Storage, email: str, filters: dict, frequency: str, privacy_version: str,
              now: dt.datetime, confirmation) -> Subscription:
    """Store (or find) the subscription and queue its confirmation mail, `confirmation(sub)`, in one
    transaction. A confirmed one keeps its frequency (that changes on the page behind the mail's link)."""
    with storage.transaction() as cur:
        row = cur.all(
            "INSERT INTO subscriptions (email, filters, frequency, created_at, privacy_version) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (email, filters) DO UPDATE SET "
            "frequency = CASE WHEN subscriptions.confirmed_at IS NULL THEN excluded.frequency "
            "ELSE subscriptions.frequency END, "
            "created_at = CASE WHEN subscriptions.confirmed_at IS NULL THEN excluded.created_at "
            "ELSE subscriptions.created_at END, privacy_version = excluded.privacy_version "
            f"RETURNING {_COLUMNS}",
            (email_key(email), json.dumps(filters, sort_keys=True), frequency, stamp(now), privacy_version))[0]
        sub = _subscription(row)
        storage._queue(cur, None, [confirmation(sub)], now, subscription_id=sub.id)
    return sub


def confirm(storage: Storage, sub_id: int, now: dt.datetime) -> bool:
    """Confirm a subscription that has not expired; the first digest is due one period later, with the
    vacancies published from tomorrow on. False when it was confirmed before or has expired."""
    today = local_day(now)
    with storage.transaction() as cur:
        frequency = cur.all("SELECT frequency FROM subscriptions WHERE id = ?", (sub_id,))
        if not frequency:
            return False
        return bool(cur.all(
            "UPDATE subscriptions SET confirmed_at = ?, covered_until = ?, next_digest = ? "
            "WHERE id = ? AND confirmed_at IS NULL AND created_at >= ? RETURNING id",
            (stamp(now), today.isoformat(), next_day(frequency[0][0], today).isoformat(), sub_id,
             stamp(now - dt.timedelta(days=CONFIRM_DAYS)))))


def change(storage: Storage, sub_id: int, frequency: str) -> None:
    with storage.transaction() as cur:
        cur.run("UPDATE subscriptions SET frequency = ? WHERE id = ?", (frequency, sub_id))


def stop(storage: Storage, sub_id: int, now: dt.datetime) -> bool:
    """End a subscription: it and its mails not sent yet are deleted. False when it was gone already."""
    with storage.transaction() as cur:
        cur.run("DELETE FROM outbox WHERE subscription_id = ? AND sent_at IS NULL", (sub_id,))
        gone = bool(cur.all("DELETE FROM subscriptions WHERE id = ? RETURNING id", (sub_id,)))
        if gone:
            cur.run("INSERT INTO audit_log (at, action, detail) VALUES (?, ?, ?)",
                    (stamp(now), "alert-stop", json.dumps({"subscription": sub_id})))
    return gone


def expire(storage: Storage, now: dt.datetime) -> int:
    """Delete the subscriptions left unconfirmed for CONFIRM_DAYS, and their unsent mails; returns how many."""
    cutoff = stamp(now - dt.timedelta(days=CONFIRM_DAYS))
    with storage.transaction() as cur:
        cur.run("DELETE FROM outbox WHERE sent_at IS NULL AND subscription_id IN "
                "(SELECT id FROM subscriptions WHERE confirmed_at IS NULL AND created_at < ?)", (cutoff,))
        return len(cur.all("DELETE FROM subscriptions WHERE confirmed_at IS NULL AND created_at < ? RETURNING id",
                           (cutoff,)))


def record_digests(storage: Storage, done: list[tuple[Subscription, Mail | None]], now: dt.datetime) -> int:
    """Mark these subscriptions as served up to today and queue their mails, in one transaction. A
    subscription another run served meanwhile (its next_digest moved) is skipped: a digest is never sent
    twice. Returns how many mails were queued."""
    queued, today = 0, local_day(now)
    with storage.transaction() as cur:
        for sub, mail in done:
            if cur.all("UPDATE subscriptions SET covered_until = ?, next_digest = ? WHERE id = ? AND next_digest = ? "
                       "RETURNING id", (today.isoformat(), next_day(sub.frequency, today).isoformat(), sub.id,
                                        sub.next_digest.isoformat())) and mail:
                storage._queue(cur, None, [mail], now, subscription_id=sub.id)
                queued += 1
    return queued


# --- mails ---

def links(secret: bytes, api_url: str, sub: Subscription) -> dict[str, str]:
    """The signed links of one subscription, absolute (`api_url`: the endpoint's public address)."""
    return {"confirm": f"{api_url}/alert/bevestig?t={sign(secret, 'confirm', sub.id, sub.email)}",
            "manage": f"{api_url}/alert/beheer?t={sign(secret, 'manage', sub.id, sub.email)}",
            "stop": f"{api_url}/alert/stop?t={sign(secret, 'manage', sub.id, sub.email)}"}


def confirmation_mail(sub: Subscription, urls: dict[str, str], summary: str) -> Mail:
    text = (f"Dag,\n\nJe vroeg om mails over nieuwe vacatures bij {brand.NAME}, {FREQUENCIES[sub.frequency]}.\n"
            f"Je filters: {summary}.\n\nKlik op deze link om het te bevestigen:\n{urls['confirm']}\n\n"
            f"Pas daarna krijgen we mails van je. Bevestig je niet binnen {CONFIRM_DAYS} dagen, dan wissen we je "
            "adres.\nHeb jij dit niet gevraagd? Dan mag je deze mail negeren." + SIGNATURE)
    esc = html.escape
    body = (f"<p>Dag,</p><p>Je vroeg om mails over nieuwe vacatures bij {esc(brand.NAME)}, "
            f"{FREQUENCIES[sub.frequency]}.<br>Je filters: {esc(summary)}.</p>"
            f'<p><a href="{esc(urls["confirm"])}">Bevestig je e-mailadres</a></p>'
            f"<p>Pas daarna krijgen we mails van je. Bevestig je niet binnen {CONFIRM_DAYS} dagen, dan wissen we je "
            "adres. Heb jij dit niet gevraagd? Dan mag je deze mail negeren.</p>" + signature_html())
    return Mail(sub.email, "Bevestig je e-mailadres voor vacature-alerts", text, html=body)


def signature_html() -> str:
    esc = html.escape
    return (f"<p>Vriendelijke groeten,<br>{esc(brand.NAME)}<br>Vragen? Bel {esc(brand.HELPDESK['phone'])} of mail "
            f"{esc(brand.HELPDESK['email'])}.</p>")


# --- the routes ---

class Alerts:
    """The alert routes of one endpoint (app.Endpoint): its settings, storage, clock and answers."""

    def __init__(self, endpoint):  # an app.Endpoint; not imported, as app.py imports this module
        self.ep = endpoint

    def api_url(self, environ: dict) -> str:
        """The endpoint's public address: beside the site (HH_SITE_URL), else on the requested host."""
        mount = environ.get("SCRIPT_NAME", "").rstrip("/")
        if self.ep.settings.site_url:
            return self.ep.settings.site_url + "/" + mount.rpartition("/")[2]
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "localhost")
        return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{mount}"

    def email_of(self, sub_id: int) -> str | None:
        sub = get(self.ep.storage, sub_id)
        return sub.email if sub else None

    def subscribe(self, environ: dict, meta: Meta, now: dt.datetime) -> Response:

        fields = dict(meta.rest)
        email = (fields.pop("email", None) or [""])[0].strip()
        frequency = (fields.pop("frequency", None) or ["week"])[0]
        errors = {}
        if len(email) > EMAIL_LENGTH or not SAFE_EMAIL.match(email):
            errors["email"] = "Vul je e-mailadres in, bijvoorbeeld naam@voorbeeld.be."
        if frequency not in FREQUENCIES:
            errors["frequency"] = "Kies elke week of elke maand."
        if not meta.consent:
            errors["consent"] = "Vink dit aan. Zonder je toestemming mogen we je geen mails sturen."
        filters = read_filters(fields, self.ep.organisations)
        if errors:
            raise FormError("Nog niet alles is juist ingevuld.", errors,
                            {"email": "Je e-mailadres", "frequency": "Hoe vaak", "consent": "Toestemming"})
        summary = describe(filters, self.ep.organisations)
        api = self.api_url(environ)
        subscribe(self.ep.storage, email, filters, frequency, meta.privacy_version, now,
                  lambda sub: confirmation_mail(sub, links(self.ep.settings.secret, api, sub), summary))
        self.ep.on_stored()
        message = ("Bijna klaar! We stuurden je een mail. Klik op de link in die mail om je alert te bevestigen. "
                   "Pas daarna krijg je mails over nieuwe vacatures.")
        if wants_json(environ):
            return json_response(200, {"ok": True, "message": message})
        return self.page(environ, 200, "Kijk in je mailbox", f'<p class="lead" role="status">{html.escape(message)}</p>')

    def _guard(self, environ: dict, same_site: bool = True) -> None:
        if self.ep.limiter.hit(client_address(environ, self.ep.settings.trusted_proxies)):
            raise FormError("Er kwamen heel veel berichten na elkaar van jouw verbinding. Probeer het later opnieuw.",
                            status=429)
        if same_site and cross_site(environ, self.ep.settings.allowed_origins):
            raise FormError("Dit formulier kan je alleen versturen vanaf de website van HASSELT Helpt.", status=403)

    def _sub(self, environ: dict, purpose: str) -> Subscription:
        sub_id = token_id(self.ep.settings.secret, purpose, query_token(environ), self.email_of)
        sub = get(self.ep.storage, sub_id) if sub_id is not None else None
        if sub is None:
            raise FormError("Deze link werkt niet (meer). Misschien is de alert al gestopt, of is de link niet "
                            "helemaal overgenomen. Schrijf je gerust opnieuw in.", status=404)
        return sub

    def confirm(self, environ: dict) -> Response:
        if environ.get("REQUEST_METHOD") == "POST":
            self._guard(environ)
            sub = self._sub(environ, "confirm")
            if not confirm(self.ep.storage, sub.id, self.ep.clock()) and sub.confirmed_at is None:
                raise FormError(f"Deze link is verlopen: bevestigen kan {CONFIRM_DAYS} dagen. Schrijf je opnieuw in.")
            return self.manage_page(environ, get(self.ep.storage, sub.id), "Je alert is bevestigd. Je krijgt "
                                    f"{FREQUENCIES[sub.frequency]} een mail als er nieuwe vacatures zijn.")
        sub = self._sub(environ, "confirm")
        if sub.confirmed_at:
            return self.manage_page(environ, sub, "Je alert was al bevestigd.")
        return self.page(environ, 200, "Bevestig je alert",
                         f"<p>Je filters: {html.escape(describe(sub.filters, self.ep.organisations))}.</p>"
                         + self.button(environ, "bevestig", "Ja, stuur me mails over nieuwe vacatures"))

    def manage(self, environ: dict) -> Response:
        if environ.get("REQUEST_METHOD") == "POST":
            self._guard(environ)
            sub = self._sub(environ, "manage")

            form = read_form(environ, self.ep.settings.max_body_bytes)
            if (form.get("action") or [""])[-1] == "stop":
                stop(self.ep.storage, sub.id, self.ep.clock())
                return self.stopped(environ)
            frequency = (form.get("frequency") or [""])[-1]
            if frequency not in FREQUENCIES:
                raise FormError("Kies elke week of elke maand.")
            change(self.ep.storage, sub.id, frequency)
            return self.manage_page(environ, get(self.ep.storage, sub.id), "Opgeslagen.")
        return self.manage_page(environ, self._sub(environ, "manage"))

    def stop(self, environ: dict) -> Response:
        if environ.get("REQUEST_METHOD") == "POST":  # one click (RFC 8058) or the button below
            self._guard(environ, same_site=False)
            stop(self.ep.storage, self._sub(environ, "manage").id, self.ep.clock())
            return self.stopped(environ)
        sub = self._sub(environ, "manage")
        return self.page(environ, 200, "Stop je alert",
                         f"<p>Je filters: {html.escape(describe(sub.filters, self.ep.organisations))}.</p>"
                         + self.button(environ, "stop", "Stop deze alert"))

    # --- pages ---

    def button(self, environ: dict, route: str, label: str, inner: str = "", token: str | None = None) -> str:
        """A form of one button that posts to this route, with the token of the page (or `token`)."""
        action = f"{environ.get('SCRIPT_NAME', '')}/alert/{route}?t={token or query_token(environ)}"
        return (f'<form method="post" action="{html.escape(action)}" class="form">{inner}'
                f'<p><button type="submit" class="button">{html.escape(label)}</button></p></form>')

    def manage_page(self, environ: dict, sub: Subscription, notice: str = "") -> Response:
        choices = "".join(
            f'<li class="field-check"><input type="radio" id="f-{key}" name="frequency" value="{key}"'
            f'{" checked" if key == sub.frequency else ""}><label for="f-{key}">{label.capitalize()}</label></li>'
            for key, label in FREQUENCIES.items())
        token = sign(self.ep.settings.secret, "manage", sub.id, sub.email)  # also after confirming
        stop_form = self.button(environ, "beheer", "Stop deze alert", '<input type="hidden" name="action" value="stop">',
                                token)
        if notice:
            notice = f'<p class="lead" role="status">{html.escape(notice)}</p>'
        return self.page(environ, 200, "Je alert", notice
                         + f"<p>Je filters: {html.escape(describe(sub.filters, self.ep.organisations))}.</p>"
                         + self.button(environ, "beheer", "Opslaan",
                                       f'<fieldset class="field choices"><legend>Hoe vaak wil je een mail?</legend>'
                                       f'<ul class="choice-list">{choices}</ul></fieldset>', token)
                         + "<h2>Geen mails meer?</h2>" + stop_form)

    def stopped(self, environ: dict) -> Response:
        return self.page(environ, 200, "Je alert is gestopt",
                         '<p class="lead" role="status">Je krijgt van deze alert geen mails meer. We wisten je '
                         "adres en je filters.</p>")

    def page(self, environ: dict, status: int, title: str, inner: str) -> Response:
        from markupsafe import Markup

        text = self.ep.pages.get_template(PAGE_TEMPLATE).render(
            brand=brand, title=title, inner=Markup(inner), site_root=self.ep.site_root(environ))  # inner: escaped here
        return Response(status, text.encode(), [("Content-Type", "text/html; charset=utf-8")])
