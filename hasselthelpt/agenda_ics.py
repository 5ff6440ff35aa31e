"""The agenda as iCalendar (RFC 5545): one file for the whole agenda and one per event ("Zet in je agenda").

Times are Belgian local time with TZID=Europe/Brussels and its VTIMEZONE included, so every calendar program
shows the right hour on both sides of a daylight-saving change. UIDs are the event's file name, so an event that
moves keeps its identity. Pure: events in, bytes out; DTSTAMP comes from the content, never from the clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

import icalendar

from . import brand
from .content import Item
from .schema import DEELGEMEENTEN, EVENT_KINDS
from .settings import TIMEZONE

PRODID = "-//Stad Hasselt//HASSELT Helpt agenda//NL"
UID_DOMAIN = "hasselthelpt"  # UIDs read <slug>@hasselthelpt: stable across builds, hosts and URL changes


def uid(event: Item) -> str:
    return f"agenda-{event.slug}@{UID_DOMAIN}"


def stamp(announced: dt.date) -> dt.datetime:
    """DTSTAMP: the day the event was announced (its publish_from, see channels.announced), 00:00 UTC."""
    return dt.datetime.combine(announced, dt.time(), tzinfo=dt.timezone.utc)


def location(event: Item) -> str:
    place = event.place
    parts = [place.get("name"), place["address"]]
    if place["deelgemeente"] != "hasselt-centrum":
        parts.append(DEELGEMEENTEN[place["deelgemeente"]])
    return ", ".join(p for p in parts if p)


def vevent(event: Item, url: str, announced: dt.date) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("uid", uid(event))
    ev.add("dtstamp", stamp(announced))
    ev.add("dtstart", event.start.replace(tzinfo=TIMEZONE))
    ev.add("dtend", event.end.replace(tzinfo=TIMEZONE))
    ev.add("summary", event.title)
    ev.add("description", f"{event.summary}\n\nMeer informatie: {url}")
    ev.add("location", location(event))
    ev.add("url", url)
    ev.add("categories", [EVENT_KINDS[event.kind]])
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    ev.add("sequence", 0)
    return ev


def calendar(events: Iterable[Item], name: str, url_of: Callable[[Item], str],
             announced: Callable[[Item], dt.date]) -> bytes:
    """An iCalendar file with these events (sorted by start) and the Europe/Brussels VTIMEZONE."""
    events = sorted(events, key=lambda e: (e.start, e.slug))
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Brussels")
    cal.add("x-wr-caldesc", f"{brand.NAME}: {brand.TAGLINE}")
    for event in events:
        cal.add_component(vevent(event, url_of(event), announced(event)))
    if events:
        # The transitions of the years the events span: enough for every program, and stable for the same events.
        first = dt.date(min(e.start for e in events).year - 1, 1, 1)
        last = dt.date(max(e.end for e in events).year + 2, 1, 1)
        cal.add_missing_timezones(first_date=first, last_date=last)
    else:
        cal.add_component(icalendar.Timezone.from_tzid("Europe/Brussels", first_date=dt.date(2026, 1, 1),
                                                       last_date=dt.date(2028, 1, 1)))
    return cal.to_ical()
