"""The mails each submission or review decision sends, in plain Dutch, and their conversion to e-mail messages.

Mails are queued in the outbox in the same transaction as the submission (storage.py) and sent later
(outbox.py). The subject goes through `header_text` when the message is built, so no stored value (a vacancy
title, a name, from any form or content file) can make a mail unsendable: line breaks of every kind (CR, LF,
U+0085, U+2028, U+2029) and other control characters become spaces, and it is cut to a readable length.
Python's e-mail package then folds and encodes it (RFC 2047 for any script). Addresses are checked, not
repaired (`address_header`): no value can add a recipient or start a header line.
"""

from __future__ import annotations

import re
import unicodedata
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid

import datetime as dt
from dataclasses import replace

from .. import brand
from ..content.schema import DUTCH_LEVELS, MOMENTS, TALENTS, THEMES, WHERE
from ..outputs import ics
from .config import EndpointSettings
from .forms import Checked, VacancyInfo
from .storage import Mail

SIGNATURE = (f"\n\nVriendelijke groeten,\n{brand.NAME}\n"
             f"Vragen? Bel {brand.HELPDESK['phone']} of mail {brand.HELPDESK['email']}.\n")
HEADER_LIMIT = 200  # characters of a header value: a subject stays readable, a name or title is cut with '…'
_SPACES = re.compile(r"\s+")


def header_text(value: str, limit: int = HEADER_LIMIT) -> str:
    """Any text as a header value of one line: control characters (line breaks of every kind among them),
    line and paragraph separators and lone surrogates become spaces; runs of spaces become one; at most
    `limit` characters."""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in value)
    cleaned = _SPACES.sub(" ", cleaned).strip()
    return cleaned if len(cleaned) <= limit else cleaned[:limit - 1].rstrip() + "…"


def address_header(value: str) -> str:
    """One mail address, alone or after a display name ('HASSELT Helpt <...>'). An address decides where a
    mail goes, so it is refused rather than repaired (the forms accept only plain addresses): a ValueError,
    which gives the mail up as a dead letter."""
    parsed = getaddresses([value])
    addr = parsed[0][1] if len(parsed) == 1 else ""
    if header_text(value) != value or "@" not in addr or not (value == addr or value.endswith(f"<{addr}>")):
        raise ValueError(f"not one mail address: {value!r}")
    return value


def build_message(mail_from: str, to: str, subject: str, body: str, reply_to: str | None = None,
                  attachment: tuple[str, str] | None = None, html: str | None = None,
                  headers: tuple[tuple[str, str], ...] = ()) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = address_header(mail_from)
    msg["To"] = address_header(to)
    if reply_to:
        msg["Reply-To"] = address_header(reply_to)
    msg["Subject"] = header_text(subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2].strip("> ") or None)
    for name, value in headers:
        msg[name] = header_text(value, limit=2000)
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    if attachment:  # a calendar file: text/calendar, so mail programs offer "add to calendar"
        name, text = attachment
        msg.add_attachment(text, subtype="calendar", filename=header_text(name), params={"method": "PUBLISH"})
    return msg


def _labels(values: list[str], vocabulary: dict[str, str]) -> str:
    return ", ".join(vocabulary[v] for v in values) or "niets aangeduid"


def task_calendar(vacancy: VacancyInfo, settings: EndpointSettings, today: dt.date) -> tuple[str, str] | None:
    """The calendar file (name, text) of a one-off task's coming dates, for the confirmation mail."""
    shifts = vacancy.task.coming(today) if vacancy.task else ()
    if not shifts:
        return None
    url = f"{settings.site_url}/vacatures/{vacancy.slug}/"  # site_url may be empty: then a path on the same host
    events = ics.task_vevents(replace(vacancy.task, shifts=shifts), url)
    return f"{vacancy.slug}.ics", ics.calendar(events, vacancy.title).decode("utf-8")


def signup_recipients(vacancy: VacancyInfo | None, settings: EndpointSettings) -> list[str]:
    """Who gets a sign-up (and its reminder): the vacancy's contact, else the matchers."""
    return [vacancy.contact_email] if vacancy and vacancy.contact_email else list(settings.matchers)


def signup_mails(checked: Checked, vacancy: VacancyInfo, settings: EndpointSettings, today: dt.date,
                 org_links: str = "", volunteer_links: str = "") -> list[Mail]:
    """`org_links`, `volunteer_links`: the follow-up's blocks of one-click answers and stop links for the
    organisation's and the volunteer's mail (follow_up.signup_link_blocks)."""
    d = checked.data
    lines = [f"Naam: {d['name']}", f"E-mail: {d['email']}"]
    if d.get("phone"):
        lines.append(f"Telefoon: {d['phone']}")
    if d.get("under_18"):
        lines.append("Jonger dan 18 jaar: ja")
    if d.get("message"):
        lines.append(f"\nBericht:\n{d['message']}")
    to = signup_recipients(vacancy, settings)
    no_mail = "" if vacancy.contact_email else (
        f"Deze vacature heeft geen e-mailadres. Geef de aanmelding door aan {vacancy.contact_name}.\n\n")
    body = (f"Dag {vacancy.contact_name},\n\n{no_mail}Iemand wil helpen als vrijwilliger bij '{vacancy.title}'.\n\n"
            + "\n".join(lines)
            + "\n\nNeem binnen een week contact op. Zo blijft de vrijwilliger gemotiveerd."
              "\nAntwoorden op deze mail gaat rechtstreeks naar de vrijwilliger."
            + org_links + SIGNATURE)
    mails = [Mail(addr, f"Nieuwe aanmelding: {vacancy.title}", body, reply_to=d["email"]) for addr in to]
    calendar = task_calendar(vacancy, settings, today)
    dates = ("\n\nDe data staan in het agendabestand bij deze mail. Open het om ze in je agenda te zetten."
             if calendar else "")
    mails.append(Mail(d["email"], f"Je aanmelding: {vacancy.title}",
                      f"Dag {d['name']},\n\nBedankt! Je aanmelding voor '{vacancy.title}' bij "
                      f"{vacancy.organisation} is goed aangekomen.\n{vacancy.contact_name} neemt binnen een week "
                      f"contact met je op.{dates}\n\nJe hebt je niet aangemeld? Dan mag je deze mail negeren. "
                      "Vraag ons gerust om je gegevens te wissen."
                      + volunteer_links + SIGNATURE, attachment=calendar))
    return mails


def appointment_mails(checked: Checked, settings: EndpointSettings) -> list[Mail]:
    d = checked.data
    lines = [f"Naam: {d['name']}", f"E-mail: {d.get('email') or '-'}", f"Telefoon: {d.get('phone') or '-'}",
             f"Wat doet die persoon graag: {d.get('passions') or '-'}",
             f"Talenten: {_labels(d['talents'], TALENTS)}",
             f"Interesses: {_labels(d['themes'], THEMES)}",
             f"Wanneer: {_labels(d['when'], MOMENTS)}",
             f"Waar: {WHERE.get(d.get('deelgemeente') or '', 'geen voorkeur')}",
             f"Nederlands: {DUTCH_LEVELS.get(d.get('dutch_level') or '', 'niet aangeduid')}",
             f"Talen: {d.get('languages') or '-'}"]
    if d.get("message"):
        lines.append(f"\nBericht:\n{d['message']}")
    body = ("Dag vrijwilligersmatcher,\n\nIemand vraagt een afspraak met een vrijwilligersmatcher.\n\n"
            + "\n".join(lines) + "\n\nNeem binnen een week contact op." + SIGNATURE)
    mails = [Mail(addr, "Nieuwe vraag voor een afspraak", body, reply_to=d.get("email")) for addr in settings.matchers]
    if d.get("email"):
        mails.append(Mail(d["email"], "Je vraag voor een afspraak",
                          f"Dag {d['name']},\n\nBedankt! We hebben je vraag goed ontvangen. Een "
                          "vrijwilligersmatcher neemt binnen een week contact met je op om een afspraak te maken."
                          + SIGNATURE))
    return mails


def submission_mails(checked: Checked, settings: EndpointSettings, organisations: dict[str, str]) -> list[Mail]:
    d = checked.data
    title = d["vacancy"]["title"]
    org = organisations.get(d.get("organisation") or "", d.get("organisation_name") or "")
    body = (f"Dag,\n\n{org} stuurde een vacature in: '{title}'.\n\nBekijk ze met:\n"
            "  hasselthelpt review list\n\nKeur ze goed of af binnen vijf werkdagen." + SIGNATURE)
    mails = [Mail(addr, f"Nieuwe vacature om na te lezen: {title}", body) for addr in settings.reviewers]
    mails.append(Mail(d["submitter_email"], f"Je vacature: {title}",
                      f"Dag {d['submitter_name']},\n\nBedankt! We hebben je vacature '{title}' goed ontvangen.\n"
                      "We lezen ze na. Binnen vijf werkdagen staat ze online, of hoor je van ons." + SIGNATURE))
    return mails


def approval_mail(data: dict, url: str) -> Mail:
    return Mail(data["submitter_email"], f"Je vacature staat online: {data['vacancy']['title']}",
                f"Dag {data['submitter_name']},\n\nGoed nieuws: je vacature '{data['vacancy']['title']}' is "
                f"goedgekeurd. Ze staat binnenkort online op:\n{url}\n\nWie zich aanmeldt, komt meteen bij je "
                "contactpersoon terecht." + SIGNATURE)


def rejection_mail(data: dict, reason: str) -> Mail:
    return Mail(data["submitter_email"], f"Je vacature: {data['vacancy']['title']}",
                f"Dag {data['submitter_name']},\n\nBedankt voor je vacature '{data['vacancy']['title']}'. "
                f"We kunnen ze zo niet online zetten.\n\nDe reden:\n{reason}\n\nPas je vacature aan en stuur ze "
                "gerust opnieuw in. Of bel ons: we helpen je graag." + SIGNATURE)

