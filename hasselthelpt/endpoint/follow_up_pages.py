"""The pages behind the follow-up mails' links (follow_up.py), below the endpoint's mount point:

    GET/POST /opvolging/organisatie?a=ANSWER&t=   the organisation: contact opgenomen, match, geen match
    GET/POST /opvolging/vrijwilliger?a=ANSWER&t=  the volunteer: match, geen match, nog niets (and a free text)
    GET/POST /opvolging/stop?w=PARTY&t=           no more mail about this sign-up (also List-Unsubscribe one-click)
    GET/POST /opvolging/vacature?t=               "still open?": keep open until a date, filled, or close
    GET/POST /opvolging/vacature-stop?t=          no more "still open?" about this vacancy

A GET shows a page with a button and records nothing (mail systems' link scanners open links); the POST records,
once. Tokens are the alerts' (signed_links.sign); an answer link works HH_FOLLOW_UP_LINK_DAYS. The pages are the
alerts' (alerts.Alerts.page) and their guard (rate limit, and the cross-site check for the buttons).
"""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import parse_qs

from . import follow_up, vacancy_changes
from .signed_links import local_day, query_token, token_id
from .forms import FormError
from .http import Response, read_form
from .storage import Record

GONE = ("Deze link werkt niet (meer). Misschien is de aanmelding al gewist, of is de link niet helemaal "
        "overgenomen.")
NOTE_LENGTH = 1000


def _query(environ: dict, name: str) -> str:
    return (parse_qs(environ.get("QUERY_STRING", "")).get(name) or [""])[-1]


def _field(form: dict, name: str) -> str:
    """One posted field (read_form: lists from a web form, values from JSON), stripped."""
    value = form.get(name)
    return str((value or [""])[-1] if isinstance(value, list) else value or "").strip()


class FollowUpPages:
    def __init__(self, endpoint):  # an app.Endpoint (app.py imports this module)
        self.ep = endpoint

    def routes(self) -> dict:
        return {"/opvolging/organisatie": ("GET POST", self.organisation),
                "/opvolging/vrijwilliger": ("GET POST", self.volunteer),
                "/opvolging/stop": ("GET POST", self.stop),
                "/opvolging/vacature": ("GET POST", self.vacancy),
                "/opvolging/vacature-stop": ("GET POST", self.vacancy_stop)}

    # --- helpers ---

    def _signup(self, environ: dict, purpose: str) -> Record:
        def key_of(submission_id: int) -> str | None:
            record = self.ep.storage.get(submission_id)
            return record.idem_key if record and record.kind == follow_up.SIGNUP else None

        found = token_id(self.ep.settings.secret, purpose, query_token(environ), key_of)
        record = self.ep.storage.get(found) if found is not None else None
        if record is None:
            raise FormError(GONE, status=404)
        return record

    def _expired(self, since: dt.datetime | None) -> bool:
        days = self.ep.settings.follow_up.link_days
        return since is None or self.ep.clock() > since + dt.timedelta(days=days)

    def _expired_error(self) -> FormError:
        return FormError(f"Deze link is verlopen: hij werkt {self.ep.settings.follow_up.link_days} dagen. Bel of "
                         "mail ons gerust.", status=410)

    def _title(self, slug: str | None) -> str:
        info = self.ep.vacancies.get(slug or "")
        return info.title if info else (slug or "")

    def _form(self, environ: dict, inner: str, label: str) -> str:
        """A form that posts to this same address (its query holds the token)."""
        action = f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
        return (f'<form method="post" action="{html.escape(action)}" class="form">{inner}'
                f'<p><button type="submit" class="button">{html.escape(label)}</button></p></form>')

    def _done(self, environ: dict, title: str, message: str) -> Response:
        return self.ep.alerts.page(environ, 200, title, f'<p class="lead" role="status">{html.escape(message)}</p>')

    def _about(self, record: Record) -> str:
        return (f"<p>Aanmelding voor ‘{html.escape(self._title(record.vacancy))}’ van "
                f"{local_day(record.created_at):%d-%m-%Y}.</p>")

    # --- the organisation ---

    def organisation(self, environ: dict) -> Response:
        answer = _query(environ, "a")
        if answer not in follow_up.ORG_ANSWERS:
            raise FormError(GONE, status=404)
        record = self._signup(environ, f"follow-org:{answer}")
        label = follow_up.ORG_ANSWERS[answer]
        if self._expired(record.created_at):
            raise self._expired_error()
        if environ.get("REQUEST_METHOD") == "POST":
            self.ep.alerts._guard(environ)
            if follow_up.record_org_answer(self.ep.storage, record.id, answer, self.ep.clock()):
                return self._done(environ, "Bedankt", f"Genoteerd: {label}. Bedankt om het te laten weten.")
            return self._done(environ, "Al genoteerd", "Dit antwoord was al genoteerd. Je hoeft niets meer te doen.")
        if not follow_up.org_may_answer(follow_up.answer_of(self.ep.storage, record.id), answer):
            return self._done(environ, "Al genoteerd", "Dit antwoord was al genoteerd. Je hoeft niets meer te doen.")
        return self.ep.alerts.page(environ, 200, f"Bevestig: {label}",
                                   self._about(record) + self._form(environ, "", f"Ja: {label}"))

    # --- the volunteer ---

    def volunteer(self, environ: dict) -> Response:
        answer = _query(environ, "a")
        if answer not in follow_up.VOLUNTEER_ANSWERS:
            raise FormError(GONE, status=404)
        record = self._signup(environ, f"follow-volunteer:{answer}")
        label = follow_up.VOLUNTEER_ANSWERS[answer]
        state = follow_up.state(self.ep.storage, record.id)
        if self._expired(state.volunteer_asked_at):
            raise self._expired_error()
        if environ.get("REQUEST_METHOD") == "POST":
            self.ep.alerts._guard(environ)
            form = read_form(environ, self.ep.settings.max_body_bytes)
            note = _field(form, "note")
            if len(note) > NOTE_LENGTH:
                raise FormError(f"Je tekst is te lang: schrijf hoogstens {NOTE_LENGTH} tekens.")
            if follow_up.record_volunteer_answer(self.ep.storage, record.id, answer, note, self.ep.clock()):
                return self._done(environ, "Bedankt", f"Genoteerd: {label}. Bedankt om het te laten weten.")
            return self._done(environ, "Al genoteerd", "Je antwoord was al genoteerd. Je hoeft niets meer te doen.")
        if state.volunteer_answer:
            return self._done(environ, "Al genoteerd", "Je antwoord was al genoteerd. Je hoeft niets meer te doen.")
        field = ('<p class="field"><label for="note">Wil je iets vertellen? (niet verplicht)</label>'
                 f'<textarea id="note" name="note" rows="4" maxlength="{NOTE_LENGTH}"></textarea></p>')
        return self.ep.alerts.page(environ, 200, f"Je antwoord: {label}",
                                   self._about(record) + self._form(environ, field, f"Verstuur: {label}"))

    # --- stop ---

    def stop(self, environ: dict) -> Response:
        party = _query(environ, "w")
        if party not in follow_up.PARTIES:
            raise FormError(GONE, status=404)
        record = self._signup(environ, f"follow-stop:{party}")
        if environ.get("REQUEST_METHOD") == "POST":  # the button, or one click (RFC 8058) from a mail program
            self.ep.alerts._guard(environ, same_site=False)
            follow_up.stop(self.ep.storage, record, party, self.ep.clock())
            return self._done(environ, "Gestopt", "Je krijgt over deze aanmelding geen mails meer van ons.")
        return self.ep.alerts.page(environ, 200, "Geen mails meer over deze aanmelding",
                                   self._about(record) + self._form(environ, "", "Stop de mails"))

    # --- "still open?" ---

    def _check(self, environ: dict, purpose: str) -> follow_up.Check:
        def key_of(check_id: int) -> str | None:
            found = follow_up.get_check(self.ep.storage, check_id)
            return found.key if found else None

        found = token_id(self.ep.settings.secret, purpose, query_token(environ), key_of)
        check = follow_up.get_check(self.ep.storage, found) if found is not None else None
        if check is None or check.vacancy not in self.ep.vacancies:
            raise FormError("Deze link werkt niet (meer). Misschien bestaat de vacature niet meer.", status=404)
        return check

    def vacancy(self, environ: dict) -> Response:
        check = self._check(environ, "still-open")
        info = self.ep.vacancies[check.vacancy]
        if self._expired(check.created_at):
            raise self._expired_error()
        already = "Je antwoord was al genoteerd. Een medewerker leest het na en past daarna de vacature aan."
        today = local_day(self.ep.clock())
        if environ.get("REQUEST_METHOD") == "POST":
            self.ep.alerts._guard(environ)
            form = read_form(environ, self.ep.settings.max_body_bytes)
            answer, until = vacancy_changes.read_answer(_field(form, "answer"), _field(form, "until"), today)
            if vacancy_changes.record_answer(self.ep.storage, self.ep.settings, check, info, answer, until,
                                             self.ep.clock()):
                return self._done(environ, "Bedankt", "Genoteerd. Een medewerker leest je antwoord na en past "
                                  "daarna de vacature aan.")
            return self._done(environ, "Al genoteerd", already)
        if check.answered_at:
            return self._done(environ, "Al genoteerd", already)
        choices = "".join(
            f'<li class="field-check"><input type="radio" id="a-{key}" name="answer" value="{key}"'
            f'{" checked" if key == "open" else ""}><label for="a-{key}">{html.escape(label)}</label></li>'
            for key, label in vacancy_changes.ANSWERS.items())
        inner = (f'<fieldset class="field choices"><legend>Is de vacature nog open?</legend>'
                 f'<ul class="choice-list">{choices}</ul></fieldset>'
                 f'<p class="field"><label for="until">Open tot (alleen als ze open blijft)</label>'
                 f'<input type="date" id="until" name="until" min="{today + dt.timedelta(days=1)}"></p>')
        return self.ep.alerts.page(environ, 200, "Is je vacature nog open?",
                                   f"<p>Vacature ‘{html.escape(info.title)}’, nu online tot "
                                   f"{info.item.valid_through:%d-%m-%Y}.</p>" + self._form(environ, inner, "Verstuur"))

    def vacancy_stop(self, environ: dict) -> Response:
        check = self._check(environ, "still-open-stop")
        if environ.get("REQUEST_METHOD") == "POST":
            self.ep.alerts._guard(environ, same_site=False)
            follow_up.stop_check(self.ep.storage, check.id, self.ep.clock())
            return self._done(environ, "Gestopt", "We vragen je niet meer of deze vacature nog open is.")
        return self.ep.alerts.page(environ, 200, "Geen vragen meer over deze vacature",
                                   f"<p>Vacature ‘{html.escape(self.ep.vacancies[check.vacancy].title)}’.</p>"
                                   + self._form(environ, "", "Stop de vragen"))
