"""The agenda as iCalendar (RFC 5545): one file for the whole agenda and one per event ("Zet in je agenda"), and
the dates of one-off tasks (a vacancy's shifts): in the whole agenda, in one file per task, and attached to the
confirmation mail of a sign-up (hasselthelpt/endpoint/mails.py).

Times are Belgian local time with TZID=Europe/Brussels and its VTIMEZONE included, so every calendar program
shows the right hour on both sides of a daylight-saving change. UIDs are the event's file name, so an event that
moves keeps its identity; a shift's UID is the vacancy's file name and the shift's start. Pure: items in, bytes
out; DTSTAMP comes from the content, never from the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

import icalendar

from .. import brand
from ..content.facts import ADDRESS, accessibility_label, price_label, upcoming_shifts, where_label
from ..content.reading import Item
from ..content.schema import DEELGEMEENTEN, EVENT_KINDS, ONE_OFF_LABEL
from ..settings import TIMEZONE

PRODID = "-//Stad Hasselt//HASSELT Helpt agenda//NL"
UID_DOMAIN = "hasselthelpt"  # UIDs read <slug>@hasselthelpt: stable across builds, hosts and URL changes


def uid(event: Item) -> str:
    return f"agenda-{event.slug}@{UID_DOMAIN}"


def stamp(announced: dt.date) -> dt.datetime:
    """DTSTAMP: the day the event was announced (its publish_from, see publication.announced), 00:00 UTC."""
    return dt.datetime.combine(announced, dt.time(), tzinfo=dt.timezone.utc)


def shift_uid(vacancy_slug: str, start: dt.datetime) -> str:
    return f"vacature-{vacancy_slug}-{start:%Y%m%dT%H%M}@{UID_DOMAIN}"


def location(item: Item) -> str:
    """The place in one line; for a vacancy at home or in different places, those words."""
    if item.type == "vacancy" and item.location != ADDRESS:
        return where_label(item)
    place = item.place
    parts = [place.get("name"), place["address"]]
    if place["deelgemeente"] != "hasselt-centrum":
        parts.append(DEELGEMEENTEN[place["deelgemeente"]])
    return ", ".join(p for p in parts if p)


def _vevent(uid_: str, announced: dt.date, start: dt.datetime, end: dt.datetime, summary: str, description: str,
            where: str, url: str, category: str) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("uid", uid_)
    ev.add("dtstamp", stamp(announced))
    # Local Belgian time with its TZID: the offset (+01:00 or +02:00) follows daylight saving time
    ev.add("dtstart", start.replace(tzinfo=TIMEZONE))
    ev.add("dtend", end.replace(tzinfo=TIMEZONE))
    ev.add("summary", summary)
    ev.add("description", description)
    ev.add("location", where)
    ev.add("url", url)
    ev.add("categories", [category])
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    ev.add("sequence", 0)
    return ev


def vevent(event: Item, url: str, announced: dt.date, organiser: str,
           organiser_email: str | None) -> icalendar.Event:
    """An activity of the agenda, with its organiser, price and accessibility (the description says them; the
    ORGANIZER property is there when the organiser has a public address)."""
    description = (f"{event.summary}\n\nOrganisator: {organiser}\nPrijs: {price_label(event)}\n"
                   f"Toegankelijkheid: {accessibility_label(event)}\n\nMeer informatie: {url}")
    ev = _vevent(uid(event), announced, event.start, event.end, event.title, description, location(event), url,
                 EVENT_KINDS[event.kind])
    if organiser_email:
        ev.add("organizer", f"mailto:{organiser_email}", parameters={"CN": organiser})
    return ev


@dataclass(frozen=True)
class Task:
    """A one-off task as a calendar needs it: the site's channels make it from a vacancy, and the form endpoint
    keeps one per vacancy for the calendar file of a sign-up's confirmation mail."""

    slug: str
    title: str
    summary: str
    where: str  # location(), one line
    organisation: str  # its name
    announced: dt.date  # publish_from: the DTSTAMP
    shifts: tuple[tuple[dt.datetime, dt.datetime], ...]  # (start, end), naive Belgian time

    def coming(self, today: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        start_of_day = dt.datetime.combine(today, dt.time())
        return tuple(s for s in self.shifts if s[1] >= start_of_day)


def task_of(vacancy: Item, organisation: str, today: dt.date | None = None) -> Task:
    """The task of a vacancy with its coming shifts (past shifts drop out), or all of them without `today`."""
    shifts = upcoming_shifts(vacancy, today) if today else vacancy.shifts
    return Task(vacancy.slug, vacancy.title, vacancy.summary, location(vacancy), organisation, vacancy.publish_from,
                tuple((s["start"], s["end"]) for s in shifts))


def task_vevents(task: Task, url: str) -> list[icalendar.Event]:
    """One VEVENT per shift of a one-off task."""
    description = f"{task.summary}\n\nVrijwilligerswerk bij {task.organisation}.\n\nMeer informatie: {url}"
    return [_vevent(shift_uid(task.slug, start), task.announced, start, end, task.title, description, task.where,
                    url, ONE_OFF_LABEL) for start, end in task.shifts]


def calendar(components: Iterable[icalendar.Event], name: str) -> bytes:
    """An iCalendar file with these VEVENTs (sorted by start, then UID) and the Europe/Brussels VTIMEZONE."""
    events = sorted(components, key=lambda e: (e.decoded("dtstart"), str(e["uid"])))
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Brussels")
    cal.add("x-wr-caldesc", f"{brand.NAME}: {brand.TAGLINE}")
    for event in events:
        cal.add_component(event)
    if events:
        # The transitions of the years the events span: enough for every program, and stable for the same events.
        first = dt.date(min(e.decoded("dtstart") for e in events).year - 1, 1, 1)
        last = dt.date(max(e.decoded("dtend") for e in events).year + 2, 1, 1)
        cal.add_missing_timezones(first_date=first, last_date=last)
    else:
        cal.add_component(icalendar.Timezone.from_tzid("Europe/Brussels", first_date=dt.date(2026, 1, 1),
                                                       last_date=dt.date(2028, 1, 1)))
    return cal.to_ical()
