"""The print formats: page sizes, bleed, and the text boxes whose size the templates and `check` share.

Sizes are in millimetres and points, as a printer speaks. Each text box says its font size, width and the lines
it holds; theme/templates/print/ lays the text out in exactly those boxes (WeasyPrint, the brand's Open Sans), and
`fits` measures the same text with the same font (the slides' line breaker, signage/layout.py), so `check` fails
before a poster would be cut off. A3 is the A4 layout scaled up by the square root of two: one check covers both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..signage.shaping import is_rtl, width as text_width

POINTS_PER_MM = 72 / 25.4
SCALE = 8  # the line breaker measures in whole pixels: text is measured at 8 x its size in points


@dataclass(frozen=True)
class TextBox:
    size: float  # font size in points
    width: float  # in millimetres
    lines: int  # lines it holds
    bold: bool = False
    leading: float = 1.25  # line height, times the size

    def font_css(self, scale: float = 1) -> str:
        return f"font-size:{self.size * scale:.2f}pt;line-height:{self.leading}"

    def css(self, scale: float = 1) -> str:
        """Font, width and the height of its lines: a text that `check` let through never overflows it."""
        return (f"{self.font_css(scale)};width:{self.width * scale:.2f}mm;"
                f"max-height:{self.size * self.leading * self.lines * scale:.2f}pt;overflow:hidden")


@dataclass(frozen=True)
class Format:
    name: str
    label: str  # Dutch: how the intranet page names it
    width: float  # trimmed page, millimetres
    height: float
    bleed: float  # millimetres of background beyond the trim, for the printer's cut; 0 for an office printer
    boxes: dict[str, TextBox]
    margin: float = 0  # millimetres: the office printer's stall list needs a white edge

    def page_css(self, scale: float = 1) -> str:
        """The @page rule: trimmed size, bleed and crop marks (the PDF gets a TrimBox and a BleedBox)."""
        marks = "marks:crop;" if self.bleed else ""
        return (f"@page{{size:{self.width * scale:.1f}mm {self.height * scale:.1f}mm;"
                f"margin:{self.margin * scale:.1f}mm;bleed:{self.bleed}mm;{marks}}}")


A3_SCALE = 2 ** 0.5
FORMATS = {
    # A poster for a notice board or a shop window: a printer cuts it, so it has bleed.
    "poster": Format("poster", "Affiche", 210, 297, 3, {
        "title": TextBox(34, 176, 5, bold=True, leading=1.15),  # the longest title (90 characters) fits
        "summary": TextBox(18, 176, 5, leading=1.3),
    }),
    # The market-stall list, from the office printer: no bleed.
    "stall": Format("stall", "Lijst voor de infostand", 210, 297, 0, {
        "title": TextBox(12.5, 140, 2, bold=True),
        "summary": TextBox(10.5, 140, 3),
    }, margin=14),
    "welcome": Format("welcome", "Pagina voor het welkomstpakket", 148, 210, 3, {}),
    # A story for the staff magazine: the printer of the magazine cuts it.
    "magazine": Format("magazine", "Verhaal voor het personeelsblad", 210, 297, 3, {
        "title": TextBox(24, 180, 4, bold=True, leading=1.15),
        "summary": TextBox(13, 180, 4, leading=1.35),
        "body": TextBox(9.5, 86, 2 * 44, leading=1.35),  # two columns of 44 lines below the photo
    }),
}


def wrapped_lines(words: list[str], box: TextBox) -> int:
    """Lines of a greedy line break, as the browser makes it: no hyphenation, and a word wider than the box
    broken where it reaches the edge (print.css: overflow-wrap: anywhere). Each word is measured once (shaped,
    with its kerning) and a line is the sum of its words and spaces: a whole story measured line by line would
    cost seconds, and a space's kerning is a hundredth of a line."""
    size, room = round(box.size * SCALE), box.width * POINTS_PER_MM * SCALE
    space = text_width(" ", box.bold, size, False)
    lines, used = 0, None
    for word in words:
        w = text_width(word, box.bold, size, is_rtl(word))
        if used is not None and used + space + w <= room:
            used += space + w
        elif w <= room:
            lines, used = lines + 1, w
        else:  # a new line, then as many as the word needs
            full = math.ceil(w / room)
            lines, used = lines + full, w - (full - 1) * room
    return lines


def lines_of(text: str, box: TextBox) -> int:
    """Lines the text takes in the box; each paragraph starts a new line after a blank one (the body's margin)."""
    paragraphs = [wrapped_lines(p.split(), box) for p in text.split("\n\n") if p.strip()]
    return sum(paragraphs) + max(0, len(paragraphs) - 1)


def misfit(text: str, box: TextBox) -> tuple[str, str] | None:
    """Why the text does not fit the box and how to fix it, or None when it fits."""
    lines = lines_of(text, box)
    if lines <= box.lines:
        return None
    return (f"takes {lines} lines where {box.lines} fit",
            f"Shorten it to about {len(text) * box.lines // lines} characters: print cannot scroll.")
