"""The three forms: which fields each has, and their validation with messages a person understands (Dutch).

Fields are `schema.Field`s, checked by the content model's own `check_mapping`; the organisation's vacancy
submission is checked against the vacancy content type itself, so what is accepted here is what `check`
accepts later. The English problems of the schema (meant for editors) become Dutch messages per field kind.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from .. import brand
from ..content import characters
from ..content.facts import ADDRESS
from ..content.publication import takes_signups
from ..content.schema import (CONTENT_TYPES, DATETIME_FORMAT, DUTCH_LEVELS, EMAIL_LENGTH, FORM_LIST_ROWS, MOMENTS,
    NAME_LENGTH, PHONE_LENGTH, TALENTS, THEMES, WHERE, Field, check_mapping, too_long)
from ..outputs.ics import Task

# Fields every form may carry besides its own: what the endpoint itself checks (see app.py).
META_FIELDS = ("form", "token", "website", "consent", "submission_id", "privacy_version")
HONEYPOT = "website"

MESSAGE_LENGTH = 2000  # "Wil je nog iets vertellen?" on every form that asks it

NAME = Field("name", "text", "Je naam", "", required=True, max_length=NAME_LENGTH)
EMAIL = Field("email", "email", "Je e-mailadres", "", max_length=EMAIL_LENGTH)
PHONE = Field("phone", "phone", "Je telefoonnummer", "", max_length=PHONE_LENGTH)

SIGNUP = (
    Field("vacancy", "slug", "Vacature", "De vacature waarvoor je je aanmeldt.", required=True,
          max_length=CONTENT_TYPES["vacancy"].field("organisation").max_length),
    NAME,
    replace(EMAIL, required=True),
    PHONE,
    Field("message", "text", "Je bericht", "", max_length=MESSAGE_LENGTH, multiline=True),
    Field("under_18", "bool", "Ik ben jonger dan 18 jaar", "", default=False),
)

APPOINTMENT = (
    NAME,
    EMAIL,
    PHONE,
    Field("passions", "text", "Wat doe je graag?", "", max_length=1000, multiline=True),
    Field("talents", "choices", "Wat kan je goed?", "", default=[], choices=TALENTS),
    Field("themes", "choices", "Waarvoor wil je je inzetten?", "", default=[], choices=THEMES),
    Field("when", "choices", "Wanneer heb je tijd?", "", default=[], choices=MOMENTS),
    Field("deelgemeente", "choice", "Waar wil je het liefst helpen?", "", choices=WHERE),
    Field("dutch_level", "choice", "Hoeveel Nederlands mag het werk vragen?", "", choices=DUTCH_LEVELS),
    Field("languages", "text", "Welke talen spreek je?", "", max_length=200),
    Field("message", "text", "Wil je nog iets vertellen?", "", max_length=MESSAGE_LENGTH, multiline=True),
)

SUBMITTER = (
    replace(NAME, name="submitter_name"),
    replace(EMAIL, name="submitter_email", required=True),
    Field("organisation", "slug", "Organisatie", "",
          max_length=CONTENT_TYPES["vacancy"].field("organisation").max_length),
    Field("organisation_name", "text", "Naam van je organisatie", "",
          max_length=CONTENT_TYPES["organisation"].field("name").max_length),
)

# The vacancy fields an organisation fills in; the rest is set when the vacancy is approved.
SET_ON_APPROVAL = ("organisation", "publish_from", "image", "image_alt", "image_credit", "image_licence", "status", "internal", "featured")
VACANCY_FIELDS = tuple(f for f in CONTENT_TYPES["vacancy"].fields if f.name not in SET_ON_APPROVAL)

FORMS = {"aanmelding": SIGNUP, "afspraak": APPOINTMENT, "vacature": SUBMITTER + VACANCY_FIELDS}

TRUE, FALSE = ("ja", "true", "on", "1"), ("nee", "false", "off", "0")
# Stricter than the schema's: an address that can never break out of a mail header.
SAFE_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class VacancyInfo:
    """What the endpoint knows of a vacancy from the content model."""
    slug: str
    title: str
    organisation: str  # its name
    contact_name: str
    contact_email: str | None
    item: Any = field(compare=False, repr=False)  # the vacancy as read (reading.Item): what the rules look at
    task: Task | None = None  # a one-off task: its shifts, for the calendar file of the confirmation mail

    def is_open(self, today: dt.date) -> bool:
        """Whether it takes sign-ups today, by the site's rules (publication.takes_signups)."""
        return takes_signups(self.item, today)


@dataclass(frozen=True)
class Lookup:
    vacancies: Mapping[str, VacancyInfo]
    organisations: Mapping[str, str]  # slug -> name
    today: dt.date


@dataclass(frozen=True)
class Checked:
    form: str
    data: dict  # JSON-ready
    email: str | None = None
    phone: str | None = None
    contact_email: str | None = None
    vacancy: str | None = None


class ReviewError(Exception):
    """A review action that cannot be done (an unknown or decided submission, a change the content refuses)."""


class FormError(Exception):
    """A submission that is refused: an HTTP status, a message for the person, and per-field messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None, labels: dict[str, str] | None = None,
                 status: int = 400):
        super().__init__(message)
        self.message, self.errors, self.labels, self.status = message, errors or {}, labels or {}, status


def flat_fields(fields: tuple[Field, ...]) -> dict[str, tuple[Field, str]]:
    """Form field name ('place.address', 'shifts.0.start' for a list's rows) -> (Field, Dutch label)."""
    out = {}
    for f in fields:
        if f.kind == "object":
            for sub in f.fields:
                out[f"{f.name}.{sub.name}"] = (sub, f"{f.label}: {sub.label.lower()}")
        elif f.kind == "list":
            for row in range(FORM_LIST_ROWS):
                for sub in f.fields:
                    out[f"{f.name}.{row}.{sub.name}"] = (sub, f"{f.label} {row + 1}: {sub.label.lower()}")
        else:
            out[f.name] = (f, f.label)
    return out


def form_fields(form: str) -> set[str]:
    """Every field name a form may send: what the built HTML forms must match (a test checks it)."""
    return set(flat_fields(FORMS[form])) | set(META_FIELDS)


def normalise(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    """Form data (name -> list of strings) from a parsed urlencoded body or a JSON object."""
    out: dict[str, list[str]] = {}
    for key, value in raw.items():
        values = value if isinstance(value, list) else [value]
        clean = []
        for v in values:
            if isinstance(v, bool):
                v = "ja" if v else "nee"
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(v)
            elif v is None:
                v = ""
            if not isinstance(v, str):
                raise FormError("Het formulier kon niet gelezen worden. Probeer het opnieuw.")
            clean.append(v)
        out[str(key)] = clean
    return out


def _coerce(f: Field, values: list[str], name: str) -> Any:
    if f.kind == "choices":
        return [v for v in values if v]
    if len(values) > 1:
        raise FormError("Het formulier kon niet gelezen worden: een veld kwam twee keer mee.",
                        {name: "Dit veld kwam twee keer mee."})
    value = values[0].replace("\r\n", "\n").replace("\r", "\n") if values else ""
    if value.strip() == "":
        return None
    if f.kind == "int":
        return int(value) if re.fullmatch(r"\s*-?\d{1,9}\s*", value) else value
    if f.kind == "bool":
        low = value.strip().lower()
        return True if low in TRUE else False if low in FALSE else value
    if f.kind == "datetime":  # <input type="datetime-local"> sends 2027-03-27T10:00
        return value.strip().replace("T", " ")
    return value


def _empty(value: Any) -> bool:
    return isinstance(value, dict) and all(x is None for x in value.values())


def _nest(flat: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The nested mapping check_mapping reads, and for each list the form row of each item (empty rows are
    left out, so 'shifts[0]' may be the form's second row)."""
    out: dict[str, Any] = {}
    rows: dict[str, dict[int, dict]] = {}
    for name, value in flat.items():
        parts = name.split(".")
        if len(parts) == 3:
            rows.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = value
        elif len(parts) == 2:
            out.setdefault(parts[0], {})[parts[1]] = value
        else:
            out[name] = value
    used: dict[str, list[int]] = {}
    for name, by_row in rows.items():
        used[name] = [row for row in sorted(by_row) if not _empty(by_row[row])]
        out[name] = [by_row[row] for row in used[name]]
    return {k: v for k, v in out.items() if not _empty(v)}, used


def _form_name(path: str, rows: dict[str, list[int]]) -> str:
    """check_mapping's path ('shifts.[1].start') as the form names it ('shifts.2.start')."""
    match = re.fullmatch(r"(\w+)\.?\[(\d+)\]\.(\w+)", path)
    if match and match[1] in rows:
        return f"{match[1]}.{rows[match[1]][int(match[2])]}.{match[3]}"
    return path


def dutch_problem(f: Field, value: Any) -> str:
    """What is wrong with a value, in plain Dutch, from the field's kind (the schema's problems are English)."""
    if value is None or value == "" or value == []:
        return {"choices": "Kies minstens één mogelijkheid.", "choice": "Kies een mogelijkheid.",
                "bool": "Kies ja of nee."}.get(f.kind, "Vul dit in.")
    if isinstance(value, str):
        text = value if f.lines else value.strip()
        if too_long(f, text):
            return f"Dit is te lang: {len(text)} tekens. Er mogen er maximaal {f.max_length} zijn."
        found = characters.refused(text, f.lines) if f.kind in ("text", "markdown") else None  # free text
        if found and characters.kind_of(found[1]) == "line":
            return "Schrijf dit op één regel, zonder enters of tabs."
        if found:
            return "Gebruik in dit veld geen speciale tekens (ook geen onzichtbare). Typ de tekst opnieuw."
    return {
        "email": "Dit is geen e-mailadres. Schrijf het zo: naam@voorbeeld.be.",
        "phone": "Dit is geen telefoonnummer. Schrijf het zo: 011 23 94 00.",
        "url": "Dit is geen webadres. Begin met https://.",
        "slug": "Kies iets uit de lijst.",
        "int": (f"Schrijf een getal van {f.minimum} tot {f.maximum}." if f.minimum is not None
                else "Schrijf een getal, bijvoorbeeld 2."),
        "bool": "Kies ja of nee.",
        "date": "Dit is geen datum. Kies een dag, of schrijf ze zo: 2027-06-30.",
        "datetime": "Dit is geen datum met uur. Kies een dag en een uur, of schrijf ze zo: 2027-06-30 14:00.",
        "choice": "Kies een mogelijkheid uit de lijst.",
        "choices": "Kies alleen mogelijkheden uit de lijst, elk één keer.",
    }.get(f.kind, "Dit is niet goed ingevuld.")


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.strftime(DATETIME_FORMAT)  # as content files write it: an approved vacancy keeps it
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validate(form: str, raw: Mapping[str, list[str]], lookup: Lookup) -> Checked:
    """Check one form's fields (meta fields already taken off); raises FormError with every problem at once."""
    fields = FORMS[form]
    flat = flat_fields(fields)
    labels = {name: label for name, (_, label) in flat.items()}
    unknown = sorted(set(raw) - set(flat))
    if unknown:
        raise FormError(f"Het formulier stuurde een onbekend veld mee ({', '.join(unknown)[:100]}). "
                        "Laad de pagina opnieuw en probeer nog eens.")
    try:
        values = {name: _coerce(f, raw.get(name, []), name) for name, (f, _) in flat.items()}
    except FormError as exc:
        exc.labels = labels
        raise
    nested, rows = _nest(values)
    if form == "vacature" and (nested.get("location") or ADDRESS) != ADDRESS:
        nested.pop("place", None)  # at home or in different places: an address filled in is not used
    cleaned, problems = check_mapping(fields, nested)
    errors: dict[str, str] = {}
    for path, _ in problems:
        path = _form_name(path, rows)
        if path in flat and path not in errors:
            errors[path] = dutch_problem(flat[path][0], values.get(path))
        elif path not in flat:  # a whole group (place, contact) is missing
            for name in flat:
                if name.startswith(path + ".") and flat[name][0].required and values.get(name) is None:
                    errors.setdefault(name, dutch_problem(flat[name][0], None))
    for name, (f, _) in flat.items():
        value = values.get(name)
        if name not in errors and isinstance(value, str) and f.kind == "email" and not SAFE_EMAIL.match(value.strip()):
            errors[name] = dutch_problem(f, value)
    checked = _form_rules(form, cleaned, values, errors, lookup, rows)
    if errors:
        raise FormError("Er is iets niet goed ingevuld. Kijk de velden hieronder na.", errors, labels)
    return checked


def _form_rules(form: str, cleaned: dict, values: dict, errors: dict[str, str], lookup: Lookup,
                rows: dict[str, list[int]]) -> Checked:
    """What one form asks beyond the single fields."""
    if form == "aanmelding":
        info = lookup.vacancies.get(cleaned.get("vacancy") or "")
        if "vacancy" not in errors:
            if info is None:
                errors["vacancy"] = "Deze vacature bestaat niet (meer). Kies een vacature op de website."
            elif not info.is_open(lookup.today):
                errors["vacancy"] = "Deze vacature is afgelopen. Bekijk de andere vacatures op de website."
        return Checked(form, _json_ready(cleaned), cleaned.get("email"), cleaned.get("phone"),
                       vacancy=cleaned.get("vacancy"))
    if form == "afspraak":
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in errors and "phone" not in errors:
            errors["email"] = "Geef je e-mailadres of je telefoonnummer. Zo kunnen we je bereiken."
        return Checked(form, _json_ready(cleaned), cleaned.get("email"), cleaned.get("phone"))
    # vacature: the submitter, the organisation, then the vacancy itself
    submitter = {f.name: cleaned.get(f.name) for f in SUBMITTER}
    vacancy = {k: v for k, v in cleaned.items() if k not in submitter}
    org = submitter["organisation"]
    if org and org not in lookup.organisations and "organisation" not in errors:
        errors["organisation"] = "Kies je organisatie uit de lijst, of laat de lijst leeg en schrijf de naam."
    if not org and not submitter["organisation_name"] and "organisation_name" not in errors:
        errors["organisation_name"] = "Kies je organisatie uit de lijst, of schrijf de naam van je organisatie."
    if (vacancy.get("location") or ADDRESS) == ADDRESS and not vacancy.get("place"):
        flat = flat_fields(FORMS[form])
        for name in ("place.address", "place.deelgemeente"):
            errors.setdefault(name, dutch_problem(flat[name][0], None) + " Of kies hierboven 'thuis of online' "
                                    "of 'op verschillende plaatsen'.")
    for row, shift in zip(rows.get("shifts", []), vacancy.get("shifts") or []):
        if shift.get("start") and shift.get("end") and shift["end"] <= shift["start"]:
            errors.setdefault(f"shifts.{row}.end", "Het einde moet na het begin liggen.")
    if vacancy.get("insured") is False and "insured" not in errors:
        errors["insured"] = ("We zetten alleen vacatures online waarbij de vrijwilligers verzekerd zijn. Dat is "
                             f"verplicht. Wij helpen je graag: {brand.ORGANISATION_HELP_URL}")
    until = vacancy.get("valid_through")
    if isinstance(until, dt.date) and until <= lookup.today and "valid_through" not in errors:
        errors["valid_through"] = "Kies een dag in de toekomst."
    contact = vacancy.get("contact") or {}
    if contact and not contact.get("email") and not contact.get("phone") and "contact.email" not in errors:
        errors["contact.email"] = "Geef een e-mailadres of een telefoonnummer van de contactpersoon."
    return Checked(form, _json_ready({**submitter, "vacancy": vacancy}), submitter["submitter_email"],
                   contact_email=contact.get("email"))


def labels_of(form: str) -> dict[str, str]:
    return {name: label for name, (_, label) in flat_fields(FORMS[form]).items()}


@dataclass
class Meta:
    """The fields the endpoint checks itself, before the form's own."""
    form: str
    token: str = ""
    honeypot: str = ""
    consent: bool = False
    submission_id: str = ""
    privacy_version: str = ""
    rest: dict[str, list[str]] = field(default_factory=dict)


def split_meta(data: dict[str, list[str]]) -> Meta:
    def one(name: str) -> str:
        values = data.get(name) or [""]
        return values[0].strip() if len(values) == 1 else "\x00"  # twice: never valid

    form = one("form")
    if form not in FORMS and form != "alert":  # alerts check their own fields (alerts.py)
        raise FormError("Dit formulier kennen we niet. Laad de pagina opnieuw en probeer nog eens.")
    return Meta(form=form, token=one("token"), honeypot=one(HONEYPOT), consent=one("consent").lower() in TRUE,
                submission_id=one("submission_id"), privacy_version=one("privacy_version"),
                rest={k: v for k, v in data.items() if k not in META_FIELDS})
