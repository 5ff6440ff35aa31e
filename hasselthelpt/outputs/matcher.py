"""The matcher ("laat het systeem matchen"): rank open vacancies for a person's answers, and say why, in plain Dutch.

The formula, in full (the weights are `WEIGHTS`):

    points = 4 x (talents the person named that the vacancy lists)
           + 3 x (themes the person named that the vacancy has)
           + 2   when the person's free moments fit the vacancy's (see below)
           + 2   when the vacancy lies in one of the deelgemeenten the person chose

- "When" fits when the person and the vacancy share a moment (weekdag, avond, weekend, or `eenmalig`: a one-off
  task on a fixed date, which a vacancy with shifts is), or when either side says `flexibel` (the vacancy can be
  done whenever it suits; the person can help any time).
- The place is the vacancy's deelgemeente, or `thuis` (at home or online) or `verschillende-plaatsen`; the
  person chooses among the same values. None chosen means "maakt niet uit": the place then gives nobody points.
- Hard constraints rule a vacancy out whatever its points (`score` then returns points None):
  the vacancy asks more Dutch than the person speaks (geen < basis < vlot; a vacancy that needs 'vlot' never
  ranks for someone with 'geen'), the person is younger than its `min_age`, or the person uses a wheelchair and
  the vacancy is not `wheelchair_accessible`. An unanswered question constrains nothing.
- `rank` keeps the vacancies with at least one point, best first; ties go to the newest vacancy
  (`publish_from`), then to the slug in alphabetical order, so the order is always the same.

Talents weigh most because they are the most specific answer (18 to choose from, and what a person is good at
is what organisations ask about); themes (passions and interests) next; the moment and the place count less,
because a matcher can often arrange those. Every point has a reason, and `explain` turns the reasons into one
sentence: "Past bij je talent koken, je interesse voor buurt en samenleven en je vrije avonden."

The same formula runs in the browser (theme/static/js/matcher.js), on the data `matcher_data` writes at build
time (weights, phrases and every open public vacancy's features). tests/test_matching.py runs that script in
Node and compares its ranking with `rank` for many answer sets; the browser tests do the same in Chromium.
Nothing leaves the browser: the person's answers are never sent anywhere by the matcher.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..content.facts import is_one_off, next_shift, where_key
from ..content.schema import DEELGEMEENTEN, DUTCH_LEVELS, MOMENTS, ONE_OFF, TALENTS, THEMES, WHERE
from ..jinja import nl_period

DATA_VERSION = 1
WEIGHTS = {"talent": 4, "theme": 3, "when": 2, "place": 2}
DUTCH_ORDER = tuple(DUTCH_LEVELS)  # geen < basis < vlot
FLEXIBLE = "flexibel"

# The questions, in the words a person reads on the matcher page (the vocabularies' slugs are the answers).
DUTCH_ANSWERS = {"geen": "Nog geen of bijna geen Nederlands", "basis": "Een beetje Nederlands",
                 "vlot": "Vlot Nederlands"}
WHEN_ANSWERS = {"weekdag": "Overdag in de week", "avond": "'s Avonds", "weekend": "In het weekend",
                ONE_OFF: "Eén keer, op een vaste datum", "flexibel": "Het maakt niet uit: ik ben flexibel"}
PLACE_ANSWERS = WHERE

# Pieces of the explanation ("Past bij je talent koken ..."); the browser gets the same pieces.
PHRASES = {
    "lead": "Past bij ",
    "talent": ("je talent ", "je talenten "),  # one, several
    "theme": "je interesse voor ",
    "theme_join": " en voor ",
    "when": {"weekdag": "je vrije tijd overdag in de week", "avond": "je vrije avonden",
             "weekend": "je vrije weekends", ONE_OFF: "je keuze voor een taak op een vaste datum",
             FLEXIBLE: "je vrije momenten"},
    "place": "je keuze voor ",
    "and": " en ",
    "comma": ", ",
    "end": ".",
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# Labels as they read inside a sentence.
SENTENCE_LABELS = {
    "talents": dict(TALENTS),
    "themes": {slug: _lower_first(label) for slug, label in THEMES.items()},
    "deelgemeenten": {slug: label if slug in DEELGEMEENTEN else _lower_first(label)
                      for slug, label in WHERE.items()},  # every place value, deelgemeenten or not
}


@dataclass(frozen=True)
class Answers:
    """What a person told the matcher. Every question may stay unanswered (empty, or None)."""

    themes: frozenset[str] = frozenset()  # what you love doing: passions and interests
    talents: frozenset[str] = frozenset()  # what you are good at
    when: frozenset[str] = frozenset()  # weekdag, avond, weekend, flexibel
    places: frozenset[str] = frozenset()  # deelgemeenten; empty: maakt niet uit
    dutch: str | None = None  # geen, basis, vlot
    age: int | None = None
    wheelchair: bool = False

    @classmethod
    def of(cls, themes: Iterable[str] = (), talents: Iterable[str] = (), when: Iterable[str] = (),
           places: Iterable[str] = (), dutch: str | None = None, age: int | None = None,
           wheelchair: bool = False) -> "Answers":
        return cls(frozenset(themes), frozenset(talents), frozenset(when), frozenset(places), dutch or None, age,
                   bool(wheelchair))


@dataclass(frozen=True)
class Features:
    """What the matcher knows of a vacancy: the fields it scores on, and what a result shows."""

    slug: str
    title: str
    themes: tuple[str, ...] = ()
    talents: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    place: str = ""
    dutch: str = "geen"
    min_age: int = 16
    wheelchair: bool = False
    published: str = ""  # publish_from, YYYY-MM-DD (for the tie-break)
    organisation: str = ""  # its name
    kind: str = ""
    time: str = ""  # time_commitment
    next: str = ""  # a one-off task's next date, in Dutch ("" for others)


def features_of(vacancy, organisation_name: str = "", today: dt.date | None = None) -> Features:
    """The matcher's view of a loaded vacancy (`content.Item`); `today` decides its next date."""
    shift = next_shift(vacancy, today) if today else None
    when = tuple(vacancy.when) + ((ONE_OFF,) if is_one_off(vacancy) else ())
    return Features(slug=vacancy.slug, title=vacancy.title, themes=tuple(vacancy.themes),
                    talents=tuple(vacancy.talents or ()), when=when,
                    place=where_key(vacancy), dutch=vacancy.dutch_level, min_age=vacancy.min_age,
                    wheelchair=bool(vacancy.wheelchair_accessible), published=vacancy.publish_from.isoformat(),
                    organisation=organisation_name, kind=vacancy.kind, time=vacancy.time_commitment,
                    next=nl_period(shift["start"], shift["end"]) if shift else "")


Reason = tuple[str, tuple[str, ...]]  # (talent | theme | when | place, the matching slugs), or a ruling-out


def _in_order(values: Iterable[str], vocabulary: Mapping[str, str]) -> tuple[str, ...]:
    chosen = set(values)
    return tuple(slug for slug in vocabulary if slug in chosen)


def ruled_out(vacancy: Features, answers: Answers) -> Reason | None:
    """Which hard constraint rules the vacancy out for this person, or None."""
    if answers.dutch and DUTCH_ORDER.index(vacancy.dutch) > DUTCH_ORDER.index(answers.dutch):
        return ("dutch", (vacancy.dutch,))
    if answers.age is not None and answers.age < vacancy.min_age:
        return ("age", (str(vacancy.min_age),))
    if answers.wheelchair and not vacancy.wheelchair:
        return ("wheelchair", ())
    return None


def when_fits(vacancy: Features, answers: Answers) -> tuple[str, ...]:
    """The moments that make the vacancy fit the person's time (empty: no fit, or the question unanswered)."""
    if not answers.when:
        return ()
    shared = _in_order((set(answers.when) & set(vacancy.when)) - {FLEXIBLE}, MOMENTS)
    if shared:
        return shared
    if FLEXIBLE in vacancy.when or FLEXIBLE in answers.when:
        return (FLEXIBLE,)
    return ()


def score(vacancy: Features, answers: Answers) -> tuple[int | None, list[Reason]]:
    """(points, reasons). Points are None when a hard constraint rules the vacancy out; the one reason then
    names it: ('dutch', (level,)), ('age', (min_age,)) or ('wheelchair', ())."""
    out = ruled_out(vacancy, answers)
    if out:
        return None, [out]
    points, reasons = 0, []
    talents = _in_order(set(vacancy.talents) & answers.talents, TALENTS)
    if talents:
        points += WEIGHTS["talent"] * len(talents)
        reasons.append(("talent", talents))
    themes = _in_order(set(vacancy.themes) & answers.themes, THEMES)
    if themes:
        points += WEIGHTS["theme"] * len(themes)
        reasons.append(("theme", themes))
    moments = when_fits(vacancy, answers)
    if moments:
        points += WEIGHTS["when"]
        reasons.append(("when", moments))
    if vacancy.place in answers.places:
        points += WEIGHTS["place"]
        reasons.append(("place", (vacancy.place,)))
    return points, reasons


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return PHRASES["comma"].join(parts[:-1]) + PHRASES["and"] + parts[-1]


def explain(reasons: list[Reason]) -> str:
    """One plain-Dutch sentence for the reasons of a match ('' when there are none)."""
    parts = []
    for kind, values in reasons:
        if kind == "talent":
            labels = [SENTENCE_LABELS["talents"][v] for v in values]
            parts.append(PHRASES["talent"][len(values) > 1] + _join(labels))
        elif kind == "theme":
            parts.append(PHRASES["theme"] + PHRASES["theme_join"].join(SENTENCE_LABELS["themes"][v] for v in values))
        elif kind == "when":
            parts.append(_join([PHRASES["when"][v] for v in values]))
        elif kind == "place":
            parts.append(PHRASES["place"] + SENTENCE_LABELS["deelgemeenten"][values[0]])
    return PHRASES["lead"] + _join(parts) + PHRASES["end"] if parts else ""


@dataclass(frozen=True)
class Match:
    vacancy: Features
    points: int
    reasons: list[Reason] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        return explain(self.reasons)


def rank(vacancies: Iterable[Features], answers: Answers, limit: int | None = None) -> list[Match]:
    """The vacancies that fit, best first: points (high to low), then the newest, then the slug."""
    matches = []
    for v in vacancies:
        points, reasons = score(v, answers)
        if points:
            matches.append(Match(v, points, reasons))
    # Two stable sorts: slug ascending, then (points, published) descending.
    matches.sort(key=lambda m: m.vacancy.slug)
    matches.sort(key=lambda m: (m.points, m.vacancy.published), reverse=True)
    return matches[:limit] if limit is not None else matches


# --- The data the browser gets (written by the build to matcher/data.json) ----------------------------------

VOCABULARIES = {"themes": THEMES, "talents": TALENTS, "when": MOMENTS, "places": WHERE, "dutch": DUTCH_LEVELS}
FIELDS = ("slug", "title", "organisation", "themes", "talents", "when", "place", "dutch", "min_age", "wheelchair",
          "published", "kind", "time", "next")


def matcher_data(vacancies: Iterable[Features]) -> dict:
    """Everything matcher.js needs, JSON-ready and compact: each vacancy is a row of FIELDS, its vocabulary values
    as indexes into `vocabularies`, organisation names as indexes into `organisations`. Sorted by slug, so the
    same content gives the same bytes."""
    rows, organisations = [], []
    org_index: dict[str, int] = {}
    index = {name: {slug: i for i, slug in enumerate(vocab)} for name, vocab in VOCABULARIES.items()}
    for v in sorted(vacancies, key=lambda f: f.slug):
        if v.organisation not in org_index:
            org_index[v.organisation] = len(organisations)
            organisations.append(v.organisation)
        rows.append([v.slug, v.title, org_index[v.organisation], [index["themes"][t] for t in v.themes],
                     [index["talents"][t] for t in v.talents], [index["when"][w] for w in v.when],
                     index["places"][v.place], index["dutch"][v.dutch], v.min_age, 1 if v.wheelchair else 0,
                     v.published, v.kind, v.time, v.next])
    return {
        "version": DATA_VERSION,
        "weights": WEIGHTS,
        "flexible": FLEXIBLE,
        "phrases": PHRASES,
        "labels": SENTENCE_LABELS,
        "vocabularies": {name: list(vocab) for name, vocab in VOCABULARIES.items()},
        "fields": list(FIELDS),
        "organisations": organisations,
        "vacancies": rows,
    }


def features_from_data(data: Mapping) -> list[Features]:
    """The Features back from `matcher_data`'s JSON (what the browser works on)."""
    vocab = data["vocabularies"]
    out = []
    for row in data["vacancies"]:
        r = dict(zip(data["fields"], row))
        out.append(Features(slug=r["slug"], title=r["title"], organisation=data["organisations"][r["organisation"]],
                            themes=tuple(vocab["themes"][i] for i in r["themes"]),
                            talents=tuple(vocab["talents"][i] for i in r["talents"]),
                            when=tuple(vocab["when"][i] for i in r["when"]), place=vocab["places"][r["place"]],
                            dutch=vocab["dutch"][r["dutch"]], min_age=r["min_age"], wheelchair=bool(r["wheelchair"]),
                            published=r["published"], kind=r["kind"], time=r["time"], next=r["next"]))
    return out

