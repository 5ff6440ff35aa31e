"""Press releases (content/press/*.md): a list page, a page per release with the press contact, an RSS feed for
journalists, and a press kit per release: its photos at full resolution, with credit and licence, to download.

A release is public from its date (an embargo: not before) unless it is a draft; development builds show the
others too, marked 'voorbeeld'. The feed carries public releases only, in every build mode.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from .. import brand
from ..content.loading import Corpus, ContentError, Item, item_error
from ..content.schema import LICENCES
from ..files import write_if_changed
from ..settings import TIMEZONE, Settings
from . import feed_writer
from .pages import Page, url_of

FEED = "feeds/pers"
KIT = "perskit"  # below a release's folder: the photos, LEESMIJ.txt and perskit.zip
# Who answers journalists: on every release page and in the feed's description.
PRESS_CONTACT = {"name": "Dienst Communicatie, Stad Hasselt", "email": "pers@hasselthelpt.example",
                 "phone": "011 00 10 01"}
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # a fixed time in the zip: same photos, same bytes


def is_public(release: Item, today: dt.date) -> bool:
    return release.status == "published" and release.date <= today


def releases(corpus: Corpus, today: dt.date, preview: bool) -> list[Item]:
    """Newest first."""
    return sorted((r for r in corpus.press.values() if preview or is_public(r, today)),
                  key=lambda r: (r.date, r.slug), reverse=True)


def kit_files(release: Item) -> list[tuple[str, dict]]:
    """(file name in the kit, photo) per photo: numbered, so two photos with the same name do not collide."""
    return [(f"{n}-{Path(photo['image']).name}", photo) for n, photo in enumerate(release.photos, 1)]


def credits_text(release: Item) -> str:
    lines = [f"Perskit: {release.title}", f"{brand.NAME}, {release.date.isoformat()}", ""]
    for name, photo in kit_files(release):
        lines += [name, f"  {photo['alt']}", f"  Foto: {photo['credit']} ({LICENCES[photo['licence']]})",
                  "  Vermeld de fotograaf bij elke publicatie.", ""]
    lines += [f"Perscontact: {PRESS_CONTACT['name']}, {PRESS_CONTACT['email']}, {PRESS_CONTACT['phone']}", ""]
    return "\n".join(lines)


def check(corpus: Corpus, root: Path) -> list[ContentError]:
    """Every press photo exists: a journalist downloads it."""
    return [item_error(r, "photos", f"points to content/{photo['image']}, which does not exist",
                       "Check the spelling, or add the file below content/images/.")
            for r in corpus.press.values() for photo in r.photos if not (root / "content" / photo["image"]).is_file()]


def pages(corpus: Corpus, settings: Settings, common: dict) -> list[Page]:
    shown = releases(corpus, settings.today, settings.preview)
    previews = {r.path for r in shown if not is_public(r, settings.today)}
    context = {**common, "previews": common.get("previews", set()) | previews, "PRESS_CONTACT": PRESS_CONTACT,
               "LICENCES": LICENCES, "FEED": feed_writer.FeedSpec(FEED, "", "", "").files}
    out = [Page("pers/index.html", "press", {**context, "page_url": "pers/", "releases": shown})]
    for r in shown:
        out.append(Page(f"{url_of(r)}index.html", "press_release",
                        {**context, "page_url": url_of(r), "release": r, "kit": kit_files(r), "KIT": KIT}))
    return out


def feed_spec(corpus: Corpus, settings: Settings) -> feed_writer.FeedSpec:
    base = settings.absolute_url
    items = tuple(feed_writer.FeedItem(
        id=f"{base}/{url_of(r)}", url=f"{base}/{url_of(r)}", title=r.title, summary=r.summary, html=r.html["body"],
        published=dt.datetime.combine(r.date, dt.time(), tzinfo=TIMEZONE)) for r in releases(corpus, settings.today,
                                                                                             False))
    return feed_writer.FeedSpec(FEED, f"{brand.NAME}: persberichten",
                          f"Persberichten over vrijwilligerswerk in Hasselt. Perscontact: {PRESS_CONTACT['name']}, "
                          f"{PRESS_CONTACT['email']}, {PRESS_CONTACT['phone']}.", f"{base}/pers/", items)


def kit_zip(release: Item, root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:  # photos are compressed already
        z.writestr(zipfile.ZipInfo("LEESMIJ.txt", ZIP_DATE), credits_text(release))
        for name, photo in kit_files(release):
            z.writestr(zipfile.ZipInfo(name, ZIP_DATE), (root / "content" / photo["image"]).read_bytes())
    return buffer.getvalue()


def write_press(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: the feed and every shown release's press kit (the original files, untouched)."""
    corpus = prepared.corpus
    for rel, data in feed_writer.render(feed_spec(corpus, settings), settings.absolute_url).items():
        write_if_changed(output / rel, data)
    for r in releases(corpus, settings.today, settings.preview):
        folder = output / url_of(r) / KIT
        for name, photo in kit_files(r):
            write_if_changed(folder / name, (settings.root / "content" / photo["image"]).read_bytes())
        write_if_changed(folder / "LEESMIJ.txt", credits_text(r).encode("utf-8"))
        write_if_changed(output / url_of(r) / f"{KIT}.zip", kit_zip(r, settings.root))
