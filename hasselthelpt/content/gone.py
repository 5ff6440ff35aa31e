"""Addresses whose content was removed for good (a deleted vacancy, a stopped organisation's file): each one listed
in `content/gone.yaml` keeps a page saying it is no longer available ("niet meer beschikbaar"), with open vacancies
like it, as an expired vacancy does. Addresses are permanent: `publish` refuses to drop one the live site serves
unless a redirect or an entry here says what happens to it.

    - url: /vacatures/kok-buurtsoep/
      title: Kok voor de buurtsoep
      themes: [buurt-en-samenleven]   # optional: which open vacancies to show instead
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .links import _load_list, _normalise
from .loading import ContentError, Item
from .schema import THEMES

GONE = "content/gone.yaml"
SIMILAR_COUNT = 3


@dataclass(frozen=True)
class Gone:
    url: str  # site-relative, e.g. vacatures/kok/
    title: str
    themes: tuple[str, ...] = ()


def load_gone(root: Path) -> tuple[list[Gone], list[ContentError]]:
    entries, errors = _load_list(root, GONE, ("url", "title"))
    gone = []
    for i, entry in enumerate(entries):
        url, themes = _normalise(entry["url"]), entry.get("themes") or []
        if not url or not url.endswith("/"):
            errors.append(ContentError(GONE, f"[{i}].url", f"'{entry['url']}' is not the address of a page",
                                       "Write a page address such as /vacatures/kok-buurtsoep/.", entry["line"]))
            continue
        if not isinstance(themes, list):
            errors.append(ContentError(GONE, f"[{i}].themes", "must be a list",
                                       "Write the themes between brackets: [buurt-en-samenleven].", entry["line"]))
            continue
        unknown = [t for t in themes if t not in THEMES]
        if unknown:
            errors.append(ContentError(GONE, f"[{i}].themes", f"has '{unknown[0]}', which is not a theme",
                                       f"Use a list of: {', '.join(THEMES)}.", entry["line"]))
            continue
        gone.append(Gone(url, entry["title"].strip(), tuple(themes)))
    return gone, errors


def check_gone(gone: list[Gone], page_urls: set[str]) -> list[ContentError]:
    """A gone address has no page of its own (links.check_links refuses a redirect from it)."""
    return [ContentError(GONE, "url", f"'/{entry.url}' still has its own page",
                         "Remove the entry, or remove the content file of that page.")
            for entry in gone if entry.url in page_urls]


def similar_to(entry: Gone, open_vacancies: list[Item], count: int = SIMILAR_COUNT) -> list[Item]:
    """Open vacancies (given newest first) sharing the most themes with the removed item; the newest if none."""
    themes = set(entry.themes)
    ranked = sorted(enumerate(open_vacancies), key=lambda pair: (-len(themes & set(pair[1].themes)), pair[0]))
    return [v for _, v in ranked[:count]]
