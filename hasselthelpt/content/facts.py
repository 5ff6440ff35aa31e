"""What loaded items mean beyond their single fields: where a vacancy is, its dated shifts, a photo's credit and
an event's price and organiser. What may be published where and when (consent, status, dates) is in
publication.py.

Every output (pages, filters, search, matcher, feeds, calendars, structured data, open data, slides, the form
endpoint) asks these functions, so each rule is written once. Pure: items and dates in, values out.
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

from .. import brand
from .schema import DEELGEMEENTEN, LICENCES, LOCATIONS, ONE_OFF

ADDRESS = "adres"


# --- Where ---

def location(vacancy) -> str:
    """adres, thuis or verschillende-plaatsen."""
    return vacancy.data.get("location") or ADDRESS


def where_key(vacancy) -> str:
    """The vacancy's value in the "Waar" filter: its deelgemeente, or 'thuis' / 'verschillende-plaatsen'."""
    if location(vacancy) == ADDRESS:
        return vacancy.place["deelgemeente"]
    return location(vacancy)


def where_label(vacancy) -> str:
    """Where, in a few plain Dutch words: 'Kermt', 'Thuis of online', 'Op verschillende plaatsen in Hasselt'."""
    if location(vacancy) == ADDRESS:
        return DEELGEMEENTEN[vacancy.place["deelgemeente"]]
    return LOCATIONS[location(vacancy)]


def where_short(vacancy) -> str:
    """The building's name and the deelgemeente ('Buurthuis, Kermt'), or the kind of place."""
    if location(vacancy) == ADDRESS and vacancy.place.get("name"):
        return f"{vacancy.place['name']}, {where_label(vacancy)}"
    return where_label(vacancy)


# --- When: dated shifts make a vacancy a one-off task ---

def midnight(today: dt.date) -> dt.datetime:
    """The start of the build's day (Belgian time, naive like the content's date-times)."""
    return dt.datetime.combine(today, dt.time())


def is_one_off(vacancy) -> bool:
    return bool(vacancy.data.get("shifts"))


def upcoming_shifts(vacancy, today: dt.date) -> list[dict]:
    """The shifts that have not ended before today, by start. Past shifts drop out of every output."""
    start_of_day = midnight(today)
    return sorted((s for s in vacancy.data.get("shifts") or () if s["end"] >= start_of_day),
                  key=lambda s: (s["start"], s["end"]))


def next_shift(vacancy, today: dt.date) -> dict | None:
    shifts = upcoming_shifts(vacancy, today)
    return shifts[0] if shifts else None


def shifts_over(vacancy, today: dt.date) -> bool:
    """A one-off task whose shifts are all past: it closes like a vacancy past its valid_through."""
    return is_one_off(vacancy) and not upcoming_shifts(vacancy, today)


def kinds_of(vacancy) -> list[str]:
    """The vacancy's values in the "soort" filter: its kind, and 'eenmalig' for a task with dates."""
    return [vacancy.kind, ONE_OFF] if is_one_off(vacancy) else [vacancy.kind]


# --- Photos and events ---

def photo_credit(item) -> str:
    """'Foto: Jan Peeters (CC BY 4.0)'; '' when the content names no maker."""
    credit = item.data.get("image_credit")
    if not credit or not item.data.get("image"):
        return ""
    licence = item.data.get("image_licence") or "alle-rechten"
    return f"Foto: {credit} ({LICENCES[licence]})"


def euro(amount: float) -> str:
    """'€ 5' or '€ 2,50', the Belgian way."""
    if float(amount).is_integer():
        return f"€ {int(amount)}"
    return f"€ {amount:.2f}".replace(".", ",")


def price_label(event) -> str:
    """'Gratis', or '€ 2,50', with the note: 'Gratis. Drank inbegrepen.'"""
    price = event.data.get("price") or 0
    text = euro(price) if price else "Gratis"
    note = event.data.get("price_note")
    return f"{text}. {note}" if note else text


def organiser_name(event, organisations: Mapping[str, object]) -> str:
    slug = event.data.get("organiser")
    return organisations[slug].name if slug else brand.CITY_ORGANISER


def accessibility_label(item) -> str:
    """'Toegankelijk met een rolstoel. Er is een rustige ruimte.' in plain Dutch."""
    first = ("Toegankelijk met een rolstoel." if item.data.get("wheelchair_accessible")
             else "Niet aangepast voor een rolstoel.")
    more = item.data.get("accessibility")
    return f"{first} {more}" if more else first
