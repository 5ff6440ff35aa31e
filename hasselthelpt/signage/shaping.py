"""Text on slides in every script: which font draws each character, in which direction, and where it goes.

Pillow draws one font at a time, so a line is cut into runs: each cluster (a letter with its marks, an emoji
with its modifiers and joiners) goes to the first font of the stack that has a glyph for all of it; spaces,
punctuation and marks stay with the font before them, so an Arabic phrase is one run and joins as it should.
The Unicode bidirectional algorithm (FriBidi, the library that Pillow's raqm layout itself uses) gives every
character its embedding level; runs are cut where the level changes too, put in visual order (rule L2 of
UAX #9), and each is shaped by raqm (HarfBuzz) in its own direction. Runs share the primary font's baseline.

The stack: the site's Open Sans (Latin, Greek, Cyrillic, Vietnamese), then Noto Sans for Arabic (and Persian,
Pashto), Hebrew, Ethiopic (Tigrinya, Amharic), Armenian, Georgian and Devanagari (Hindi), then the monochrome
Noto Emoji, drawn in the text's colour like any letter (so the tested contrast holds). The fonts are in the
repository (`fonts/`, with their licence), so slides are the same on every machine. A character that no font
has would be drawn as an empty box: `missing` finds those for `check`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageDraw, ImageFont, features

from .. import brand
from ..content import direction

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FALLBACKS = ("NotoSansArabic", "NotoSansHebrew", "NotoSansEthiopic", "NotoSansArmenian", "NotoSansGeorgian",
             "NotoSansDevanagari")
EMOJI = "NotoEmoji"
SCRIPTS = ("Latin", "Greek", "Cyrillic", "Arabic", "Hebrew", "Ethiopic", "Armenian", "Georgian", "Devanagari",
           "emoji")  # what the stack covers, for messages
STICKY = ("Z", "P", "M", "C")  # categories (first letter) that stay with the font before them, where it has them


def font_files(bold: bool) -> tuple[Path, ...]:
    """The font stack of one weight, in the order in which fonts are tried."""
    weight = "Bold" if bold else "Regular"
    primary = brand.FONT_BOLD if bold else brand.FONT_REGULAR
    return (primary, *(FONT_DIR / f"{name}-{weight}.ttf" for name in (*FALLBACKS, EMOJI)))


EMOJI_INDEX = len(FALLBACKS) + 1


@functools.lru_cache(maxsize=None)
def _coverage(path: Path) -> frozenset[int]:
    return frozenset(TTFont(path, lazy=True).getBestCmap())


@functools.lru_cache(maxsize=1)
def require_raqm() -> None:
    if not features.check("raqm"):
        raise RuntimeError("Pillow cannot shape text: its raqm layout needs the FriBidi library. Install it with "
                           "`make system-deps` (Debian's libfribidi0), then run the build again.")


@functools.lru_cache(maxsize=1024)
def face(bold: bool, index: int, size: int) -> ImageFont.FreeTypeFont:
    """Font `index` of the stack at `size` pixels, laid out by raqm (HarfBuzz shaping)."""
    require_raqm()
    return ImageFont.truetype(str(font_files(bold)[index]), size, layout_engine=ImageFont.Layout.RAQM)


# --- Bidirectional levels (FriBidi) ----------------------------------------------------------------------------

PAR_LTR, PAR_RTL = 0x110, 0x111  # FriBidiParType: left-to-right, right-to-left


@functools.lru_cache(maxsize=1)
def _fribidi() -> ctypes.CDLL:
    require_raqm()  # raqm loads the same library: when it works, this does too
    lib = ctypes.CDLL(ctypes.util.find_library("fribidi") or "libfribidi.so.0")
    lib.fribidi_get_par_embedding_levels_ex.restype = ctypes.c_int8
    return lib


def _levels(text: str, base: int) -> list[int]:
    """Each character's embedding level in a paragraph of the given direction."""
    lib, n = _fribidi(), len(text)
    chars = (ctypes.c_uint32 * n)(*map(ord, text))
    types, brackets, levels = (ctypes.c_uint32 * n)(), (ctypes.c_uint32 * n)(), (ctypes.c_int8 * n)()
    lib.fribidi_get_bidi_types(chars, n, types)
    lib.fribidi_get_bracket_types(chars, n, types, brackets)
    par = ctypes.c_uint32(base)
    if n and not lib.fribidi_get_par_embedding_levels_ex(types, brackets, n, ctypes.byref(par), levels):
        raise ValueError(f"FriBidi could not order {text!r}")
    return list(levels)


def is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong character is (as on the pages)."""
    return direction.is_rtl(text)


# --- Clusters, fonts and runs ----------------------------------------------------------------------------------

def _extends(ch: str, prev: str) -> bool:
    """Whether `ch` belongs to the cluster before it: a mark, a variation selector, a skin tone, a tag, or
    whatever a zero-width joiner joins."""
    cp = ord(ch)
    return (unicodedata.category(ch) in ("Mn", "Mc", "Me") or 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF
            or 0xE0020 <= cp <= 0xE007F or cp == 0x200D or prev == "\u200d")


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def clusters(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        if out and (_extends(ch, out[-1][-1]) or (_regional(ch) and len(out[-1]) == 1 and _regional(out[-1]))):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _needs_glyph(ch: str) -> bool:
    """Format characters (joiners, direction marks) are invisible: shaping uses them, no font must draw them."""
    return unicodedata.category(ch) != "Cf" and not ch.isspace()


def _covering(cluster: str, bold: bool) -> list[int]:
    needed = [ord(c) for c in cluster if _needs_glyph(c)]
    return [i for i, path in enumerate(font_files(bold)) if all(cp in _coverage(path) for cp in needed)]


@functools.lru_cache(maxsize=65536)
def _font_of(cluster: str, bold: bool, previous: int | None) -> int:
    covering = _covering(cluster, bold)
    if not covering:
        return 0  # the primary font draws its empty box; `check` has reported it
    sticky = unicodedata.category(cluster[0])[0] in STICKY and previous not in (None, EMOJI_INDEX)
    return previous if sticky and previous in covering else covering[0]


def missing(text: str, bold: bool) -> list[str]:
    """The characters of `text` that no font of the stack can draw, each once, in order."""
    out: list[str] = []
    for cluster in clusters(text):
        if not _covering(cluster, bold):
            for ch in cluster:
                if _needs_glyph(ch) and ch not in out and not any(ord(ch) in _coverage(p) for p in font_files(bold)):
                    out.append(ch)
    return out


def describe(ch: str) -> str:
    return f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')})"


@dataclass(frozen=True)
class Run:
    text: str
    font: int  # index in the stack
    rtl: bool

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


@functools.lru_cache(maxsize=65536)
def runs(text: str, bold: bool, rtl: bool) -> tuple[Run, ...]:
    """A line as runs of one font and one direction, in visual order (left to right), in a paragraph that
    reads right to left when `rtl`."""
    if not text:
        return ()
    levels = _levels(text, PAR_RTL if rtl else PAR_LTR)
    pieces: list[list] = []  # [text, font, level]
    i, previous = 0, None
    for cluster in clusters(text):
        f, level = _font_of(cluster, bold, previous), levels[i]
        if pieces and pieces[-1][1] == f and pieces[-1][2] == level:
            pieces[-1][0] += cluster
        else:
            pieces.append([cluster, f, level])
        i, previous = i + len(cluster), f
    odd = [p[2] for p in pieces if p[2] % 2] or [max(p[2] for p in pieces) + 1]
    for level in range(max(p[2] for p in pieces), min(odd) - 1, -1):  # UAX #9 rule L2
        j = 0
        while j < len(pieces):
            if pieces[j][2] < level:
                j += 1
                continue
            k = j
            while k < len(pieces) and pieces[k][2] >= level:
                k += 1
            pieces[j:k] = pieces[j:k][::-1]
            j = k
    return tuple(Run(t, f, bool(level % 2)) for t, f, level in pieces)


@functools.lru_cache(maxsize=65536)
def width(text: str, bold: bool, size: int, rtl: bool) -> float:
    """Advance width of a line in pixels."""
    return sum(face(bold, r.font, size).getlength(r.text, direction=r.direction) for r in runs(text, bold, rtl))


def bbox(text: str, bold: bool, size: int, rtl: bool) -> tuple[int, int, int, int] | None:
    """The rectangle a line's ink covers, relative to its start on the baseline; None when it has none."""
    x, box = 0.0, None
    for r in runs(text, bold, rtl):
        f = face(bold, r.font, size)
        left, top, right, bottom = f.getbbox(r.text, anchor="ls", direction=r.direction)
        if right > left:
            part = (int(x) + left, top, int(x) + right + 1, bottom)
            box = part if box is None else (min(box[0], part[0]), min(box[1], part[1]), max(box[2], part[2]),
                                            max(box[3], part[3]))
        x += f.getlength(r.text, direction=r.direction)
    return box


def draw_line(draw: ImageDraw.ImageDraw, x: float, baseline: int, text: str, bold: bool, size: int,
              fill: tuple[int, int, int], rtl: bool) -> None:
    """Draw a line starting at x (its left end) on the baseline."""
    for r in runs(text, bold, rtl):
        f = face(bold, r.font, size)
        draw.text((x, baseline), r.text, font=f, fill=fill, anchor="ls", direction=r.direction)
        x += f.getlength(r.text, direction=r.direction)


def fonts_digest_files() -> tuple[Path, ...]:
    """Every font file a slide may be drawn with (for the cache key)."""
    return font_files(True) + font_files(False)
