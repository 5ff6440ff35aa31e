"""The WSGI application of the form endpoint. `create_app(settings)` builds it; routes, below its mount point:

    GET  /formtoken   a signed token for the minimum fill time (guard.py)
    POST /aanmelding  every form (the field `form` says which): sign-up, appointment request, vacancy
    GET  /export      CSV or JSON for coaches, with 'Authorization: Bearer <HH_EXPORT_TOKEN>'
    GET  /health      200 when the database answers
    /alert/...        confirm, change or stop a vacancy alert (alerts.py; POST /aanmelding with form=alert
                      subscribes)
    /opvolging/...    one-click answers and stop links of the follow-up mails (follow_up_pages.py)

A form post without JavaScript gets a 303 to the thank-you page, or a Dutch error page with a 4xx status.
A request that asks for JSON (Accept: application/json; the form script does) gets JSON: {ok, message,
errors}. A submission is answered "received" only after it is committed, together with its mails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
from typing import Callable, Iterable
from urllib.parse import parse_qs

import jinja2

from .. import brand, releases
from ..content.facts import is_one_off
from ..content.publication import active
from ..content.reading import load_index
from ..outputs.ics import task_of
from ..settings import TIMEZONE
from . import alerts, follow_up, follow_up_pages, mails
from .config import EndpointSettings
from .exports import FORMATS, KINDS, export
from .forms import Checked, FormError, Lookup, VacancyInfo, labels_of, normalise, split_meta, validate
from .guard import FormTokens, StoredRateLimiter, client_address, cross_site
from .http import Response, json_response, read_form, wants_json
from .storage import UTC, NewSubmission, Storage, open_storage

log = logging.getLogger("hasselthelpt.endpoint")

SUBMISSION_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
PRIVACY_VERSION = re.compile(r"^\d{1,3}(\.\d{1,3}){0,2}$")
THANKS_PAGES = {"aanmelding": "bedankt/", "afspraak": "afspraak/bedankt/", "vacature": "vacature-indienen/bedankt/"}
CALL_US = f"Lukt het niet? Bel ons op {brand.HELPDESK['phone']}."
RELEASE_CHECK_SECONDS = 5.0  # how often a sign-up looks whether `publish` made a new release live


def index_content(root) -> tuple[dict[str, VacancyInfo], dict[str, str]]:
    """What the forms need from the content model: vacancies (with their contact) and organisation names. Read
    from the light index (the files' fields only: no Markdown rendered, no photo opened)."""
    corpus, errors = load_index(root)
    if errors:
        log.warning("%s content error(s); run 'hasselthelpt check'. Files with errors take no sign-ups.",
                    len(errors))
    names = {slug: o.name for slug, o in corpus.organisations.items()}

    def info(v) -> VacancyInfo:
        organisation = names.get(v.organisation, v.organisation)
        task = task_of(v, organisation) if is_one_off(v) else None
        return VacancyInfo(v.slug, v.title, organisation, v.contact["name"], v.contact.get("email"), v, task)

    vacancies = {slug: info(v) for slug, v in corpus.vacancies.items()}
    # The vacancy form offers (and accepts) the organisations that are not archived.
    return vacancies, {o.slug: o.name for o in active(corpus.organisations)}


class Endpoint:
    """The WSGI application, with its context: settings, storage, clock and content. No module state."""

    def __init__(self, settings: EndpointSettings, storage: Storage, clock: Callable[[], dt.datetime],
                 vacancies: dict[str, VacancyInfo], organisations: dict[str, str],
                 on_stored: Callable[[], None] | None = None):
        self.settings, self.storage, self.clock = settings, storage, clock
        self.vacancies, self.organisations = vacancies, organisations
        self.on_stored = on_stored or (lambda: None)
        self.pages = pages()
        self.tokens = FormTokens(settings.secret, lambda: self.clock().timestamp())
        self.limiter = StoredRateLimiter(storage, *settings.rate_limit, clock=lambda: self.clock())
        self.routes = {"/formtoken": ("GET", self.formtoken), "/aanmelding": ("POST", self.submit),
                       "/export": ("GET", self.export), "/health": ("GET", self.health)}
        self.release = releases.live_name(settings.releases) if settings.releases else None
        self.release_checked = self.clock().timestamp()
        self.alerts = alerts.Alerts(self)
        self.routes.update({"/alert/bevestig": ("GET POST", self.alerts.confirm),
                            "/alert/beheer": ("GET POST", self.alerts.manage),
                            "/alert/stop": ("GET POST", self.alerts.stop)})
        self.follow_up = follow_up_pages.FollowUpPages(self)
        self.routes.update(self.follow_up.routes())

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            response = self.route(environ)
        except Exception:
            log.exception("Unexpected error")
            response = self.refuse(environ, FormError("Er ging iets mis bij ons. Probeer het over een paar "
                                                      f"minuten opnieuw. {CALL_US}", status=500))
        return response(environ, start_response)

    def route(self, environ: dict) -> Response:
        path = environ.get("PATH_INFO") or "/"
        if path not in self.routes:
            return self.refuse(environ, FormError("Deze pagina bestaat niet.", status=404))
        method, handler = self.routes[path]
        allowed = method.split() + (["HEAD"] if "GET" in method else [])
        if environ.get("REQUEST_METHOD", "GET") not in allowed:
            response = self.refuse(environ, FormError("Dit adres werkt zo niet.", status=405))
            response.headers.append(("Allow", ", ".join(method.split())))
            return response
        try:
            return handler(environ)
        except FormError as exc:
            return self.refuse(environ, exc)

    def reload_content(self) -> None:
        """Read the vacancies and organisations again (`hasselthelpt serve` after each good build)."""
        self.vacancies, self.organisations = index_content(self.settings.root)

    def follow_release(self) -> None:
        """After `hasselthelpt publish` made a new release live (HH_RELEASES/current points elsewhere), read the
        content again: the forms then know the vacancies the site shows. One readlink every few seconds."""
        now = self.clock().timestamp()
        if self.settings.releases is None or now - self.release_checked < RELEASE_CHECK_SECONDS:
            return
        self.release_checked = now
        live = releases.live_name(self.settings.releases)
        if live != self.release:
            log.info("Release %s is live: reading the content again.", live)
            self.reload_content()
            self.release = live

    # --- answers ---

    def site_root(self, environ: dict) -> str:
        """The site's address: HH_SITE_URL, or else the folder above this app's mount point (/api)."""
        if self.settings.site_url:
            return self.settings.site_url + "/"
        return environ.get("SCRIPT_NAME", "").rstrip("/").rpartition("/")[0] + "/"

    def refuse(self, environ: dict, error: FormError) -> Response:
        log.info("Refused %s %s: %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), error.status,
                 error.message)
        if wants_json(environ):
            return json_response(error.status, {"ok": False, "message": error.message, "errors": error.errors,
                                                "labels": {k: v for k, v in error.labels.items() if k in error.errors}})
        return Response(error.status, error_page(self.pages, error, self.site_root(environ)).encode(),
                        [("Content-Type", "text/html; charset=utf-8")])

    # --- routes ---

    def health(self, environ: dict) -> Response:
        """200 when the database answers, with the outbox backlog and (HH_RELEASES) the live release, its age
        and the last publish's result, for a monitoring check to alert on."""
        try:
            self.storage.count()
            outbox = self.storage.outbox_state()
        except Exception:
            log.exception("Health check: no database")
            return json_response(503, {"ok": False})
        body = {"ok": True, "outbox": {"pending": outbox.pending, "failing": len(outbox.failing),
                                       "dead": len(outbox.dead)}}
        if self.settings.releases:
            body["release"] = releases.health(self.settings.releases, self.clock())
        return json_response(200, body)

    def formtoken(self, environ: dict) -> Response:
        return json_response(200, {"token": self.tokens.issue(), "min_seconds": self.settings.min_fill_seconds})

    def submit(self, environ: dict) -> Response:
        wait = self.limiter.hit(client_address(environ, self.settings.trusted_proxies))
        if wait:
            minutes = max(1, round(wait / 60))
            error = FormError(f"Er kwamen heel veel berichten na elkaar van jouw verbinding. Wacht {minutes} "
                              f"minu{'ut' if minutes == 1 else 'ten'} en probeer dan opnieuw. {CALL_US}", status=429)
            response = self.refuse(environ, error)
            response.headers.append(("Retry-After", str(int(wait) + 1)))
            return response
        if cross_site(environ, self.settings.allowed_origins):
            raise FormError("Dit formulier kan je alleen versturen vanaf de website van HASSELT Helpt. Ga naar "
                            "de website en vul het daar in.", status=403)
        meta = split_meta(normalise(read_form(environ, self.settings.max_body_bytes)))
        if meta.honeypot:
            raise FormError("Het verborgen veld 'Laat dit veld leeg' is ingevuld. Maak het leeg en verstuur "
                            "het formulier opnieuw.", {"website": "Laat dit veld leeg."})
        age = self.tokens.age(meta.token) if meta.token else None
        if age is not None and age < self.settings.min_fill_seconds:
            raise FormError("Je hebt het formulier heel snel verstuurd. Wacht een paar seconden en klik dan "
                            "opnieuw op de knop.")
        if not PRIVACY_VERSION.match(meta.privacy_version) or (meta.submission_id and
                                                               not SUBMISSION_ID.match(meta.submission_id)):
            raise FormError("Het formulier kon niet gelezen worden. Laad de pagina opnieuw en probeer nog eens.")
        self.follow_release()
        now = self.clock()
        if meta.form == alerts.FORM:
            return self.alerts.subscribe(environ, meta, now)
        lookup = Lookup(self.vacancies, self.organisations, now.astimezone(TIMEZONE).date())
        consent_error = {} if meta.consent else {
            "consent": "Vink dit aan. Zonder je toestemming mogen we je gegevens niet gebruiken."}
        try:
            checked = validate(meta.form, meta.rest, lookup)
        except FormError as exc:
            exc.errors.update(consent_error)
            exc.labels["consent"] = "Toestemming"
            raise
        if consent_error:
            raise FormError("Je gaf nog geen toestemming. Vink het vakje onderaan aan.", consent_error,
                            {**labels_of(meta.form), "consent": "Toestemming"})
        return self.store(environ, meta.form, meta.submission_id, meta.privacy_version, checked, now)

    def store(self, environ: dict, form: str, submission_id: str, privacy_version: str, checked: Checked,
              now: dt.datetime) -> Response:
        if submission_id:
            key = f"c:{form}:{submission_id}"
        else:  # no script: the same form sent twice on one day is one submission
            canonical = json.dumps(checked.data, sort_keys=True, ensure_ascii=False)
            key = "h:" + hashlib.sha256(f"{form}|{canonical}|{now.date()}".encode()).hexdigest()
        if form == "aanmelding":
            vacancy = self.vacancies[checked.vacancy]
            api, today = self.alerts.api_url(environ), now.astimezone(TIMEZONE).date()
            queued = lambda record_id: mails.signup_mails(  # noqa: E731 - the links name the new sign-up
                checked, vacancy, self.settings, today,
                *follow_up.signup_link_blocks(follow_up.signup_links(self.settings.secret, api, record_id, key)))
            thanks = (f"Bedankt! Je aanmelding is goed aangekomen. {vacancy.contact_name} neemt binnen een week "
                      "contact met je op. Je krijgt ook een bevestiging per e-mail.")
        elif form == "afspraak":
            queued = mails.appointment_mails(checked, self.settings)
            thanks = ("Bedankt! We hebben je vraag goed ontvangen. Een vrijwilligersmatcher neemt binnen een week "
                      "contact met je op.")
        else:
            queued = mails.submission_mails(checked, self.settings, self.organisations)
            thanks = "Bedankt! We hebben je vacature goed ontvangen. Binnen vijf werkdagen hoor je van ons."
        sub = NewSubmission(form, key, checked.data, privacy_version, checked.email, checked.phone,
                            checked.contact_email, checked.vacancy, "pending" if form == "vacature" else None)
        try:
            record_id, created = self.storage.add_submission(sub, queued, now)
        except Exception:
            log.exception("Could not store a %s", form)
            raise FormError("We kunnen je bericht nu niet bewaren. Probeer het over een paar minuten opnieuw. "
                            f"{CALL_US}", status=503) from None
        if created:
            log.info("Stored %s %s", form, record_id)
            self.on_stored()
        if wants_json(environ):
            return json_response(200, {"ok": True, "message": thanks})  # no database id: it would tell a count
        return Response(303, b"", [("Location", self.site_root(environ) + THANKS_PAGES[form])])

    def export(self, environ: dict) -> Response:
        token = self.settings.export_token
        if not token:
            raise FormError("Exports staan uit: er is geen HH_EXPORT_TOKEN ingesteld.", status=403)
        scheme, _, given = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            self.storage.log("export-refused", {"reason": "missing or wrong token"}, self.clock())
            if self.limiter.hit(client_address(environ, self.settings.trusted_proxies)):  # guessing: slow down
                raise FormError("Te veel pogingen. Probeer het later opnieuw.", status=429)
            response = self.refuse(environ, FormError("Je hebt geen toegang: de sleutel ontbreekt of is fout.",
                                                      status=401))
            response.headers.append(("WWW-Authenticate", 'Bearer realm="hasselthelpt"'))
            return response
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        fmt, kind, since = query.get("format", "csv"), query.get("kind") or None, query.get("since")
        if fmt not in FORMATS or (kind and kind not in KINDS):
            raise FormError(f"Kies format uit {', '.join(FORMATS)} en kind uit {', '.join(KINDS)}.")
        try:
            since_at = dt.datetime.combine(dt.date.fromisoformat(since), dt.time(), TIMEZONE) if since else None
        except ValueError:
            raise FormError("Schrijf since als een datum: 2026-01-31.") from None
        text, _ = export(self.storage, fmt, kind, since_at, "http", self.clock())
        name = f"hasselthelpt-{kind or 'alle'}-{self.clock().date()}.{fmt}"
        return Response(200, text.encode(), [("Content-Type", FORMATS[fmt]),
                                             ("Content-Disposition", f'attachment; filename="{name}"')])


ERROR_TEMPLATE = "form_error.html"  # in theme/templates/


def pages() -> jinja2.Environment:
    """The theme's templates for the endpoint's own pages, without the site's build."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(brand.THEME_DIR / "templates"), autoescape=True,
                              keep_trailing_newline=True)


def error_page(env: jinja2.Environment, error: FormError, site_root: str) -> str:
    """A small page in the site's style for a refused form without JavaScript."""
    problems = [(error.labels.get(name, name), message) for name, message in error.errors.items() if name != "website"]
    return env.get_template(ERROR_TEMPLATE).render(
        brand=brand, error=error, problems=problems, site_root=site_root,
        go_back=error.status < 500 or error.status == 503)


def create_app(settings: EndpointSettings, storage: Storage | None = None,
               clock: Callable[[], dt.datetime] | None = None, on_stored: Callable[[], None] | None = None,
               content: tuple[dict[str, VacancyInfo], dict[str, str]] | None = None) -> Endpoint:
    """The endpoint for these settings. `storage` defaults to HH_DATABASE (migrated here), `content` to the
    vacancies and organisations below settings.root, `clock` to the current time (UTC)."""
    if storage is None:
        storage = open_storage(settings.database)
    storage.migrate()
    if settings.secret_is_random:
        log.warning("HH_SECRET is not set: a random key signs the form tokens of this process.")
    vacancies, organisations = content if content is not None else index_content(settings.root)
    return Endpoint(settings, storage, clock or (lambda: dt.datetime.now(UTC)), vacancies, organisations,
                    on_stored)
