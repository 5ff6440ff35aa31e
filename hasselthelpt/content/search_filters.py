"""The search page's filters: the groups a visitor filters vacancies, organisations and stories by, and the
(filter, value) pairs each page gives the search index. Pure data from the schema, so the endpoint's vacancy
alerts (which filter the same way) use it without loading the site's modules."""

from __future__ import annotations

from typing import Iterable

from .facts import kinds_of, where_key
from .schema import DUTCH_LEVELS, KINDS, ONE_OFF, ONE_OFF_LABEL, THEMES, WHEN, WHERE

DEFAULT_MIN_AGE = 16
TYPES = {"vacature": "Vacatures", "organisatie": "Organisaties", "verhaal": "Verhalen"}
TYPE_OF = {"vacancy": "vacature", "organisation": "organisatie", "story": "verhaal"}
WHEELCHAIR = {"ja": "Toegankelijk met een rolstoel"}


def age_groups(min_ages: Iterable[int]) -> list[tuple[int, int | None]]:
    """Age groups from the minimum ages that occur (and 16, the default): (from, to) with to None for the last.
    Within one group every vacancy is open to everyone or to no one, so the age filter is exact."""
    bounds = sorted({DEFAULT_MIN_AGE, *min_ages})
    return [(low, bounds[i + 1] - 1 if i + 1 < len(bounds) else None) for i, low in enumerate(bounds)]


def age_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} jaar of ouder"
    if high == low:
        return f"{low} jaar"
    if high == low + 1:
        return f"{low} of {high} jaar"
    return f"{low} tot {high} jaar"


def filters_of(item, groups: list[tuple[int, int | None]]) -> list[tuple[str, str]]:
    """The (filter, value) pairs of an item page in the search index. Values are slugs (no colon or comma to
    trip Pagefind's attribute syntax); the search page shows their labels."""
    out = [("type", TYPE_OF[item.type])]
    out += [("thema", t) for t in item.themes or ()]
    if item.type == "organisation":
        if item.deelgemeente:
            out.append(("deelgemeente", item.deelgemeente))
        return out
    if item.type != "vacancy":
        return out
    out.append(("deelgemeente", where_key(item)))
    out += [("soort", kind) for kind in kinds_of(item)]
    out += [("wanneer", w) for w in item.when]
    out.append(("nederlands", item.dutch_level))
    out += [("leeftijd", str(low)) for low, _ in groups if low >= item.min_age]
    if item.wheelchair_accessible:
        out.append(("rolstoel", "ja"))
    return out


def search_facets(groups: list[tuple[int, int | None]]) -> list[dict]:
    """The search page's filter groups: Pagefind filter name, legend, control, options (value -> label)."""
    kinds = {**{k: k.capitalize() for k in KINDS}, ONE_OFF: ONE_OFF_LABEL}
    return [
        {"key": "type", "legend": "Wat zoek je?", "control": "checkbox", "options": TYPES},
        {"key": "thema", "legend": "Thema", "control": "checkbox", "options": THEMES},
        {"key": "deelgemeente", "legend": "Waar", "control": "checkbox", "options": WHERE},
        {"key": "soort", "legend": "Soort vrijwilligerswerk", "control": "checkbox", "options": kinds,
         "hint": "Structureel: op vaste momenten, voor langere tijd. Occasioneel: af en toe. Eenmalig: één "
                 "keer, op een vaste datum."},
        {"key": "wanneer", "legend": "Wanneer", "control": "checkbox", "options": WHEN},
        {"key": "nederlands", "legend": "Hoeveel Nederlands vraagt het werk?", "control": "checkbox",
         "options": DUTCH_LEVELS},
        {"key": "leeftijd", "legend": "Je leeftijd", "control": "radio",
         "hint": "Dan zie je alleen vacatures die je op jouw leeftijd mag doen.",
         "options": {"": "Maakt niet uit", **{str(low): age_label(low, high) for low, high in groups}}},
        {"key": "rolstoel", "legend": "Toegankelijkheid", "control": "checkbox", "options": WHEELCHAIR},
    ]
