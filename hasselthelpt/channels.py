"""Every channel from one source: feeds, agenda files, structured data, sitemap, open data, the embeddable
widget and the staff channels. This module is the glue; the formats live in feeds, agenda_ics, jsonld, sitemap,
opendata and sharecard, which are pure.

Three moments in a build:
1. `channel_image_jobs` and `sharecard.default_cards`: derived images (e-mail widths, 1200x630 share images, the
   branded default cards), made with the site's photos in `build.prepare` and cached by content hash.
2. `extend_pages`: adds the widget and open-data pages to the plan, and gives every page `hh_meta` (canonical
   URL, Open Graph image, feed links, JSON-LD) for theme/templates/_meta.html.
3. `write_channels` (in build.CHANNELS): after the pages are written, writes the feeds, calendars, sitemap,
   robots.txt and open data below the output folder, and the staff channels into their own folder.

Publication rules for channels (stricter than the development site): only published items whose date has come,
in every build mode (no previews); expired vacancies and past events never; staff-only (internal) items only in
the staff folder, never below the public output.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Callable, Iterable

from . import agenda_ics, brand, feeds, jsonld, opendata, sitemap
from .content import Corpus, Item
from .facts import (accessibility_label, is_archived, is_one_off, may_use, organiser_name, photo_credit, price_label,
                    upcoming_shifts, where_short)
from .files import link_into, write_if_changed
from .images import ImageSet, Job
from .jinja import nl_period
from .schema import EVENT_KINDS, KINDS, THEMES
from .settings import TIMEZONE, Settings
from .sharecard import CARDS, default_cards
from .site import Page, by_organisation, is_open, is_preview, newest_first, url_of

EMAIL_WIDTHS = (600, 1200)  # newsletters: 600 px wide, and 2x
SHARE_SIZE = (1200, 630)  # Open Graph / Twitter large card
EVENT_ANNOUNCE_DAYS = 28  # an event without publish_from counts as announced four weeks before it starts
WIDGET_COUNT = 10  # vacancies a widget lists before "bekijk alle"
FEEDS_FOLDER = "feeds"
AGENDA_ICS = "agenda/agenda.ics"
STAFF_FEED = f"{FEEDS_FOLDER}/intern"

CARD_OF_TEMPLATE = {"index": "home", "vacancies": "vacatures", "vacancy": "vacatures",
                    "vacancy_expired": "vacatures", "organisations": "organisaties", "organisation": "organisaties",
                    "stories": "verhalen", "story": "verhalen", "agenda": "agenda", "event": "agenda"}
CARD_OF_TYPE = {"vacancy": "vacatures", "story": "verhalen", "event": "agenda", "organisation": "organisaties"}
ITEM_OF_TEMPLATE = {"vacancy": "vacancy", "vacancy_expired": "vacancy", "story": "story", "event": "event",
                    "organisation": "organisation", "page": "page"}
PHOTO_TYPES = ("vacancy", "story", "event")
NOINDEX_RE = re.compile(rb"<meta\s+name=\"robots\"\s+content=\"[^\"]*noindex", re.IGNORECASE)


# --- Publication rules ---

def announced(item: Item) -> dt.date:
    """The day an item counts as published in feeds and calendars (pubDate, DTSTAMP)."""
    if item.type == "story":
        return item.date
    if item.type == "event" and not item.publish_from:
        return item.start.date() - dt.timedelta(days=EVENT_ANNOUNCE_DAYS)
    return item.publish_from


def published_moment(item: Item) -> dt.datetime:
    return dt.datetime.combine(announced(item), dt.time(), tzinfo=TIMEZONE)


def is_live(item: Item, today: dt.date) -> bool:
    """Published, its day has come, and not over: an open vacancy, an event that has not ended, any story
    whose people consented to publication."""
    if is_preview(item, today) or not may_use(item, "site"):
        return False
    if item.type == "vacancy":
        return is_open(item, today)
    if item.type == "event":
        return item.end >= dt.datetime.combine(today, dt.time())
    return True


def live_items(corpus: Corpus, today: dt.date, internal: bool = False) -> dict[str, list[Item]]:
    """Per type, the items a channel may carry: public ones (internal=False) or staff-only ones (True).
    Vacancies newest first, stories newest first, events by start."""
    pick = {t: [i for i in corpus.of_type(t).values() if bool(i.internal) == internal and is_live(i, today)]
            for t in PHOTO_TYPES}
    return {"vacancy": newest_first(pick["vacancy"]),
            "story": sorted(pick["story"], key=lambda s: (s.date, s.slug), reverse=True),
            "event": sorted(pick["event"], key=lambda e: (e.start, e.slug))}


def public_events(corpus: Corpus, today: dt.date) -> list[Item]:
    """Events with a public page in production, past ones included (their .ics stays, like their URL)."""
    return sorted((e for e in corpus.events.values() if not e.internal and not is_preview(e, today)),
                  key=lambda e: (e.start, e.slug))


# --- Derived images ---

def channel_image_jobs(corpus: Corpus, settings: Settings) -> dict[str, Job]:
    """For every photo: the e-mail widths ("email:<path>") and the share image ("share:<path>")."""
    jobs: dict[str, Job] = {}
    cache_dir = settings.cache_path / "images"
    for type_name in PHOTO_TYPES:
        for item in corpus.of_type(type_name).values():
            rel = item.data.get("image")
            if rel and f"email:{rel}" not in jobs:
                source = settings.root / "content" / rel
                jobs[f"email:{rel}"] = Job(source, EMAIL_WIDTHS, settings.image_quality, cache_dir)
                jobs[f"share:{rel}"] = Job(source, (SHARE_SIZE[0],), settings.image_quality, cache_dir,
                                           crop=SHARE_SIZE)
    return jobs


def card_images(settings: Settings) -> dict[str, ImageSet]:
    return default_cards(settings.cache_path / "images")


def email_image(item: Item, images: dict[str, ImageSet]) -> ImageSet:
    rel = item.data.get("image")
    return images.get(f"email:{rel}") or images[f"email:default:{CARD_OF_TYPE[item.type]}"]


def share_image(item: Item | None, template: str, images: dict[str, ImageSet]) -> tuple[ImageSet, str]:
    """The 1200x630 image of a page and its alt text: the item's photo, or the page type's branded card."""
    rel = item.data.get("image") if item is not None and may_use(item, "social-media") else None
    if rel and f"share:{rel}" in images:
        return images[f"share:{rel}"], item.data.get("image_alt") or ""
    kind = CARD_OF_TEMPLATE.get(template, "home")
    return images[f"share:default:{kind}"], f"{brand.NAME}: {CARDS[kind]}"


# --- Feeds ---

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


def organisation_feed(org: Item) -> FeedLink:
    return FeedLink(f"{brand.NAME}: vacatures bij {org.name}", f"{FEEDS_FOLDER}/organisatie/{org.slug}")


@dataclass(frozen=True)
class FeedContext:
    base: str  # absolute URL of the folder the feed is written to (no trailing slash)
    site: str  # absolute URL of the public site
    orgs: dict[str, Item]
    images: dict[str, ImageSet]
    file_size: Callable[[str], int]  # image URL (img/...) -> bytes
    item_url: Callable[[Item], str]  # absolute
    today: dt.date


def _image(item: Item, ctx: FeedContext) -> feeds.FeedImage:
    variants = email_image(item, ctx.images).variants
    small, large = variants[0], variants[-1]
    alt = item.data.get("image_alt") or ""
    return feeds.FeedImage(f"{ctx.base}/{small.url}", small.width, small.height, ctx.file_size(small.url), alt,
                           f"{ctx.base}/{large.url}" if large is not small else None, photo_credit(item))


def feed_item(item: Item, ctx: FeedContext) -> feeds.FeedItem:
    url = ctx.item_url(item)
    if item.type == "vacancy":
        org = ctx.orgs[item.organisation]
        facts = [("Organisatie", org.name), ("Waar", where_short(item)),
                 ("Soort", KINDS[item.kind].split(":")[0]), ("Hoeveel tijd", item.time_commitment)]
        facts += [("Wanneer", nl_period(s["start"], s["end"])) for s in upcoming_shifts(item, ctx.today)]
        facts.append(("Reageren kan tot", f"{item.valid_through:%d-%m-%Y}"))
        body = f"<p><strong>{escape(item.summary)}</strong></p>\n{item.html.get('description', '')}\n"
        html = body + feeds.facts_html(facts) + (contact_html(item) if item.internal else
                                                  feeds.button_html(url, "Ik wil helpen"))
        categories = tuple((t, THEMES[t]) for t in item.themes)
        title = f"{item.title} ({org.name})"
    elif item.type == "story":
        html = f"<p><strong>{escape(item.summary)}</strong></p>\n{item.html.get('body', '')}\n" + \
            feeds.button_html(url, "Lees het verhaal op de site")
        categories = tuple((t, THEMES[t]) for t in item.themes)
        title = item.title
    else:
        facts = [("Wanneer", nl_period(item.start, item.end)), ("Waar", agenda_ics.location(item)),
                 ("Organisator", organiser_name(item, ctx.orgs)), ("Prijs", price_label(item)),
                 ("Toegankelijkheid", accessibility_label(item))]
        html = f"<p><strong>{escape(item.summary)}</strong></p>\n{item.html.get('description', '')}\n" + \
            feeds.facts_html(facts) + feeds.button_html(url, "Meer over deze activiteit")
        categories = ((item.kind, EVENT_KINDS[item.kind]),)
        title = item.title
    return feeds.FeedItem(id=url, url=url, title=title, summary=item.summary, html=html,
                          published=published_moment(item), categories=categories, image=_image(item, ctx))


def contact_html(vacancy: Item) -> str:
    """How staff sign up for an internal vacancy (it has no public page with a form): its contact person."""
    c = vacancy.contact
    ways = [f'<a href="mailto:{escape(c["email"])}">{escape(c["email"])}</a>' if c.get("email") else "",
            escape(c["phone"]) if c.get("phone") else ""]
    return f"<p>Interesse? Neem contact op met {escape(c['name'])}: {' of '.join(w for w in ways if w)}.</p>\n"


def _by_date(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (announced(i), i.type, i.slug), reverse=True)


def feed_items(corpus: Corpus, today: dt.date, internal: bool = False) -> dict[str, list[Item]]:
    """The live items whose feed date (announced) has come: an event without publish_from enters the feeds
    EVENT_ANNOUNCE_DAYS before it starts, so its pubDate never lies in the future."""
    return {t: [i for i in items if announced(i) <= today]
            for t, items in live_items(corpus, today, internal).items()}


def public_feeds(corpus: Corpus, today: dt.date, ctx: FeedContext) -> list[feeds.FeedSpec]:
    live = feed_items(corpus, today)
    vacancies = live["vacancy"]

    def spec(link: FeedLink, description: str, page: str, items: Iterable[Item]) -> feeds.FeedSpec:
        return feeds.FeedSpec(link.path, link.title, description, f"{ctx.site}/{page}",
                              tuple(feed_item(i, ctx) for i in items))

    kijker, alle, verhalen = general_feeds()
    featured = _by_date([v for v in vacancies if v.featured] + [s for s in live["story"] if s.featured]
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
    per_org = by_organisation(vacancies)
    for org in sorted(corpus.organisations.values(), key=lambda o: o.slug):
        out.append(spec(organisation_feed(org), f"Open vacatures voor vrijwilligers bij {org.name}.",
                        url_of(org), per_org.get(org.slug, [])))
    return out


def staff_feed(corpus: Corpus, today: dt.date, ctx: FeedContext) -> feeds.FeedSpec:
    live = feed_items(corpus, today, internal=True)
    items = _by_date(live["vacancy"] + live["story"] + live["event"])
    return feeds.FeedSpec(STAFF_FEED, f"{brand.NAME}: intern", "Vacatures, verhalen en activiteiten alleen voor "
                          "personeel van de stad. Voor de interne nieuwsbrief en het intranet.", f"{ctx.base}/",
                          tuple(feed_item(i, ctx) for i in items))


# --- Pages: widget, open data, and the meta of every page ---

def _common(pages: list[Page]) -> dict[str, Any]:
    """The context every page shares (menu, images...), taken from the 404 page, which has nothing else."""
    base = next((p for p in pages if p.template == "404"), pages[0]).context
    return {k: v for k, v in base.items() if k != "page_url"}


def widget_pages(corpus: Corpus, today: dt.date, common: dict[str, Any]) -> list[Page]:
    vacancies = live_items(corpus, today)["vacancy"]
    out = []

    def add(url: str, title: str, intro: str, items: list[Item], more_url: str) -> None:
        out.append(Page(f"{url}index.html", "widget", {
            **common, "page_url": url, "widget_title": title, "widget_intro": intro,
            "vacancies": items[:WIDGET_COUNT], "total": len(items), "more_url": more_url}))

    per_org = by_organisation(vacancies)
    for org in sorted(corpus.organisations.values(), key=lambda o: o.slug):
        add(f"widget/organisatie/{org.slug}/", f"Vrijwilligerswerk bij {org.name}",
            f"Open vacatures van {org.name} op {brand.NAME}.", per_org.get(org.slug, []), url_of(org))
    for theme, label in THEMES.items():
        add(f"widget/thema/{theme}/", f"Vrijwilligerswerk: {label.lower()}",
            f"Open vacatures in Hasselt voor het thema {label.lower()}.",
            [v for v in vacancies if theme in v.themes], f"vacatures/thema/{theme}/")
    return out


def opendata_page(common: dict[str, Any]) -> Page:
    datasets = [{"dataset": d, "fields": opendata.field_docs(d.type)} for d in opendata.DATASETS]
    return Page("open-data/index.html", "opendata", {
        **common, "page_url": "open-data/", "datasets": datasets, "api_version": opendata.API_VERSION,
        "opendata_folder": opendata.FOLDER, "feed_links": general_feeds(), "agenda_ics": AGENDA_ICS,
        "themes_feeds": [theme_feed(t) for t in THEMES]})


def page_item(page: Page) -> Item | None:
    key = ITEM_OF_TEMPLATE.get(page.template)
    item = page.context.get(key) if key else None
    return item if isinstance(item, Item) else None


def page_meta(page: Page, settings: Settings, images: dict[str, ImageSet]) -> dict[str, Any]:
    base = settings.absolute_url
    item = page_item(page)
    image, alt = share_image(item, page.template, images)
    variant = image.largest
    links = list(general_feeds())
    ctx = page.context
    if page.template == "vacancies" and ctx.get("active") and ctx["active"]["dimension"] == "thema":
        links.insert(0, theme_feed(ctx["active"]["value"]))
    if page.template == "organisation":
        links.insert(0, organisation_feed(ctx["organisation"]))
    preview = item is not None and item.path in ctx.get("previews", ())  # development only
    calendars = []
    if page.template == "agenda":
        calendars.append(AGENDA_ICS)
    if page.template == "event" and not preview:
        calendars.append(event_ics(item))
    if page.template == "vacancy" and not preview and upcoming_shifts(item, settings.today):
        calendars.append(event_ics(item))

    def logo(org: Item) -> str | None:
        logo_set = images.get(org.logo) if org.logo else None
        return f"{base}/{logo_set.largest.url}" if logo_set else None

    def photo(i: Item) -> str | None:
        return f"{base}/{share_image(i, '', images)[0].largest.url}" if i.data.get("image") else None

    structured = None if preview else jsonld.for_page(page.template, ctx, lambda path: f"{base}/{path}", photo, logo)
    return {
        "base": base,
        "abs_url": f"{base}/{page.url}",
        "canonical": page.template != "404",
        "og_type": "article" if page.template == "story" else "website",
        "image": {"url": f"{base}/{variant.url}", "width": variant.width, "height": variant.height, "alt": alt},
        "feeds": links,
        "calendars": calendars,
        "jsonld": jsonld.script(structured),
    }


def event_ics(item: Item) -> str:
    """The calendar file of an event, or of a one-off task: beside its page."""
    return f"{url_of(item)}{item.slug}.ics"


def event_vevent(event: Item, orgs: dict[str, Item], url: str):
    org = orgs.get(event.organiser) if event.organiser else None
    email = (org.contact.get("email") if org.contact_public else None) if org else brand.HELPDESK["email"]
    return agenda_ics.vevent(event, url, announced(event), organiser_name(event, orgs), email)


def task_vevents(vacancy: Item, orgs: dict[str, Item], url: str, today: dt.date) -> list:
    task = agenda_ics.task_of(vacancy, orgs[vacancy.organisation].name, today)
    return agenda_ics.task_vevents(task, url)


def extend_pages(pages: list[Page], corpus: Corpus, settings: Settings, images: dict[str, ImageSet]) -> list[Page]:
    """The plan plus the widget and open-data pages, each page with its `hh_meta`."""
    common = _common(pages)
    pages = pages + widget_pages(corpus, settings.today, common) + [opendata_page(common)]
    return [Page(p.save_as, p.template, {**p.context, "hh_meta": page_meta(p, settings, images)}) for p in pages]


# --- Writing (the edge) ---

def indexable(pages: list[Page], output: Path) -> list[str]:
    """Site paths of the pages search engines may index: not a preview, and the written page does not say
    noindex (expired vacancies, redirects, widgets, 404...)."""
    out = []
    for page in pages:
        if not page.save_as.endswith(".html") or page.template == "404":
            continue
        item = page_item(page)
        if item is not None and item.path in page.context.get("previews", ()):
            continue
        path = output / page.save_as
        if not path.is_file():
            continue
        with path.open("rb") as f:
            head = f.read(8192)
        if not NOINDEX_RE.search(head.split(b"</head>")[0]):
            out.append(page.url)
    return out


def write_channels(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: every file of the channels, public ones below output, staff ones in their folder."""
    corpus, images, today = prepared.corpus, prepared.images, settings.today
    base = settings.absolute_url
    cache_dir = settings.cache_path / "images"

    def size(url: str) -> int:
        return (cache_dir / Path(url).name).stat().st_size

    ctx = FeedContext(base, base, corpus.organisations, images, size, lambda i: f"{base}/{url_of(i)}", today)
    for spec in public_feeds(corpus, today, ctx):
        for rel, data in feeds.render(spec, base).items():
            write_if_changed(output / rel, data)

    live = live_items(corpus, today)
    orgs = corpus.organisations
    ics_url = lambda e: f"{base}/{url_of(e)}"  # noqa: E731
    # The whole agenda: the coming activities and every coming shift of the open one-off tasks.
    tasks = {v.slug: task_vevents(v, orgs, ics_url(v), today) for v in live["vacancy"] if is_one_off(v)}
    whole = [event_vevent(e, orgs, ics_url(e)) for e in live["event"]] + [ev for t in tasks.values() for ev in t]
    write_if_changed(output / AGENDA_ICS, agenda_ics.calendar(whole, f"{brand.NAME}: agenda"))
    for event in public_events(corpus, today):
        write_if_changed(output / event_ics(event), agenda_ics.calendar([event_vevent(event, orgs, ics_url(event))],
                                                                         event.title))
    for vacancy in live["vacancy"]:
        if tasks.get(vacancy.slug):
            write_if_changed(output / event_ics(vacancy), agenda_ics.calendar(tasks[vacancy.slug], vacancy.title))

    write_if_changed(output / "sitemap.xml", sitemap.sitemap([f"{base}/{u}" for u in indexable(prepared.pages, output)]))
    write_if_changed(output / "robots.txt", sitemap.robots(f"{base}/sitemap.xml", production=bool(settings.site_url)))

    write_opendata(corpus, settings, output, images)
    write_staff(corpus, settings, settings.staff_folder(output), settings.staff_base_url(output), images, size)


def write_opendata(corpus: Corpus, settings: Settings, output: Path, images: dict[str, ImageSet]) -> None:
    base, today = settings.absolute_url, settings.today
    live = live_items(corpus, today)

    def image_of(rel: str | None) -> dict | None:
        found = images.get(rel) if rel else None
        if not found:
            return None
        v = found.largest
        return {"url": f"{base}/{v.url}", "width": v.width, "height": v.height}

    def url(item: Item) -> str:
        return f"{base}/{url_of(item)}"

    open_count = {o: 0 for o in corpus.organisations}
    for v in live["vacancy"]:
        open_count[v.organisation] += 1
    organisations = [o for o in corpus.organisations.values() if not is_archived(o)]
    records = {
        "vacancies": [opendata.record(v, url(v), image_of, {"shifts": opendata.shifts(upcoming_shifts(v, today))})
                      for v in live["vacancy"]],
        "organisations": [opendata.record(o, url(o), image_of, {"open_vacancies": open_count[o.slug]})
                          for o in sorted(organisations, key=lambda o: (o.name.casefold(), o.slug))],
        "events": [opendata.record(e, url(e), image_of) for e in live["event"]],
    }
    for dataset in opendata.DATASETS:
        write_if_changed(output / dataset.file, opendata.dumps(opendata.document(dataset, records[dataset.name], today, base)))
        write_if_changed(output / dataset.schema_file, opendata.dumps(opendata.dataset_schema(dataset, base)))
    counts = {name: len(rs) for name, rs in records.items()}
    write_if_changed(output / opendata.FOLDER / "index.json", opendata.dumps(opendata.index(counts, today, base)))
    write_if_changed(output / opendata.FOLDER / "schema" / "index.schema.json", opendata.dumps(opendata.index_schema(base)))


def write_staff(corpus: Corpus, settings: Settings, folder: Path, staff_url: str, images: dict[str, ImageSet],
                size: Callable[[str], int]) -> None:
    """The staff channels, outside the public site: feeds/intern.rss.xml (and .atom.xml) for the internal
    newsletter, index.html (every staff item in full; the feed's links point here) and their images."""
    ctx = FeedContext(staff_url, settings.absolute_url, corpus.organisations, images, size,
                      lambda i: f"{staff_url}/#{i.type}-{i.slug}", settings.today)
    spec = staff_feed(corpus, settings.today, ctx)
    live = feed_items(corpus, settings.today, internal=True)
    items = live["vacancy"] + live["story"] + live["event"]
    for rel, data in feeds.render(spec, staff_url).items():
        write_if_changed(folder / rel, data)
    cache_dir = settings.cache_path / "images"
    for item in items:
        for v in email_image(item, images).variants:
            link_into(cache_dir / Path(v.url).name, folder / v.url)
    write_if_changed(folder / "index.html", staff_page(spec).encode("utf-8"))
    write_if_changed(folder / "robots.txt", sitemap.robots("", production=False))


def staff_page(spec: feeds.FeedSpec) -> str:
    """A plain page with every staff item in full, for the intranet (the feed's items link to their anchors)."""
    c = brand.COLOURS
    parts = []
    for item in spec.items:
        anchor = item.id.rsplit("#", 1)[-1]
        parts.append(f'<article id="{escape(anchor)}">\n<h2>{escape(item.title)}</h2>\n'
                     f'<p class="date">Gepubliceerd op {item.published:%d-%m-%Y}</p>\n'
                     f"{feeds.image_html(item.image)}{item.html}</article>")
    body = "\n".join(parts) or "<p>Er zijn nu geen interne berichten.</p>"
    return f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(spec.title)}</title>
<link rel="alternate" type="application/rss+xml" title="{escape(spec.title)}" href="{escape(spec.files['rss'])}">
<style>body{{font-family:"Open Sans",Arial,sans-serif;color:{c['ink']};max-width:44em;margin:0 auto;padding:1em;
line-height:1.5}}h1,h2{{line-height:1.2}}a{{color:{c['primary']}}}article{{border-top:2px solid {c['tint']};
padding-top:1em}}.date{{color:{c['muted']}}}img{{max-width:100%;height:auto}}</style>
</head>
<body>
<main>
<h1>{escape(spec.title)}</h1>
<p>{escape(spec.description)} Alleen voor personeel: stuur deze pagina niet door naar buiten.</p>
<p><a href="drukwerk/">Drukwerk om af te drukken</a>: affiches, de lijst voor de infostand, het welkomstpakket.</p>
{body}
</main>
</body>
</html>
"""
