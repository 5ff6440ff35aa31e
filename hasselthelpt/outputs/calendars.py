"""The iCalendar files: the whole agenda (agenda/agenda.ics: coming activities and the shifts of open one-off
tasks), and one file beside each event's page and each one-off task's page. The format is ics.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import brand
from ..content.facts import is_one_off, organiser_name
from ..content.loading import Item
from ..content.publication import announced
from ..files import write_if_changed
from ..settings import Settings
from . import ics
from .pages import url_of

AGENDA_ICS = "agenda/agenda.ics"


def event_ics(item: Item) -> str:
    """The calendar file of an event, or of a one-off task: beside its page."""
    return f"{url_of(item)}{item.slug}.ics"


def event_vevent(event: Item, orgs: dict[str, Item], url: str):
    org = orgs.get(event.organiser) if event.organiser else None
    email = (org.contact.get("email") if org.contact_public else None) if org else brand.HELPDESK["email"]
    return ics.vevent(event, url, announced(event), organiser_name(event, orgs), email)


def task_vevents(vacancy: Item, orgs: dict[str, Item], url: str, today: dt.date) -> list:
    task = ics.task_of(vacancy, orgs[vacancy.organisation].name, today)
    return ics.task_vevents(task, url)


def write(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: the agenda, and the calendar file of every public event and open one-off task."""
    base, today, orgs = settings.absolute_url, settings.today, prepared.corpus.organisations
    publication = prepared.publication
    live = publication.live

    def url(item: Item) -> str:
        return f"{base}/{url_of(item)}"

    tasks = {v.slug: task_vevents(v, orgs, url(v), today) for v in live["vacancy"] if is_one_off(v)}
    whole = [event_vevent(e, orgs, url(e)) for e in live["event"]] + [ev for t in tasks.values() for ev in t]
    write_if_changed(output / AGENDA_ICS, ics.calendar(whole, f"{brand.NAME}: agenda"))
    for event in publication.public_events:
        write_if_changed(output / event_ics(event), ics.calendar([event_vevent(event, orgs, url(event))],
                                                                         event.title))
    for vacancy in live["vacancy"]:
        if tasks.get(vacancy.slug):
            write_if_changed(output / event_ics(vacancy), ics.calendar(tasks[vacancy.slug], vacancy.title))
