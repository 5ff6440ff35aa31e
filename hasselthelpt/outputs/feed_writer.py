"""RSS 2.0 and Atom feeds (feedgen) made for RSS-to-email tools: the newsletters fill themselves from them.

What those tools read, and where it comes from:
- `pubDate` / `published`: the day the item went online (a vacancy's publish_from, a story's date, an event's
  publish_from); a campaign sends the items newer than its last send.
- `description` / `summary`: the short summary, as text (RSS readers decode a description as HTML, so it is
  escaped there, markup removed); `content:encoded` / `content`: the full text in sanitised HTML, starting
  with the photo (600 px wide, with the 1200 px file as its 2x srcset), in a `<div dir="rtl">` when the item
  reads right to left (content/direction.py; RSS and Atom's text elements have no way to say so).
- one image per item: `media:content` (medium image, width, height, fileSize) and an `enclosure` (length is
  the file size), both the 600 px e-mail variant.
- `category`: the themes (events: the kind of activity).

Rendering is pure: `render` takes FeedSpec values and returns bytes. The channel builds the specs
(hasselthelpt/outputs/) and writes the files. Same specs in, same bytes out: every date, `lastBuildDate` included,
comes from the content, never from the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

from feedgen.feed import FeedGenerator
from lxml import etree

from .. import brand
from ..content import sanitise
from ..content.characters import xml_clean
from ..content.direction import is_rtl
from ..incremental import remembered

EMPTY_FEED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # lastBuildDate of a feed without items
ATOM_NS = "http://www.w3.org/2005/Atom"
MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@dataclass(frozen=True)
class FeedImage:
    url: str  # absolute
    width: int
    height: int
    length: int  # bytes of the file
    alt: str = ""
    url_2x: str | None = None  # the 1200 px rendition
    credit: str = ""  # "Foto: maker (licence)", shown under the photo

    @property
    def type(self) -> str:
        return MIME.get("." + self.url.rsplit(".", 1)[-1].lower(), "image/jpeg")


@dataclass(frozen=True)
class FeedItem:
    id: str  # permanent: the item's page URL (or a staff anchor)
    url: str
    title: str
    summary: str  # plain text
    html: str  # full content, HTML
    published: dt.datetime  # timezone-aware
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)
    image: FeedImage | None = None


@dataclass(frozen=True)
class FeedSpec:
    path: str  # below the output folder, without extension: "feeds/vacatures" -> .rss.xml and .atom.xml
    title: str
    description: str
    page_url: str  # absolute: the page this feed follows
    items: tuple[FeedItem, ...] = field(default_factory=tuple)

    @property
    def files(self) -> dict[str, str]:
        return {"rss": f"{self.path}.rss.xml", "atom": f"{self.path}.atom.xml"}


def image_html(image: FeedImage | None) -> str:
    """The photo at the top of the full content: 600 px wide, the 1200 px file for sharp (2x) screens."""
    if image is None:
        return ""
    srcset = f' srcset="{escape(image.url)} 1x, {escape(image.url_2x)} 2x"' if image.url_2x else ""
    credit = f'<p style="font-size:13px;color:{brand.COLOURS["muted"]}">{escape(image.credit)}</p>\n' if image.credit else ""
    return (f'<p><img src="{escape(image.url)}"{srcset} width="{image.width}" height="{image.height}" '
            f'alt="{escape(image.alt)}" style="max-width:100%;height:auto"></p>\n{credit}')


def direction_html(item: FeedItem, html: str) -> str:
    """The full content, in a <div dir="rtl"> when the item reads right to left (its title, or else its
    summary, starts with an Arabic or Hebrew letter), so readers put its punctuation on the right side."""
    return f'<div dir="rtl">\n{html}</div>\n' if is_rtl(item.title, item.summary) else html


def updated(spec: FeedSpec) -> dt.datetime:
    """The feed's lastBuildDate / updated: its newest item, so an unchanged feed keeps the same bytes."""
    return max((i.published for i in spec.items), default=EMPTY_FEED_DATE)


def _generator(spec: FeedSpec, self_url: str, self_type: str, rss: bool) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media", atom=True, rss=True)
    fg.id(self_url)
    fg.title(spec.title)
    fg.subtitle(spec.description)  # RSS description, Atom subtitle
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=spec.page_url, rel="alternate", type="text/html")  # last: feedgen uses it as the RSS <link>
    fg.language("nl-BE")
    fg.author({"name": brand.NAME})
    fg.generator("HASSELT Helpt")
    fg.updated(updated(spec))
    for item in spec.items:
        entry = fg.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=item.id == item.url)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.published(item.published)
        entry.updated(item.published)
        entry.content(direction_html(item, image_html(item.image) + item.html), type="html")
        if rss:  # readers decode an RSS description as HTML: give them text, escaped, with any markup removed
            entry.description(sanitise.plain_text(item.summary))
        else:  # Atom says what its summary is: text
            entry.summary(item.summary, type="text")
        for term, label in item.categories:
            entry.category(term=term, label=label)
        if item.image:
            img = item.image
            if rss:  # Atom's enclosure link is added after rendering (see _atom_enclosures)
                entry.enclosure(img.url, str(img.length), img.type)
            entry.media.content(url=img.url, medium="image", type=img.type, width=str(img.width),
                                height=str(img.height), fileSize=str(img.length), isDefault="true", group=None)
    return fg


@remembered("feeds", compress=True)  # most feeds are the same as in the last build
def render(spec: FeedSpec, site_url: str) -> dict[str, bytes]:
    """{file below the output folder: bytes} for the RSS 2.0 and the Atom version. site_url: absolute base of
    the folder the files are written to (for the self links)."""
    spec = xml_clean(spec)  # lxml refuses what XML 1.0 forbids, e.g. a control character from an HTML entity
    files = spec.files
    rss = _generator(spec, f"{site_url}/{files['rss']}", "application/rss+xml", rss=True)
    atom = _generator(spec, f"{site_url}/{files['atom']}", "application/atom+xml", rss=False)
    return {files["rss"]: rss.rss_str(pretty=True),
            files["atom"]: _atom_enclosures(atom.atom_str(pretty=True), spec.items)}


def _atom_enclosures(xml: bytes, items: tuple[FeedItem, ...]) -> bytes:
    """Add <link rel="enclosure" type length> to the Atom entries with an image. (feedgen 1.0 writes an entry's
    links with their href only, which would make the image a second 'alternate' link.)"""
    if not any(i.image for i in items):
        return xml
    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True))
    for entry, item in zip(root.findall(f"{{{ATOM_NS}}}entry"), items):
        if item.image:
            link = etree.Element(f"{{{ATOM_NS}}}link", href=item.image.url, rel="enclosure", type=item.image.type,
                                 length=str(item.image.length))
            entry.find(f"{{{ATOM_NS}}}link").addnext(link)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
