"""The images the channels derive from the site's photos: e-mail widths for the newsletters, 1200x630 share images
for Open Graph, and the branded default cards (images/cards.py) for items and pages without a photo.

`jobs` and `cards` run in build.prepare with the site's photos, cached by content hash; `email_image` and
`share_image` pick an item's or a page's image from the result.
"""

from __future__ import annotations

from .. import brand
from ..content.loading import Corpus, Item
from ..content.publication import CHANNEL_TYPES, may_use
from ..images.cards import CARDS, default_cards
from ..images.photos import ImageSet, Job
from ..settings import Settings

EMAIL_WIDTHS = (600, 1200)  # newsletters: 600 px wide, and 2x
SHARE_SIZE = (1200, 630)  # Open Graph / Twitter large card

CARD_OF_TEMPLATE = {"index": "home", "vacancies": "vacatures", "vacancy": "vacatures",
                    "vacancy_expired": "vacatures", "organisations": "organisaties", "organisation": "organisaties",
                    "stories": "verhalen", "story": "verhalen", "agenda": "agenda", "event": "agenda"}
CARD_OF_TYPE = {"vacancy": "vacatures", "story": "verhalen", "event": "agenda", "organisation": "organisaties"}


def jobs(corpus: Corpus, settings: Settings) -> dict[str, Job]:
    """For every photo: the e-mail widths ("email:<path>") and the share image ("share:<path>")."""
    out: dict[str, Job] = {}
    cache_dir = settings.cache_path / "images"
    for type_name in CHANNEL_TYPES:
        for item in corpus.of_type(type_name).values():
            rel = item.data.get("image")
            if rel and f"email:{rel}" not in out:
                source = settings.root / "content" / rel
                out[f"email:{rel}"] = Job(source, EMAIL_WIDTHS, settings.image_quality, cache_dir)
                out[f"share:{rel}"] = Job(source, (SHARE_SIZE[0],), settings.image_quality, cache_dir,
                                          crop=SHARE_SIZE)
    return out


def cards(settings: Settings) -> dict[str, ImageSet]:
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
