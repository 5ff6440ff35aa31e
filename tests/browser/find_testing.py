"""Helpers of the search and matcher browser tests: what the sample content says the results must be, computed from
the content files' own fields (not from the code under test), and waiting for the page's scripts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from browser_gates import TODAY
from hasselthelpt.content.loading import Item, load_corpus

TODAY_DATE = dt.date.fromisoformat(TODAY)


@dataclass
class Indexed:
    """One page the search index should hold."""
    url: str  # site-relative, e.g. vacatures/kok/
    item: Item
    pairs: set[tuple[str, str]]  # (filter, value)
    newest: str | None  # the 'nieuw' sort key
    closes: str | None  # the 'sluit' sort key


def public(item: Item) -> bool:
    if item.data.get("internal") or item.data.get("status") == "draft":
        return False
    published = {"vacancy": item.data.get("publish_from"), "story": item.data.get("date")}.get(item.type)
    if published and published > TODAY_DATE:
        return False
    if item.type == "story" and item.people:  # published only when everyone in it consented to the site
        return bool(item.consent) and all("site" in c["uses"] for c in item.consent)
    if item.type != "vacancy":
        return True
    start_of_today = dt.datetime.combine(TODAY_DATE, dt.time())
    if item.shifts and all(s["end"] < start_of_today for s in item.shifts):
        return False  # a one-off task whose dates are past
    return item.valid_through >= TODAY_DATE and not item.organisation_archived


def expected_index(project: Path) -> tuple[list[Indexed], list[int]]:
    """Every page the index should hold, with its filters, and the age groups' lower bounds."""
    corpus, errors = load_corpus(project)
    assert not errors, errors
    vacancies = [v for v in corpus.vacancies.values() if public(v)]
    ages = sorted({16, *(v.min_age for v in vacancies)})
    out = []
    for v in vacancies:
        where = v.place["deelgemeente"] if v.location == "adres" else v.location
        pairs = {("type", "vacature"), ("deelgemeente", where), ("soort", v.kind),
                 ("nederlands", v.dutch_level), *(("thema", t) for t in v.themes), *(("wanneer", w) for w in v.when),
                 *(("leeftijd", str(a)) for a in ages if a >= v.min_age)}
        if v.wheelchair_accessible:
            pairs.add(("rolstoel", "ja"))
        if v.shifts:
            pairs.add(("soort", "eenmalig"))
        out.append(Indexed(f"vacatures/{v.slug}/", v, pairs, v.publish_from.isoformat(),
                           v.valid_through.isoformat()))
    for o in corpus.organisations.values():
        if o.status == "archived":
            continue
        pairs = {("type", "organisatie"), *(("thema", t) for t in o.themes)}
        if o.deelgemeente:
            pairs.add(("deelgemeente", o.deelgemeente))
        out.append(Indexed(f"organisaties/{o.slug}/", o, pairs, None, None))
    for s in corpus.stories.values():
        if public(s):
            out.append(Indexed(f"verhalen/{s.slug}/", s, {("type", "verhaal"), *(("thema", t) for t in s.themes)},
                               s.date.isoformat(), None))
    return out, ages


def matching(index: list[Indexed], chosen: dict[str, list[str]]) -> list[Indexed]:
    """The pages that fit a choice: any value within a filter, every filter."""
    return [i for i in index if all(any((key, v) in i.pairs for v in values) for key, values in chosen.items())]


def site_relative(url: str, site_url: str) -> str:
    return urlparse(url).path.removeprefix(urlparse(site_url).path)


def after(page, form_selector: str, action) -> None:
    """Run `action` and wait until the form's script has shown its result (its data-done counter moved on)."""
    before = page.get_attribute(form_selector, "data-done")
    action()
    page.wait_for_function(
        "([sel, before]) => { const f = document.querySelector(sel); const d = f.getAttribute('data-done');"
        " return d !== null && d !== before; }", arg=[form_selector, before])
