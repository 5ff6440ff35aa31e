"""The staff channels, outside the public site (Settings.staff_folder): feeds/intern.rss.xml (and .atom.xml) for
the internal newsletter, index.html (every staff item in full, theme/templates/staff.html; the feed's links point
here) and their images. They carry the staff-only live items of the build's `Publication`.
"""

from __future__ import annotations

from pathlib import Path

from .. import brand
from ..files import link_into, write_if_changed
from ..jinja import environment
from ..settings import Settings
from . import feed_writer
from .channel_images import email_image
from .feeds import STAFF_FEED, FeedContext, by_date, feed_item, image_size, item_template
from .sitemap import robots

TEMPLATE = "staff.html"


def staff_feed(publication, ctx: FeedContext) -> feed_writer.FeedSpec:
    live = publication.feed(staff=True)
    items = by_date(live["vacancy"] + live["story"] + live["event"])
    return feed_writer.FeedSpec(STAFF_FEED, f"{brand.NAME}: intern", "Vacatures, verhalen en activiteiten alleen voor "
                          "personeel van de stad. Voor de interne nieuwsbrief en het intranet.", f"{ctx.base}/",
                          tuple(feed_item(i, ctx) for i in items))


def staff_page(spec: feed_writer.FeedSpec, settings: Settings) -> str:
    """A plain page with every staff item in full, for the intranet (the feed's items link to their anchors)."""
    articles = [{"anchor": item.id.rsplit("#", 1)[-1], "item": item, "image_html": feed_writer.image_html(item.image)}
                for item in spec.items]
    return environment(settings.templates).get_template(TEMPLATE).render(spec=spec, articles=articles)


def write(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: the staff folder's feed, page, images and robots.txt."""
    folder, staff_url = settings.staff_folder(output), settings.staff_base_url(output)
    images = prepared.images
    ctx = FeedContext(staff_url, settings.absolute_url, prepared.corpus.organisations, images, image_size(settings),
                      lambda i: f"{staff_url}/#{i.type}-{i.slug}", settings.today, item_template(settings))
    spec = staff_feed(prepared.publication, ctx)
    for rel, data in feed_writer.render(spec, staff_url).items():
        write_if_changed(folder / rel, data)
    cache_dir = settings.cache_path / "images"
    live = prepared.publication.feed(staff=True)
    for item in live["vacancy"] + live["story"] + live["event"]:
        for v in email_image(item, images).variants:
            link_into(cache_dir / Path(v.url).name, folder / v.url)
    write_if_changed(folder / "index.html", staff_page(spec, settings).encode("utf-8"))
    write_if_changed(folder / "robots.txt", robots("", production=False))
