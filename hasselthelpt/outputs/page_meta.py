"""What every page tells browsers, search engines and social media (theme/templates/_meta.html): its canonical
URL, the Open Graph image, its feed and calendar links, and its JSON-LD (structured_data.py)."""

from __future__ import annotations

from typing import Any

from ..content.facts import upcoming_shifts
from ..content.loading import Item
from ..content.schema import DEELGEMEENTEN
from ..images.photos import ImageSet
from ..settings import Settings
from . import structured_data
from .calendars import AGENDA_ICS, event_ics
from .channel_images import share_image
from .feeds import deelgemeente_feed, general_feeds, organisation_feed, theme_feed
from .pages import REDIRECT, Page

ITEM_OF_TEMPLATE = {"vacancy": "vacancy", "vacancy_expired": "vacancy", "story": "story", "event": "event",
                    "organisation": "organisation", "page": "page"}


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
    if page.template == "vacancies" and ctx.get("active") and ctx["active"]["dimension"] == "deelgemeente" \
            and ctx["active"]["value"] in DEELGEMEENTEN:
        links.insert(0, deelgemeente_feed(ctx["active"]["value"]))
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

    structured = None if preview else structured_data.for_page(page.template, ctx, lambda path: f"{base}/{path}", photo, logo)
    return {
        "base": base,
        "abs_url": f"{base}/{page.url}",
        "canonical": page.template != "404",
        "og_type": "article" if page.template == "story" else "website",
        "image": {"url": f"{base}/{variant.url}", "width": variant.width, "height": variant.height, "alt": alt},
        "feeds": links,
        "calendars": calendars,
        "jsonld": structured_data.script(structured),
    }


def with_meta(page: Page, settings: Settings, images: dict[str, ImageSet]) -> Page:
    """The page with its `hh_meta` (a redirect page has none: browsers and search engines only follow it).
    The plugin adds it as it renders the page: the meta is a function of the page's context, the settings and the
    images, which the page's input digest covers already, so a page left as it was needs none."""
    if page.template == REDIRECT:
        return page
    return Page(page.save_as, page.template, {**page.context, "hh_meta": page_meta(page, settings, images)})
