"""What is public, where and when: the one place for the publication rules.

Item-level rules are small pure predicates (`is_preview`, `is_visible`, `is_open`, `is_live`, `may_use`, ...).
`Publication.of(corpus, today, preview)` applies them once per build and holds the sets every output needs;
the build puts it in `Prepared`, so no output decides again what it may show.

The rules, in short:
- A **preview** is a draft, or an item whose publication date lies ahead: shown only in development (the site's
  preview mode), marked 'voorbeeld'; never in a channel.
- **Visible** (on the site in this build mode): not staff-only, a story only with consent for the site, and not
  a preview unless the build shows previews.
- **Open** (a vacancy): before or on valid_through, a shift still to come for a one-off task, its organisation
  not archived. A closed vacancy keeps its page, which says 'afgelopen'.
- **Live** (feeds, calendars, open data, widgets, the matcher): published, its day has come (in every build mode)
  and not over: an open vacancy, an event that has not ended, any story with consent for the site. Staff-only
  live items go to the staff channels only (`staff`), never below the public output.
- **In the feeds**: live, and announced (an event without publish_from is announced EVENT_ANNOUNCE_DAYS before
  it starts, so no pubDate lies in the future).
- **Screens**: `for_screens` gives the candidates; a screen then applies its own choices (signage/select.py).
- **Sign-ups** (the form endpoint): an open vacancy that is not a preview (`takes_signups`).

Pure: this module reads items and dates only (no files, no Markdown), so the endpoint uses it on its light index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping

from .facts import midnight, shifts_over
from .schema import CONSENT_USES

ALL_USES = frozenset(CONSENT_USES)
EVENT_ANNOUNCE_DAYS = 28  # an event without publish_from counts as announced four weeks before it starts
SITE_TYPES = ("vacancy", "story", "event", "page")  # types with pages of their own that a rule can hide
CHANNEL_TYPES = ("vacancy", "story", "event")  # what feeds, calendars and screens carry


# --- Consent and status ---

def consent_uses(story) -> frozenset[str]:
    """What the story may be used for: everything when it names or shows nobody, else what every person
    consented to (nothing without a consent record)."""
    if not story.data.get("people"):
        return ALL_USES
    records = story.data.get("consent") or []
    if not records:
        return frozenset()
    uses = ALL_USES
    for record in records:
        uses = uses & frozenset(record["uses"])
    return uses


def may_use(item, use: str) -> bool:
    """May the item go to this channel (site, social-media, screens, print)? Only stories ask for consent;
    without consent for the site nothing may be published at all."""
    if item.type != "story":
        return True
    uses = consent_uses(item)
    return "site" in uses and use in uses


def is_archived(organisation) -> bool:
    return organisation.data.get("status") == "archived"


def active(organisations: Mapping[str, object]) -> list:
    """The organisations that are not archived, in their given order."""
    return [o for o in organisations.values() if not is_archived(o)]


def is_internal(item) -> bool:
    """Staff-only: for the staff channels (internal feed, intranet page, staff screens) only."""
    return bool(item.data.get("internal"))


# --- Dates ---

def publication_date(item) -> dt.date | None:
    if item.type == "vacancy" or item.type == "event":
        return item.publish_from
    if item.type == "story":
        return item.date
    return None


def is_preview(item, today: dt.date) -> bool:
    """A draft or an item whose publication date lies ahead: shown only in development, marked 'voorbeeld'."""
    pub = publication_date(item)
    return item.status == "draft" or (pub is not None and pub > today)


def is_visible(item, today: dt.date, preview: bool) -> bool:
    """On the public site at all. Staff-only items never are: they go to the staff channels; nor is a story
    without consent for the site."""
    if is_internal(item) or not may_use(item, "site"):
        return False
    return preview or not is_preview(item, today)


def is_open(vacancy, today: dt.date) -> bool:
    """Open: before or on valid_through, with a shift still to come (a one-off task), and its organisation
    not archived. A closed vacancy keeps its page, which says 'afgelopen'."""
    return (vacancy.valid_through >= today and not vacancy.organisation_archived
            and not shifts_over(vacancy, today))


def is_live(item, today: dt.date) -> bool:
    """Published, its day has come, and not over: an open vacancy, an event that has not ended, any story
    whose people consented to publication."""
    if is_preview(item, today) or not may_use(item, "site"):
        return False
    if item.type == "vacancy":
        return is_open(item, today)
    if item.type == "event":
        return item.end >= midnight(today)
    return True


def takes_signups(vacancy, today: dt.date) -> bool:
    """The form endpoint accepts a sign-up: published, its day come, and open."""
    return not is_preview(vacancy, today) and is_open(vacancy, today)


def announced(item) -> dt.date:
    """The day an item counts as published in feeds and calendars (pubDate, DTSTAMP)."""
    if item.type == "story":
        return item.date
    if item.type == "event" and not item.publish_from:
        return item.start.date() - dt.timedelta(days=EVENT_ANNOUNCE_DAYS)
    return item.publish_from


# --- Orders ---

def newest_first(vacancies: Iterable) -> list:
    return sorted(vacancies, key=lambda v: (-v.publish_from.toordinal(), v.title))


def _channel_order(items: dict[str, list]) -> dict[str, list]:
    """Vacancies newest first, stories newest first, events by start."""
    return {"vacancy": newest_first(items["vacancy"]),
            "story": sorted(items["story"], key=lambda s: (s.date, s.slug), reverse=True),
            "event": sorted(items["event"], key=lambda e: (e.start, e.slug))}


# --- Once per build ---

@dataclass(frozen=True)
class Publication:
    """The rules applied to one corpus on one day, in one build mode (preview: the development site)."""

    today: dt.date
    preview: bool
    visible: dict[str, list]  # per SITE_TYPES: on the site in this build mode, in the corpus's order
    previews: frozenset[str]  # paths of the visible items marked 'voorbeeld' (development only)
    open_vacancies: list  # visible and open, newest first: listings, filters, home, agenda tasks
    live: dict[str, list]  # per CHANNEL_TYPES, public and live, in channel order (feeds, widgets, open data...)
    staff: dict[str, list]  # per CHANNEL_TYPES, staff-only and live, in channel order
    public_events: list  # events with a public page in production, past ones too (their .ics stays), by start
    _screens: dict[bool, dict[str, list]]  # staff audience? -> per type, candidates for screens

    @classmethod
    def of(cls, corpus, today: dt.date, preview: bool) -> "Publication":
        visible = {t: [i for i in corpus.of_type(t).values() if is_visible(i, today, preview)] for t in SITE_TYPES}
        live: dict[str, list] = {t: [] for t in CHANNEL_TYPES}
        staff: dict[str, list] = {t: [] for t in CHANNEL_TYPES}
        for t in CHANNEL_TYPES:
            for item in corpus.of_type(t).values():
                if is_live(item, today):
                    (staff if is_internal(item) else live)[t].append(item)
        screens = {audience: {t: [i for i in corpus.of_type(t).values() if _screen_candidate(i, today, preview,
                                                                                           audience)]
                              for t in CHANNEL_TYPES} for audience in (False, True)}
        return cls(
            today=today, preview=preview, visible=visible,
            previews=frozenset(i.path for group in visible.values() for i in group if is_preview(i, today)),
            open_vacancies=newest_first(v for v in visible["vacancy"] if is_open(v, today)),
            live=_channel_order(live), staff=_channel_order(staff),
            public_events=sorted((e for e in corpus.events.values() if not is_internal(e) and not is_preview(e, today)),
                                 key=lambda e: (e.start, e.slug)),
            _screens=screens)

    def shows(self, item) -> bool:
        """Whether this build's public output may hold the item's photo or logo: organisations always,
        other items when visible (never a photo of a draft in production, nor of a staff-only item)."""
        return item.type == "organisation" or is_visible(item, self.today, self.preview)

    def feed(self, staff: bool = False) -> dict[str, list]:
        """The live items (public, or staff-only) whose feed date has come."""
        items = self.staff if staff else self.live
        return {t: [i for i in group if announced(i) <= self.today] for t, group in items.items()}

    def for_screens(self, staff_audience: bool) -> dict[str, list]:
        """Per type, the items a screen of this audience may show, before the screen's own choices: staff-only
        items only on staff screens, previews only in preview mode, open vacancies, stories with consent for
        the screens."""
        return self._screens[staff_audience]


def _screen_candidate(item, today: dt.date, preview: bool, staff_audience: bool) -> bool:
    if is_internal(item) and not staff_audience:
        return False
    if not preview and is_preview(item, today):
        return False
    if item.type == "vacancy" and not is_open(item, today):
        return False
    return may_use(item, "screens")  # a story whose people did not consent to the screens


def open_public_vacancies(corpus, today: dt.date) -> list:
    """The vacancies the matcher ranks: published, their day come, still open, not staff-only (newest first)."""
    return Publication.of(corpus, today, False).live["vacancy"]
