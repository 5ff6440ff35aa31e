"""What the website consists of: which pages exist, at which permanent URL, with which template and data.

`plan_site` is pure: it takes the checked corpus and its `Publication` (what is shown, content/publication.py) and returns
the plan of pages to write; `complete` adds the derived images. The Pelican plugin only renders and writes them;
tests can inspect the plan without Pelican.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..content.facts import kinds_of, midnight, upcoming_shifts, where_key
from ..content.gone import Gone, similar_to
from ..content.loading import Corpus, Item
from ..content.publication import Publication, is_archived, is_open
from ..content.schema import KINDS, ONE_OFF, ONE_OFF_LABEL, THEMES, WHERE
from ..content.search_filters import age_groups, filters_of, search_facets
from ..images.photos import ImageSet
from .matcher import DUTCH_ANSWERS, PLACE_ANSWERS, WHEN_ANSWERS
from .search import MATCHER_URL, SEARCH_ALL, SEARCH_URL

# Filter dimensions of the vacancy overview: URL segment, Dutch heading, vocabulary, how to read a vacancy.
FILTERS: tuple[tuple[str, str, dict[str, str], Callable[[Item], Iterable[str]]], ...] = (
    ("thema", "Thema", THEMES, lambda v: v.themes),
    ("deelgemeente", "Waar", WHERE, lambda v: [where_key(v)]),
    ("soort", "Soort vrijwilligerswerk", {**{k: k.capitalize() for k in KINDS}, ONE_OFF: ONE_OFF_LABEL}, kinds_of),
)

SECTIONS = (  # main menu: URL, label. Pages with a `menu` number follow.
    ("vacatures/", "Vacatures"),
    ("organisaties/", "Organisaties"),
    ("verhalen/", "Verhalen"),
    ("agenda/", "Agenda"),
)

HOME_COUNTS = {"featured": 6, "newest": 6, "stories": 3, "events": 3}
SIMILAR_COUNT = 3


def url_of(item: Item) -> str:
    """The permanent URL path of an item, relative to the site root."""
    prefix = {"vacancy": "vacatures/", "organisation": "organisaties/", "story": "verhalen/", "event": "agenda/",
              "page": "", "press": "pers/"}[item.type]
    return f"{prefix}{item.slug}/"


def filter_url(dimension: str, value: str) -> str:
    return f"vacatures/{dimension}/{value}/"


@dataclass(frozen=True)
class Page:
    save_as: str  # file below the output folder
    template: str  # template name without .html
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.save_as.removesuffix("index.html")


REDIRECT = "redirect"


def redirect_page(url: str, target: str) -> Page:
    """The page at an old address that sends browsers to `target`. Its template needs nothing of the shared
    context (menu, organisations, images, meta), so its context is its own two values: thousands of such pages
    (the printed short links) then cost nearly nothing to plan, digest and render."""
    return Page(f"{url}index.html", REDIRECT, {"page_url": url, "target": target})


def by_organisation(items: Iterable[Item]) -> dict[str, list[Item]]:
    """Items grouped by their organisation's slug, in the given order (one pass, not one per organisation)."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        if item.data.get("organisation"):
            groups.setdefault(item.organisation, []).append(item)
    return groups


class Similar:
    """"Similar vacancies" of an expired vacancy: the open vacancies that share the most themes, then the
    deelgemeente, then the kind; then by title, then by their order in `open_vacancies` (newest first).

    An inverted index makes this cost what the answer needs instead of a pass over every open vacancy per expired
    one (quadratic at city scale): each open vacancy is filed under every non-empty subset of its themes, then by
    (where, kind), each list sorted by (title, order). A query walks the score classes from the best down
    (shared themes, then same/other place (facts.where_key), then same/other kind) and merges only the heads of the lists of
    that class, until it has `count` vacancies. Same answers as scoring every open vacancy (tests/test_site.py)."""

    def __init__(self, open_vacancies: list[Item]):
        self._index: dict[frozenset[str], dict[tuple[str, str], list[tuple[str, int, Item]]]] = {}
        for position, v in enumerate(open_vacancies):
            themes = sorted(set(v.themes))
            for size in range(1, len(themes) + 1):
                for subset in itertools.combinations(themes, size):
                    self._index.setdefault(frozenset(subset), {}).setdefault(
                        (where_key(v), v.kind), []).append((v.title, position, v))
        for buckets in self._index.values():
            for entries in buckets.values():
                entries.sort(key=lambda e: e[:2])

    def of(self, vacancy: Item, count: int = SIMILAR_COUNT) -> list[Item]:
        themes = set(vacancy.themes)
        place, kind = where_key(vacancy), vacancy.kind
        found: list[Item] = []
        for shared in range(len(themes), 0, -1):
            subsets = [self._index.get(frozenset(s), {}) for s in itertools.combinations(sorted(themes), shared)]
            for other_place, other_kind in ((False, False), (False, True), (True, False), (True, True)):
                lists = [entries for buckets in subsets for (p, k), entries in buckets.items()
                         if (p != place) == other_place and (k != kind) == other_kind]
                for _, _, other in heapq.merge(*lists, key=lambda e: e[:2]):
                    if other.slug != vacancy.slug and len(themes & set(other.themes)) == shared:
                        found.append(other)  # fewer shared themes: a later class; more: an earlier one
                        if len(found) == count:
                            return found
        return found


def paginate(base_url: str, items: list[Item], per_page: int) -> list[tuple[str, list[Item], dict]]:
    """Split a list over pages: base_url, then base_url + 'pagina/2/' ... Always at least one page."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    urls = [base_url] + [f"{base_url}pagina/{n}/" for n in range(2, len(chunks) + 1)]
    out = []
    for n, chunk in enumerate(chunks):
        nav = {"number": n + 1, "count": len(chunks), "previous": urls[n - 1] if n else None,
               "next": urls[n + 1] if n + 1 < len(chunks) else None, "urls": urls}
        out.append((urls[n], chunk, nav))
    return out


@dataclass(frozen=True)
class Plan:
    """The pages of the site, and the context they all share (menu, organisations, images...): outputs that add
    pages (the widget, open data) take `common` from here."""

    common: dict[str, Any]
    pages: list[Page]


def plan_site(corpus: Corpus, publication: Publication, per_page: int, redirects: dict[str, str],
              gone: Iterable[Gone] = ()) -> Plan:
    """Every page of the site, for the items `publication` shows. `redirects` maps an old site-relative URL to
    the one that replaces it; `gone` lists removed addresses that keep a page (content/gone.py). The pages know no images
    yet and expired vacancies list no similar ones: `check` needs only the addresses; the build adds both with
    `complete` (the plan is made once)."""
    today, visible = publication.today, publication.visible
    vacancies = visible["vacancy"]
    open_vacancies = publication.open_vacancies
    by_org = by_organisation(open_vacancies)
    stories = sorted(visible["story"], key=lambda s: (s.date, s.slug), reverse=True)
    events = sorted(visible["event"], key=lambda e: e.start)
    now = midnight(today)
    upcoming = [e for e in events if e.end >= now]
    # One-off tasks in the agenda: every coming shift of an open vacancy, by start.
    tasks = sorted(((shift, v) for v in open_vacancies for shift in upcoming_shifts(v, today)),
                   key=lambda pair: (pair[0]["start"], pair[1].slug))
    pages_in_menu = sorted((p for p in visible["page"] if p.menu), key=lambda p: p.menu)
    ages = age_groups(v.min_age for v in open_vacancies)  # the search index's age filter (search.py)

    common = {
        "orgs": corpus.organisations,
        "images": {},
        "today": today,
        "menu": list(SECTIONS) + [(url_of(p), p.menu_title or p.title) for p in pages_in_menu],
        "previews": publication.previews,
        "search_filters": lambda item: filters_of(item, ages),  # theme/templates/_search.html
        "SEARCH_ALL": SEARCH_ALL,
    }

    def page(url: str, template: str, **context: Any) -> Page:
        return Page(f"{url}index.html", template, {**common, "page_url": url, **context})

    out = [page("", "index",
                featured=[v for v in open_vacancies if v.featured][:HOME_COUNTS["featured"]],
                newest=open_vacancies[:HOME_COUNTS["newest"]],
                stories=stories[:HOME_COUNTS["stories"]],
                events=upcoming[:HOME_COUNTS["events"]],
                open_count=len(open_vacancies))]

    # What the pages show of each filter (counts, links), apart from its groups of vacancies: a page's inputs are
    # its context (incremental.py), and an edit of one vacancy must not make every listing page stale.
    facets, grouped = [], []
    for dimension, heading, vocabulary, values_of in FILTERS:
        groups: dict[str, list[Item]] = {value: [] for value in vocabulary}
        for v in open_vacancies:
            for value in values_of(v):
                groups[value].append(v)
        facets.append({"dimension": dimension, "heading": heading,
                       "options": [{"value": k, "label": label, "count": len(groups[k]),
                                    "url": filter_url(dimension, k)} for k, label in vocabulary.items()]})
        grouped.append((dimension, heading, vocabulary, groups))

    def listing(base: str, items: list[Item], **context: Any) -> None:
        for url, chunk, nav in paginate(base, items, per_page):
            out.append(page(url, "vacancies", vacancies=chunk, pager=nav, total=len(items),
                            facets=facets, **context))

    listing("vacatures/", open_vacancies, active=None)
    for dimension, heading, vocabulary, groups in grouped:
        for value, items in groups.items():
            listing(filter_url(dimension, value), items,
                    active={"dimension": dimension, "value": value, "heading": heading, "label": vocabulary[value]})

    for v in vacancies:
        if is_open(v, today):
            out.append(page(url_of(v), "vacancy", vacancy=v, organisation=corpus.organisations[v.organisation]))
        else:  # the URL stays: a page that says it is over and points to similar open vacancies
            out.append(page(url_of(v), "vacancy_expired", vacancy=v,
                            organisation=corpus.organisations[v.organisation], similar=[]))

    all_organisations = sorted(corpus.organisations.values(), key=lambda o: o.name.casefold())
    organisations = [o for o in all_organisations if not is_archived(o)]  # lists, forms: archived ones left out
    stories_by_org = by_organisation(stories)
    out.append(page("organisaties/", "organisations", organisations=organisations,
                    counts={o.slug: len(by_org.get(o.slug, [])) for o in organisations}))
    for o in all_organisations:  # an archived organisation keeps its page, with a notice and no vacancies
        out.append(page(url_of(o), "organisation", organisation=o, vacancies=by_org.get(o.slug, []),
                        stories=stories_by_org.get(o.slug, []), archived=is_archived(o)))

    out.append(page("verhalen/", "stories", stories=stories))
    open_slugs = {v.slug for v in open_vacancies}
    for s in stories:
        linked = corpus.vacancies.get(s.vacancy) if s.vacancy else None
        show_linked = linked is not None and linked.slug in open_slugs
        out.append(page(url_of(s), "story", story=s, vacancy=linked if show_linked else None,
                        organisation=corpus.organisations.get(s.organisation) if s.organisation else None))

    out.append(page("agenda/", "agenda", upcoming=upcoming, tasks=tasks,
                    past=[e for e in events if e.end < now][-6:][::-1]))
    for e in events:
        out.append(page(url_of(e), "event", event=e, past=e.end < now))

    for p in visible["page"]:
        out.append(page(url_of(p), "page", page=p))
    out.append(page("bedankt/", "thanks"))
    # The other two forms (the endpoint, hasselthelpt/endpoint/, takes them) and their thank-you pages.
    stalls = [e for e in upcoming if e.kind == "markt"][:3]
    out.append(page("afspraak/", "appointment", stalls=stalls))
    # Search (Pagefind, in the browser) and the matcher; without JavaScript they point to the pages above.
    out.append(page(SEARCH_URL, "search", facets=search_facets(ages), server_facets=facets))
    out.append(page(MATCHER_URL, "matcher", stalls=stalls, server_facets=facets,
                    MATCHER={"when": WHEN_ANSWERS, "dutch": DUTCH_ANSWERS, "places": PLACE_ANSWERS}))
    out.append(page("afspraak/bedankt/", "thanks", form="afspraak"))
    out.append(page("vacature-indienen/", "submit_vacancy", organisations=organisations))
    out.append(page("vacature-indienen/bedankt/", "thanks", form="vacature"))
    for old, new in redirects.items():
        out.append(redirect_page(old, new))
    for entry in gone:  # content removed for good: the address says so and shows open vacancies like it
        out.append(page(entry.url, "gone", gone=entry, similar=[]))
    out.append(Page("404.html", "404", {**common, "page_url": "404.html"}))
    return Plan(common, out)


def complete(plan: Plan, publication: Publication, images: dict[str, ImageSet]) -> Plan:
    """The plan with the derived images (a content image path -> its resized variants) in every page's context,
    and the similar open vacancies on each expired vacancy's page (computed here only, once per build)."""
    similar = Similar(publication.open_vacancies)

    def context(page: Page) -> dict[str, Any]:
        if page.template == REDIRECT:
            return page.context
        extra: dict[str, Any] = {"images": images}
        if page.template == "vacancy_expired":
            extra["similar"] = similar.of(page.context["vacancy"])
        elif page.template == "gone":
            extra["similar"] = similar_to(page.context["gone"], publication.open_vacancies)
        return {**page.context, **extra}

    return Plan({**plan.common, "images": images}, [Page(p.save_as, p.template, context(p)) for p in plan.pages])
