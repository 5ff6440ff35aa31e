"""Branded default cards (1200x630) for link previews and newsletters, for pages and items without a photo.

One card per kind of page ("vacatures", "verhalen"...), drawn with Pillow in the brand colours and font. Like the
resized photos, a card is keyed by a hash of everything that shapes it (text, colours, font, recipe), so an
unchanged card is not drawn again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .. import brand
from .photos import ImageSet, Variant

RECIPE_VERSION = "1"
SIZE = (1200, 630)  # Open Graph / Twitter large summary card
EMAIL_WIDTH = 600  # newsletters: 600 px wide, and the full card as 2x

# kind -> headline. Pages choose their kind in outputs/channel_images.CARD_OF_TEMPLATE.
CARDS = {
    "home": "Vrijwilligerswerk in Hasselt",
    "vacatures": "Help mee in Hasselt: vacatures voor vrijwilligers",
    "organisaties": "Organisaties die met vrijwilligers werken",
    "verhalen": "Verhalen van vrijwilligers",
    "agenda": "Kom ons ontmoeten: de agenda",
}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _heart(draw: ImageDraw.ImageDraw, x: int, y: int, size: int, fill) -> None:
    """The logo's heart: two circles and a point, in a size x size box at (x, y)."""
    r = size // 4
    draw.ellipse((x, y, x + 2 * r, y + 2 * r), fill=fill)
    draw.ellipse((x + 2 * r, y, x + 4 * r, y + 2 * r), fill=fill)
    draw.polygon([(x, y + r), (x + 4 * r, y + r), (x + 2 * r, y + size)], fill=fill)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def render_card(headline: str) -> Image.Image:
    """The card as an RGB image of exactly SIZE: word mark at the top, headline, tagline."""
    width, height = SIZE
    colours = {k: _rgb(v) for k, v in brand.COLOURS.items()}
    img = Image.new("RGB", SIZE, colours["primary"])
    draw = ImageDraw.Draw(img)
    margin = 72
    bold = lambda size: ImageFont.truetype(str(brand.FONT_BOLD), size)  # noqa: E731
    regular = ImageFont.truetype(str(brand.FONT_REGULAR), 34)
    _heart(draw, margin, margin, 56, colours["paper"])
    draw.text((margin + 76, margin - 6), brand.NAME, font=bold(48), fill=colours["paper"])
    size = 76
    while True:  # the largest size at which the headline fits in three lines
        font = bold(size)
        lines = _wrap(draw, headline, font, width - 2 * margin)
        if len(lines) <= 3 or size <= 44:
            break
        size -= 4
    line_height = int(size * 1.2)
    y = height - margin - 100 - line_height * len(lines)
    for line in lines:
        draw.text((margin, y), line, font=font, fill=colours["paper"])
        y += line_height
    draw.rectangle((margin, height - margin - 34, margin + 120, height - margin - 28), fill=colours["accent"])
    draw.text((margin + 140, height - margin - 52), brand.TAGLINE, font=regular, fill=colours["tint"])
    return img


def _key(headline: str) -> str:
    h = hashlib.sha256(f"{RECIPE_VERSION}|{SIZE}|{EMAIL_WIDTH}|{headline}|{sorted(brand.COLOURS.items())}|"
                       f"{brand.NAME}|{brand.TAGLINE}".encode())
    for font in (brand.FONT_BOLD, brand.FONT_REGULAR):
        h.update(font.read_bytes())
    return h.hexdigest()[:12]


def default_cards(cache_dir: Path) -> dict[str, ImageSet]:
    """Every default card, drawn once into cache_dir: {"share:default:<kind>": 1200x630,
    "email:default:<kind>": 600 px and 1200 px wide}. The keys sit beside the photos' in Prepared.images."""
    out: dict[str, ImageSet] = {}
    cache_dir.mkdir(parents=True, exist_ok=True)
    email_height = SIZE[1] * EMAIL_WIDTH // SIZE[0]
    for kind, headline in CARDS.items():
        stem = f"kaart-{kind}-{_key(headline)}"
        full, small = f"{stem}-{SIZE[0]}x{SIZE[1]}.png", f"{stem}-{EMAIL_WIDTH}x{email_height}.png"
        if not ((cache_dir / full).is_file() and (cache_dir / small).is_file()):
            card = render_card(headline)
            for name, image in ((full, card), (small, card.resize((EMAIL_WIDTH, email_height),
                                                                  Image.Resampling.LANCZOS))):
                tmp = cache_dir / (name + ".tmp")
                image.save(tmp, "PNG", optimize=True)
                os.replace(tmp, cache_dir / name)
        big = Variant(f"img/{full}", *SIZE)
        out[f"share:default:{kind}"] = ImageSet((big,))
        out[f"email:default:{kind}"] = ImageSet((Variant(f"img/{small}", EMAIL_WIDTH, email_height), big))
    return out
