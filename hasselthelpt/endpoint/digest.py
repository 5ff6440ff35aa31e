"""The alerts' digest (`hasselthelpt digest`): for each confirmed subscription whose day has come, the open
vacancies published (publication.announced) since its previous digest that match its filters, in one short mail.

Matching is the search page's: a vacancy's facets are search_filters.filters_of (what Pagefind filters on), plus its
organisation; within one filter any value counts, across filters all must (search.js does the same). A
subscription with nothing new gets no mail, but its period moves on. Idempotent: a subscription is due once per
period (next_digest), and marking it served and queueing its mail are one transaction (alerts.record_digests),
so running it twice, or on two machines at once, sends nothing twice. Run it once a day: each subscription
gets its digest a week or a month after the previous one.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from urllib.parse import urlencode

from .. import brand
from ..content.publication import announced, open_public_vacancies
from ..content.search_filters import age_groups, filters_of
from ..outputs.search import SEARCH_URL
from . import alerts, signed_links
from .alerts import FREQUENCIES, ORGANISATION, Subscription
from .mails import SIGNATURE
from .storage import Mail, Storage

MAX_ITEMS = 10  # vacancies in one mail; the rest are behind the link to the full list
BATCH = 500  # subscriptions marked per transaction


@dataclass(frozen=True)
class NewVacancy:
    slug: str
    title: str
    organisation: str  # its name
    published: dt.date
    facets: frozenset[tuple[str, str]]


def facets_of(vacancy, groups) -> frozenset[tuple[str, str]]:
    """What an alert filters on: the search index's filters, and the organisation."""
    return frozenset([*filters_of(vacancy, groups), (ORGANISATION, vacancy.organisation)])


def matches(filters: dict[str, list[str]], facets: frozenset[tuple[str, str]]) -> bool:
    return all(any((key, value) in facets for value in values) for key, values in filters.items())


def open_vacancies(corpus, today: dt.date, subscriptions: list[Subscription]) -> list[NewVacancy]:
    """The open public vacancies, newest first. The age groups include the ages the subscriptions chose,
    so 'from 12 years' keeps its meaning when no vacancy asks 12 today."""
    vacancies = open_public_vacancies(corpus, today)
    chosen = {int(a) for s in subscriptions for a in s.filters.get("leeftijd", ())}
    groups = age_groups([*(v.min_age for v in vacancies), *chosen])
    names = {slug: o.name for slug, o in corpus.organisations.items()}
    out = [NewVacancy(v.slug, v.title, names.get(v.organisation, v.organisation), announced(v),
                      facets_of(v, groups)) for v in vacancies]
    return sorted(out, key=lambda v: (v.published, v.slug), reverse=True)


def full_list_url(site_url: str, filters: dict[str, list[str]]) -> str:
    """The search page with these filters set (search.js reads them from the address)."""
    query = urlencode([(k, v) for k, values in filters.items() if k != ORGANISATION for v in values])
    if ORGANISATION in filters and len(filters) == 1 and len(filters[ORGANISATION]) == 1:
        return f"{site_url}/organisaties/{filters[ORGANISATION][0]}/"
    return f"{site_url}/{SEARCH_URL}" + (f"?{query}" if query else "")


def digest_mail(sub: Subscription, items: list[NewVacancy], site_url: str, urls: dict[str, str],
                summary: str) -> Mail:
    shown, more = items[:MAX_ITEMS], len(items) - MAX_ITEMS
    full = full_list_url(site_url, sub.filters)
    count = "1 nieuwe vacature" if len(items) == 1 else f"{len(items)} nieuwe vacatures"
    when = FREQUENCIES[sub.frequency]
    lines = "\n".join(f"- {v.title} ({v.organisation})\n  {site_url}/vacatures/{v.slug}/" for v in shown)
    rest = f"\nEr zijn er nog {more}. " if more > 0 else "\n"
    text = (f"Dag,\n\nEr is {count} die past bij je alert ({summary}):\n\n{lines}\n{rest}"
            f"Alle vacatures die passen:\n{full}\n\nJe krijgt deze mail {when}, alleen als er iets nieuws is.\n"
            f"Minder vaak, of andere filters? {urls['manage']}\nGeen mails meer? {urls['stop']}" + SIGNATURE)
    esc = html.escape
    items_html = "".join(f'<li><a href="{esc(site_url)}/vacatures/{esc(v.slug)}/">{esc(v.title)}</a> '
                         f"({esc(v.organisation)})</li>" for v in shown)
    body = (f"<p>Dag,</p><p>Er is {count} die past bij je alert ({esc(summary)}):</p><ul>{items_html}</ul>"
            + (f"<p>Er zijn er nog {more}.</p>" if more > 0 else "")
            + f'<p><a href="{esc(full)}">Bekijk alle vacatures die passen</a></p>'
            f"<p>Je krijgt deze mail {when}, alleen als er iets nieuws is. "
            f'<a href="{esc(urls["manage"])}">Minder vaak of stoppen</a> · '
            f'<a href="{esc(urls["stop"])}">Geen mails meer</a></p>' + alerts.signature_html())
    return Mail(sub.email, f"{count} bij {brand.NAME}", text, html=body,
                headers=signed_links.unsubscribe_headers(urls["stop"]))


def run(storage: Storage, corpus, secret: bytes, site_url: str, api_url: str, now: dt.datetime) -> dict[str, int]:
    """One digest run; returns counts: due subscriptions, mails queued, expired unconfirmed ones."""
    expired = alerts.expire(storage, now)
    today = signed_links.local_day(now)
    subs = alerts.due(storage, today)
    # Only vacancies new to some subscription can be in a digest: match those alone.
    earliest = min((s.covered_until for s in subs), default=today)
    vacancies = [v for v in open_vacancies(corpus, today, subs) if earliest < v.published <= today]
    names = {slug: o.name for slug, o in corpus.organisations.items()}
    matched: dict[str, list[NewVacancy]] = {}  # per filter set: many subscriptions share one
    queued, batch = 0, []
    for sub in subs:
        key = repr(sorted(sub.filters.items()))
        if key not in matched:
            matched[key] = [v for v in vacancies if matches(sub.filters, v.facets)]
        new = [v for v in matched[key] if sub.covered_until < v.published <= today]
        mail = digest_mail(sub, new, site_url, alerts.links(secret, api_url, sub),
                           alerts.describe(sub.filters, names)) if new else None
        batch.append((sub, mail))
        if len(batch) >= BATCH:
            queued += alerts.record_digests(storage, batch, now)
            batch = []
    if batch:
        queued += alerts.record_digests(storage, batch, now)
    return {"due": len(subs), "mails": queued, "expired": expired}
