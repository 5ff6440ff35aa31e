"""What goes on paper, and with which short address: pure, from the corpus and the date.

- a poster (A4 and A3) per featured open vacancy and per coming event;
- the market-stall list: every open vacancy, by theme, for the stall on the first Friday of the month;
- the welcome-pack page (A5) with the entry points;
- a staff-magazine page per story whose people consented to print.

Only what the public channels carry is printed (publication.is_live: published, its day has come, not over), in
every build mode: paper cannot be taken back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..content.loading import Corpus, Item
from ..content.publication import is_live, may_use, newest_first
from ..content.schema import THEMES
from ..outputs.pages import url_of
from ..outputs.search import MATCHER_URL, SEARCH_URL

BRON = {"poster": "print-affiche", "stall": "print-markt", "welcome": "print-welkom",
        "magazine": "print-personeelsblad"}  # the campaign tag (?bron=) of each format
FRIDAY = 4


@dataclass(frozen=True)
class Entry:
    """One printed thing with its short address: an item, or an entry point of the welcome page."""
    url: str  # site-relative target
    bron: str
    item: Item | None = None
    title: str = ""
    text: str = ""


@dataclass
class PrintPlan:
    stall_day: dt.date
    posters: list[Entry] = field(default_factory=list)
    stall: list[tuple[str, list[Entry]]] = field(default_factory=list)  # (theme label, vacancies)
    welcome: list[Entry] = field(default_factory=list)
    magazine: list[Entry] = field(default_factory=list)

    def entries(self) -> list[Entry]:
        return [*self.posters, *(e for _, group in self.stall for e in group), *self.welcome, *self.magazine]


def stall_day(today: dt.date) -> dt.date:
    """The next market stall: the first Friday of this month, or of the next one when it is past."""
    def first_friday(year: int, month: int) -> dt.date:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(FRIDAY - first.weekday()) % 7)

    day = first_friday(today.year, today.month)
    if day < today:
        day = first_friday(today.year + today.month // 12, today.month % 12 + 1)
    return day


def item_entry(item: Item, kind: str) -> Entry:
    return Entry(url_of(item), BRON[kind], item, item.title, item.summary)


def stall_groups(vacancies: list[Item], day: dt.date) -> list[tuple[str, list[Entry]]]:
    """Open vacancies still open on the stall's day, each under its first theme, themes in the site's order."""
    groups: dict[str, list[Entry]] = {}
    for v in newest_first(v for v in vacancies if v.valid_through >= day):
        groups.setdefault(v.themes[0] if v.themes else "", []).append(item_entry(v, "stall"))
    return [(THEMES.get(theme, "Andere"), groups[theme]) for theme in [*THEMES, ""] if theme in groups]


def welcome_entries(events: list[Item]) -> list[Entry]:
    stall = next((e for e in events if e.kind == "markt"), None)
    return [
        Entry(SEARCH_URL, BRON["welcome"], title="Zoek vrijwilligerswerk",
              text="Zoek op wat je graag doet, of op de plaats waar je woont."),
        Entry(MATCHER_URL, BRON["welcome"], title="Wat past bij jou?",
              text="Beantwoord vijf korte vragen. Je krijgt vrijwilligerswerk dat bij jou past."),
        Entry("afspraak/", BRON["welcome"], title="Maak een afspraak",
              text="Praat met iemand van HASSELT Helpt. Samen zoeken we wat je graag doet."),
        Entry(url_of(stall) if stall else "agenda/", BRON["welcome"], title="Kom naar de infostand op de markt",
              text="Elke eerste vrijdag van de maand staan we op de markt. Kom gerust langs."),
    ]


def print_plan(corpus: Corpus, today: dt.date) -> PrintPlan:
    vacancies = [v for v in corpus.vacancies.values() if not v.internal and is_live(v, today)]
    events = sorted((e for e in corpus.events.values() if not e.internal and is_live(e, today)),
                    key=lambda e: (e.start, e.slug))
    stories = sorted((s for s in corpus.stories.values()
                      if not s.internal and is_live(s, today) and may_use(s, "print")),
                     key=lambda s: (s.date, s.slug), reverse=True)
    day = stall_day(today)
    return PrintPlan(
        stall_day=day,
        posters=[item_entry(v, "poster") for v in newest_first(v for v in vacancies if v.featured)]
        + [item_entry(e, "poster") for e in events],
        stall=stall_groups(vacancies, day),
        welcome=welcome_entries(events),
        magazine=[item_entry(s, "magazine") for s in stories],
    )


def printable(corpus: Corpus) -> list[tuple[Item, str]]:
    """Every item that could be printed, drafts and future ones included (for `check`): (item, format)."""
    out = []
    for v in corpus.vacancies.values():
        out += [(v, "stall")] + ([(v, "poster")] if v.featured else [])
    out += [(e, "poster") for e in corpus.events.values()]
    out += [(s, "magazine") for s in corpus.stories.values() if may_use(s, "print")]
    return out
