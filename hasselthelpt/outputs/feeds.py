"""The RSS and Atom feeds: which feeds there are, what each item says, and the public feeds' writer.

Feeds carry the live items of the build's `Publication` whose feed date has come (`Publication.feed`): the
newsletters ("in de kijker"), all vacancies, stories, one feed per theme and per organisation; the staff feed
(outputs/staff.py) carries the staff-only ones. The bytes are made by hasselthelpt/outputs/feed_writer.py (feedgen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import jinja2

from .. import brand
from ..content.facts import (accessibility_label, organiser_name, photo_credit, price_label, upcoming_shifts, where_key,
                     where_short)
from ..content.loading import Item
from ..content.publication import Publication, announced
from ..content.schema import DEELGEMEENTEN, EVENT_KINDS, KINDS, THEMES
from ..files import write_if_changed
from ..images.photos import ImageSet
from ..incremental import give_way
from ..jinja import environment, nl_period
from ..settings import TIMEZONE, Settings
from . import feed_writer, ics
from .channel_images import email_image
from .pages import by_organisation, url_of

FEEDS_FOLDER = "feeds"
STAFF_FEED = f"{FEEDS_FOLDER}/intern"
ITEM_TEMPLATE = "feed_item.html"


@dataclass(frozen=True)
class FeedLink:
    title: str
    path: str  # below the output folder, without .rss.xml / .atom.xml


def general_feeds() -> list[FeedLink]:
    return [FeedLink(f"{brand.NAME}: in de kijker", f"{FEEDS_FOLDER}/in-de-kijker"),
            FeedLink(f"{brand.NAME}: alle vacatures", f"{FEEDS_FOLDER}/vacatures"),
            FeedLink(f"{brand.NAME}: verhalen", f"{FEEDS_FOLDER}/verhalen")]


def theme_feed(theme: str) -> FeedLink:
    return FeedLink(f"{brand.NAME}: vacatures {THEMES[theme].lower()}", f"{FEEDS_FOLDER}/thema/{theme}")


def deelgemeente_feed(place: str) -> FeedLink:
    """Per deelgemeente, for the newsletters of neighbourhood associations."""
    return FeedLink(f"{brand.NAME}: vacatures in {DEELGEMEENTEN[place]}", f"{FEEDS_FOLDER}/deelgemeente/{place}")


def organisation_feed(org: Item) -> FeedLink:
    return FeedLink(f"{brand.NAME}: vacatures bij {org.name}", f"{FEEDS_FOLDER}/organisatie/{org.slug}")


def published_moment(item: Item) -> dt.datetime:
    return dt.datetime.combine(announced(item), dt.time(), tzinfo=TIMEZONE)


@dataclass(frozen=True)
class FeedContext:
    base: str  # absolute URL of the folder the feed is written to (no trailing slash)
    site: str  # absolute URL of the public site
    orgs: dict[str, Item]
    images: dict[str, ImageSet]
    file_size: Callable[[str], int]  # image URL (img/...) -> bytes
    item_url: Callable[[Item], str]  # absolute
    today: dt.date
    template: jinja2.Template  # theme/templates/feed_item.html


def item_template(settings: Settings) -> jinja2.Template:
    return environment(settings.templates).get_template(ITEM_TEMPLATE)


def image_size(settings: Settings) -> Callable[[str], int]:
    """The size in bytes of a derived image, by its URL (img/<file>): the file in the image cache."""
    cache_dir = settings.cache_path / "images"
    return lambda url: (cache_dir / Path(url).name).stat().st_size


def _image(item: Item, ctx: FeedContext) -> feed_writer.FeedImage:
    variants = email_image(item, ctx.images).variants
    small, large = variants[0], variants[-1]
    alt = item.data.get("image_alt") or ""
    return feed_writer.FeedImage(f"{ctx.base}/{small.url}", small.width, small.height, ctx.file_size(small.url), alt,
                           f"{ctx.base}/{large.url}" if large is not small else None, photo_credit(item))


def feed_item(item: Item, ctx: FeedContext) -> feed_writer.FeedItem:
    """An item as the newsletters show it: the summary, the text, its facts and a button (or, for a staff-only
    vacancy, which has no public page with a form, its contact person): theme/templates/feed_item.html."""
    url = ctx.item_url(item)
    contact = None
    if item.type == "vacancy":
        org = ctx.orgs[item.organisation]
        facts = [("Organisatie", org.name), ("Waar", where_short(item)),
                 ("Soort", KINDS[item.kind].split(":")[0]), ("Hoeveel tijd", item.time_commitment)]
        facts += [("Wanneer", nl_period(s["start"], s["end"])) for s in upcoming_shifts(item, ctx.today)]
        facts.append(("Reageren kan tot", f"{item.valid_through:%d-%m-%Y}"))
        text, button, contact = item.html.get("description", ""), "Ik wil helpen", item.contact if item.internal else None
        categories = tuple((t, THEMES[t]) for t in item.themes)
        title = f"{item.title} ({org.name})"
    elif item.type == "story":
        facts, text, button = [], item.html.get("body", ""), "Lees het verhaal op de site"
        categories = tuple((t, THEMES[t]) for t in item.themes)
        title = item.title
    else:
        facts = [("Wanneer", nl_period(item.start, item.end)), ("Waar", ics.location(item)),
                 ("Organisator", organiser_name(item, ctx.orgs)), ("Prijs", price_label(item)),
                 ("Toegankelijkheid", accessibility_label(item))]
        text, button = item.html.get("description", ""), "Meer over deze activiteit"
        categories = ((item.kind, EVENT_KINDS[item.kind]),)
        title = item.title
    html = ctx.template.render(summary=item.summary, text=text, facts=facts, contact=contact, url=url, button=button)
    return feed_writer.FeedItem(id=url, url=url, title=title, summary=item.summary, html=html,
                          published=published_moment(item), categories=categories, image=_image(item, ctx))


def by_date(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (announced(i), i.type, i.slug), reverse=True)


def public_feeds(corpus, publication: Publication, ctx: FeedContext) -> list[feed_writer.FeedSpec]:
    live = publication.feed()
    vacancies = live["vacancy"]
    made: dict[tuple[str, str], feed_writer.FeedItem] = {}  # a vacancy is in about four feeds: made once

    def item_of(item: Item) -> feed_writer.FeedItem:
        key = (item.type, item.slug)
        if key not in made:
            made[key] = feed_item(item, ctx)
        return made[key]

    def spec(link: FeedLink, description: str, page: str, items: Iterable[Item]) -> feed_writer.FeedSpec:
        return feed_writer.FeedSpec(link.path, link.title, description, f"{ctx.site}/{page}",
                                    tuple(map(item_of, items)))

    kijker, alle, verhalen = general_feeds()
    featured = by_date([v for v in vacancies if v.featured] + [s for s in live["story"] if s.featured]
                       + [e for e in live["event"] if e.featured])
    out = [
        spec(kijker, "Elk item in de kijker: vacatures, verhalen en activiteiten. Voor de nieuwsbrief.", "",
             featured),
        spec(alle, "Alle open vacatures voor vrijwilligers in Hasselt, nieuwste eerst.", "vacatures/", vacancies),
        spec(verhalen, "Verhalen van vrijwilligers en organisaties in Hasselt.", "verhalen/", live["story"]),
    ]
    for theme, label in THEMES.items():
        out.append(spec(theme_feed(theme), f"Open vacatures voor vrijwilligers in Hasselt: {label.lower()}.",
                        f"vacatures/thema/{theme}/", [v for v in vacancies if theme in v.themes]))
    for place, label in DEELGEMEENTEN.items():
        out.append(spec(deelgemeente_feed(place), f"Open vacatures voor vrijwilligers in {label}.",
                        f"vacatures/deelgemeente/{place}/", [v for v in vacancies if where_key(v) == place]))
    per_org = by_organisation(vacancies)
    for org in sorted(corpus.organisations.values(), key=lambda o: o.slug):
        out.append(spec(organisation_feed(org), f"Open vacatures voor vrijwilligers bij {org.name}.",
                        url_of(org), per_org.get(org.slug, [])))
    return out


def write(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: every public feed, RSS and Atom."""
    base = settings.absolute_url
    ctx = FeedContext(base, base, prepared.corpus.organisations, prepared.images, image_size(settings),
                      lambda i: f"{base}/{url_of(i)}", settings.today, item_template(settings))
    for spec in public_feeds(prepared.corpus, prepared.publication, ctx):
        give_way()  # 1,300 feeds at city scale: `serve`'s next edit need not wait for them
        for rel, data in feed_writer.render(spec, base).items():
            write_if_changed(output / rel, data)
