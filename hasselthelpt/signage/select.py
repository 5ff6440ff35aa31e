"""Which items go on a screen, in which order, with which words, links and validity window.

Pure: the corpus, a screen, the build's date and the site's address in; `Slide`s out. The renderer draws a slide
from its texts alone, and the playlists take its dates, so what a player shows and when it stops showing it both
come from here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..content.facts import next_shift, where_label
from ..content.loading import Corpus, Item
from ..content.publication import Publication, is_internal
from ..jinja import MONTHS, WEEKDAYS
from ..outputs.pages import url_of
from ..settings import TIMEZONE
from .screens import CONTENT_TYPE_OF, Screen

STORY_DAYS = 180  # a story stays on the screens this many days after its date
CAMPAIGN = "hasselthelpt"


@dataclass(frozen=True)
class Slide:
    """One slide of one screen: what is drawn (kickers, title, line, QR target, photo) and what the players are
    told (link, window)."""

    screen: str
    type: str  # vacancy, event, story
    slug: str
    path: str  # the content file, for `check` messages
    kickers: tuple[str, ...]  # the small line above the title, longest first: the first that fits is used
    title: str
    line: str  # "" when the screen shows no second line
    line_field: str | None  # the content field the line comes from (None: not from the content)
    qr_url: str | None  # what the QR code opens; None when the screen has no QR code
    link: str  # the item's page, with the screen's campaign tag
    photo: str | None  # path below content/ of the photo to show, or None
    start: dt.datetime  # aware (Europe/Brussels): first moment the slide may show
    end: dt.datetime  # aware: the slide shows until just before this moment
    internal: bool

    @property
    def drawn(self) -> dict:
        """The fields that shape the image (with the photo's bytes and the screen: the render cache key)."""
        return {"kickers": list(self.kickers), "title": self.title, "line": self.line, "qr_url": self.qr_url,
                "photo": self.photo}


def campaign_url(base_url: str, item: Item, screen: str) -> str:
    """The item's page with a campaign tag, so the city's statistics show which screen brought the visitor."""
    return f"{base_url}/{url_of(item)}?utm_source=signage&utm_medium={screen}&utm_campaign={CAMPAIGN}"


def site_address(base_url: str) -> str:
    """The site's address as people type it: 'hasselt.be/hasselthelpt'."""
    parts = urlsplit(base_url)
    host = parts.netloc.removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), TIMEZONE)


def window(item: Item, today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """When the item may be on a screen: a vacancy from publish_from through valid_through (a one-off task until
    its next shift ends: the slide shows that date, which must not lie in the past), an event from publish_from
    (or the build's date) until it ends, a story from its date for STORY_DAYS days."""
    if item.type == "vacancy":
        end = _midnight(item.valid_through + dt.timedelta(days=1))
        shift = next_shift(item, today)
        if shift:
            end = min(end, shift["end"].replace(tzinfo=TIMEZONE))
        return _midnight(item.publish_from), end
    if item.type == "event":
        start = _midnight(item.publish_from or min(today, item.start.date()))
        return start, item.end.replace(tzinfo=TIMEZONE)
    return _midnight(item.date), _midnight(item.date + dt.timedelta(days=STORY_DAYS))


def _short_date(moment: dt.datetime) -> str:
    return f"{WEEKDAYS[moment.weekday()][:2]} {moment.day} {MONTHS[moment.month - 1]}"


def _hours(start: dt.datetime, end: dt.datetime) -> str:
    def t(m: dt.datetime) -> str:
        return f"{m.hour}.{m.minute:02d}" if m.minute else f"{m.hour}"

    if start.date() == end.date() or (end - start) < dt.timedelta(hours=12):
        return f"{t(start)} tot {t(end)} uur"
    return f"tot {_short_date(end)}"


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def texts(item: Item, screen: Screen, base_url: str, today: dt.date) -> tuple[tuple[str, ...], str, str | None]:
    """(kickers, line, field the line comes from) of an item on a screen. A one-off task's line is its next date."""
    if item.type == "vacancy":
        kickers = ("Voor collega's", "Collega's") if item.internal else ("Vrijwilliger gezocht", "Help mee")
        shift = next_shift(item, today)
        if shift:
            when = f"{_short_date(shift['start'])}, {_hours(shift['start'], shift['end'])}"
            line, field = f"{where_label(item)} · {when}", "shifts"
        else:
            line, field = f"{where_label(item)} · {item.time_commitment}", "time_commitment"
    elif item.type == "event":
        day = f"{WEEKDAYS[item.start.weekday()]} {item.start.day} {MONTHS[item.start.month - 1]}"
        kickers = (f"Agenda · {day}", day, _short_date(item.start))
        where = item.place.get("name") or item.place["address"]
        line, field = f"{_hours(item.start, item.end)} · {where}", ("place.name" if item.place.get("name")
                                                                     else "place.address")
    else:
        kickers = ("Verhaal van een vrijwilliger", "Verhaal")
        line, field = first_sentence(item.summary), "summary"
    if screen.line == "website":
        return kickers, f"Meer info: {site_address(base_url)}", None
    if screen.line == "none":
        return kickers, "", None
    return kickers, line, field


def _wanted(item: Item, screen: Screen, today: dt.date) -> bool:
    """The screen's own choices, among the items content/publication.py allows on a screen of its audience."""
    if screen.featured_only and not (item.featured or is_internal(item)):
        return False
    if screen.theme and item.type in ("vacancy", "story") and screen.theme not in item.themes:
        return False
    return window(item, today)[1] > _midnight(today)


def _order(type_name: str, items: list[Item]) -> list[Item]:
    if type_name == "vacancy":  # staff-only items first on staff screens, then the newest
        return sorted(items, key=lambda v: (not v.internal, -v.publish_from.toordinal(), v.slug))
    if type_name == "event":
        return sorted(items, key=lambda e: (e.start, e.slug))
    return sorted(items, key=lambda s: (-s.date.toordinal(), s.slug))


def select(corpus: Corpus, screen: Screen, today: dt.date, preview: bool, base_url: str,
           limit: bool = True, publication: Publication | None = None) -> list[Slide]:
    """The slides of a screen, in play order: the kinds of content take turns (a vacancy, an event, a story,
    a vacancy...), so a short loop still shows some of each. `limit=False` gives every candidate (for `check`).
    `publication`: the build's (for this corpus, today and preview), when it has one already."""
    publication = publication or Publication.of(corpus, today, preview)
    candidates = publication.for_screens(screen.audience == "staff")
    queues = []
    for kind in screen.content:
        type_name = CONTENT_TYPE_OF[kind]
        items = [i for i in candidates[type_name] if _wanted(i, screen, today)]
        queues.append(_order(type_name, items))
    ordered: list[Item] = []
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    if limit:
        ordered = ordered[:screen.max_slides]
    slides = []
    for item in ordered:
        kickers, line, field = texts(item, screen, base_url, today)
        start, end = window(item, today)
        link = campaign_url(base_url, item, screen.name)
        slides.append(Slide(
            screen=screen.name, type=item.type, slug=item.slug, path=item.path, kickers=kickers,
            title=item.title.replace(" - ", " – "), line=line, line_field=field, qr_url=link if screen.qr else None, link=link,
            photo=item.data.get("image") if screen.photo else None, start=start, end=end,
            internal=bool(item.data.get("internal"))))
    return slides
