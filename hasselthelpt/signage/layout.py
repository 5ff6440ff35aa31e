"""Where everything goes on a slide: pure geometry and text fitting, no pixels.

`layout(slide, screen)` returns a `Layout`: the background, the photo's rectangle, the QR code's place, and every
piece of text as a `TextBox` with its lines, size and the rectangle its ink covers. The renderer only paints
what the layout says, and tests check the boxes against the screen's safe area.

Text is fitted, never clipped: a title wraps at spaces; when it needs too many lines or too much height it
shrinks, down to the screen's minimum legible size; only when that is not enough are long words (Dutch
compounds) hyphenated with the Dutch dictionary of pyphen. What still does not fit is returned as a problem,
which `check` reports with the content file and field.

Text in every script is measured and drawn through `shaping` (font per character, direction, raqm); a
block whose text reads right to left (Arabic, Hebrew) is aligned to the right of its column.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pyphen
from PIL import ImageFont

from .. import brand
from . import shaping
from .screens import Screen
from .select import Slide

LAYOUT_VERSION = "2"  # bump with any change below that moves pixels (part of the slide cache key)

TITLE_LEADING = 1.12  # line pitch of titles, in font sizes
TEXT_LEADING = 1.25
LINE_RATIO = 0.5  # the short line starts at half the title's size (never below the minimum)
LINE_LINES = {"portrait": 3, "landscape": 2, "banner": 2}  # lines the short line may take
QR_CAPTION = "Scan de code voor meer info"
CTA = "Lees meer"


# --- Colours --------------------------------------------------------------------------------------------------

def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def relative_luminance(colour: str | tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    rgb = _rgb(colour) if isinstance(colour, str) else colour

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | tuple[int, int, int], b: str | tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


C = brand.COLOURS


@dataclass(frozen=True)
class Palette:
    background: str
    deco: str  # the large heart behind the text: text may overlap it
    kicker: str
    title: str
    text: str  # the short line and the QR caption
    logo_heart: str
    logo_name: str  # "HASSELT"
    logo_helpt: str  # "Helpt"
    block: str  # the logo block of a banner
    block_text: str
    block_helpt: str
    button: str  # the "Lees meer" button of a banner
    button_text: str
    qr_dark: str = C["ink"]
    qr_light: str = C["paper"]

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """(what, text colour, background colour) for every place where text sits on a colour."""
        pairs = []
        for bg_name, bg in (("background", self.background), ("deco", self.deco)):
            for what in ("kicker", "title", "text", "logo_name", "logo_helpt"):
                pairs.append((f"{what} on {bg_name}", getattr(self, what), bg))
        pairs += [("block text", self.block_text, self.block), ("block Helpt", self.block_helpt, self.block),
                  ("button", self.button_text, self.button), ("QR code", self.qr_dark, self.qr_light)]
        return pairs


PALETTES = {
    "primary": Palette(background=C["primary"], deco=C["primary_dark"], kicker=C["accent"], title=C["paper"],
                       text=C["paper"], logo_heart=C["paper"], logo_name=C["paper"], logo_helpt=C["accent"],
                       block=C["primary_dark"], block_text=C["paper"], block_helpt=C["accent"],
                       button=C["accent"], button_text=C["ink"]),
    "light": Palette(background=C["paper"], deco=C["tint"], kicker=C["primary"], title=C["ink"], text=C["muted"],
                     logo_heart=C["primary"], logo_name=C["ink"], logo_helpt=C["primary"],
                     block=C["primary"], block_text=C["paper"], block_helpt=C["accent"],
                     button=C["primary"], button_text=C["paper"]),
}


# --- Fonts and words ----------------------------------------------------------------------------------------

def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    """The site's Open Sans, the first font of the stack: its metrics set line heights and baselines."""
    return shaping.face(bold, 0, size)


def measure(bold: bool, size: int, line: str, rtl: bool = False) -> float:
    """Advance width of a line in pixels, in every script (shaping.width caches it: fitting measures the same
    candidate lines again and again)."""
    return shaping.width(line, bold, size, rtl)


@functools.lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL", left=2, right=3)


def break_points(word: str) -> list[tuple[int, bool]]:
    """Where a word may break: (index, add a hyphen). After a hyphen that is already there, and between
    syllables as the Dutch hyphenation dictionary has them ('vrij-wil-li-gers-werk')."""
    points: list[tuple[int, bool]] = []
    offset = 0
    for part in word.split("-"):
        for p in _hyphenator().positions(part):
            points.append((offset + p, True))
        offset += len(part) + 1
        if offset < len(word):
            points.append((offset, False))  # after the existing hyphen
    return sorted(set(points))


def _split_word(word: str, bold: bool, size: int, width: float, room: float, rtl: bool = False) -> list[str]:
    """Pieces of a word too long for a line: the first fits `room` (it is '' when nothing fits there), each
    other one `width`; every piece but the last ends with a hyphen."""
    pieces: list[str] = []
    start, avail = 0, room
    points = break_points(word)
    length = functools.partial(_measure_in, bold, size, rtl)

    while length(word[start:]) > avail:
        best = None
        for index, add in points:
            if index <= start:
                continue
            piece = word[start:index] + ("-" if add else "")
            if length(piece) <= avail:
                best = (index, piece)
            else:
                break
        if best is None and avail < width:  # nothing fits on the rest of this line: start a new one
            pieces.append("")
            avail = width
            continue
        if best is None:  # no syllable boundary fits a whole line: break between letters
            k = start + 1
            while k < len(word) - 1 and length(word[start:k + 1] + "-") <= avail:
                k += 1
            best = (k, word[start:k] + "-")
        pieces.append(best[1])
        start, avail = best[0], width
    pieces.append(word[start:])
    return pieces


def _measure_in(bold: bool, size: int, rtl: bool, line: str) -> float:
    return measure(bold, size, line, rtl)


def wrap(text: str, bold: bool, size: int, width: float, hyphenate: bool) -> list[str] | None:
    """Lines of at most `width` pixels. None when a word is wider than a line and `hyphenate` is False. Lines
    are in reading order; a right-to-left text (Arabic, Hebrew) is measured as such."""
    rtl = shaping.is_rtl(text)
    length = functools.partial(_measure_in, bold, size, rtl)

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if length(candidate) <= width:
            current = candidate
            continue
        if length(word) <= width:
            lines.append(current)
            current = word
            continue
        if not hyphenate:
            return None
        room = width - length(current + " ") if current else width
        pieces = _split_word(word, bold, size, width, room, rtl)
        if current:
            first = pieces.pop(0)
            lines.append(f"{current} {first}" if first else current)
        elif pieces[0] == "":
            pieces.pop(0)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines


def balanced_wrap(text: str, bold: bool, size: int, width: float, hyphenate: bool) -> list[str] | None:
    """Like `wrap`, with the same number of lines but as even as they come: no lone word on the last line."""
    lines = wrap(text, bold, size, width, hyphenate)
    if not lines or len(lines) < 2:
        return lines
    low, high = width / 2, width
    for _ in range(10):
        mid = (low + high) / 2
        candidate = wrap(text, bold, size, mid, hyphenate)
        if candidate is not None and len(candidate) == len(lines):
            high = mid
        else:
            low = mid
    return wrap(text, bold, size, high, hyphenate)


# --- The layout -----------------------------------------------------------------------------------------------

Box = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class TextBox:
    role: str  # kicker, title, line, caption, logo, button
    lines: tuple[str, ...]
    size: int
    bold: bool
    colour: str
    x: int
    y: int  # top of the first line (ascender)
    pitch: int  # distance between lines
    box: Box  # the rectangle the ink covers
    rtl: bool = False  # the text reads right to left: its lines end at the right of the column
    width: int = 0  # the column's width (where right-to-left lines are aligned)

    def line_positions(self) -> list[tuple[int, int, str]]:
        """(left end, baseline, text) of every line."""
        baseline = self.y + font(self.bold, self.size).getmetrics()[0]
        return [(_line_x(self.x, self.width, line, self.size, self.bold, self.rtl), baseline + i * self.pitch, line)
                for i, line in enumerate(self.lines)]


def _line_x(x: int, width: int, line: str, size: int, bold: bool, rtl: bool) -> int:
    """Where a line starts: at the column's left, or for right-to-left text so that it (its advance, and its
    ink where that reaches further) ends at the column's right."""
    if not rtl:
        return x
    ink = shaping.bbox(line, bold, size, rtl)
    return x + width - max(round(measure(bold, size, line, rtl)), ink[2] if ink else 0)


@dataclass(frozen=True)
class Shape:
    kind: str  # rect, heart, rounded
    box: Box
    colour: str
    radius: int = 0
    front: bool = False  # painted over the photo (logo, buttons); otherwise behind it (background, decoration)


@dataclass
class Layout:
    width: int
    height: int
    safe: Box
    background: str
    shapes: list[Shape] = field(default_factory=list)  # painted before the photo and the text
    photo: Box | None = None
    qr: tuple[int, int, int] | None = None  # x, y, module size (the code has its 4-module quiet zone)
    qr_modules: int = 0
    texts: list[TextBox] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (field, what is wrong, how to fix)

    @property
    def qr_box(self) -> Box | None:
        if not self.qr:
            return None
        x, y, scale = self.qr
        return x, y, x + self.qr_modules * scale, y + self.qr_modules * scale


def _block(role: str, lines: list[str], size: int, bold: bool, colour: str, x: int, y: int,
           leading: float, width: int = 0) -> TextBox:
    """A block of lines with its top-left at (x, y). Text that reads right to left (its first strong letter
    does, as with HTML's dir="auto") is aligned to the right of a column `width` wide."""
    pitch = round(size * leading)
    rtl = bool(width) and shaping.is_rtl(" ".join(lines))
    baseline = y + font(bold, size).getmetrics()[0]
    start = x + width if rtl else x
    left, top, right, bottom = start, y, start, y
    for i, line in enumerate(lines):
        ink = shaping.bbox(line, bold, size, rtl) if line else None
        if ink is None:
            continue
        lx = _line_x(x, width, line, size, bold, rtl)
        left, right = min(left, lx + ink[0]), max(right, lx + ink[2])
        top, bottom = min(top, baseline + i * pitch + ink[1]), max(bottom, baseline + i * pitch + ink[3])
    return TextBox(role, tuple(lines), size, bold, colour, x, y, pitch, (left, top, right, bottom), rtl, width)


def block_height(n_lines: int, size: int, bold: bool, leading: float) -> int:
    """Height reserved for n lines: the pitch between lines plus the font's full ascent and descent."""
    ascent, descent = font(bold, size).getmetrics()
    return (n_lines - 1) * round(size * leading) + ascent + descent if n_lines else 0


def text_width(text: str, size: int, bold: bool) -> float:
    return measure(bold, size, text, shaping.is_rtl(text))


@dataclass
class _Fit:
    kicker: list[str]
    kicker_size: int
    title: list[str]
    title_size: int
    line: list[str]
    line_size: int
    gap1: int
    gap2: int

    @property
    def height(self) -> int:
        h = block_height(len(self.kicker), self.kicker_size, True, TEXT_LEADING) + self.gap1
        h += block_height(len(self.title), self.title_size, True, TITLE_LEADING)
        if self.line:
            h += self.gap2 + block_height(len(self.line), self.line_size, False, TEXT_LEADING)
        return h


def _sizes(high: int, low: int) -> list[int]:
    step = max(1, round(high / 40))
    sizes = list(range(high, low, -step))
    return sizes + [low]


def variant(screen: Screen) -> str:
    """Which layout a screen gets: a banner (3 or more times as wide as high), portrait or landscape."""
    if screen.width >= 3 * screen.height:
        return "banner"
    return "portrait" if screen.height > screen.width else "landscape"


def fit_text(slide: Slide, screen: Screen, width: int, height: int, kicker_size: int
             ) -> tuple[_Fit, list[tuple[str, str, str]]]:
    """The largest title size (then the line's) at which kicker, title and line fit width x height."""
    low = screen.min_text_size
    line_lines = LINE_LINES[variant(screen)]
    kicker = next(([k] for k in slide.kickers if text_width(k, kicker_size, True) <= width), None)
    kicker = kicker or balanced_wrap(slide.kickers[-1], True, kicker_size, width, True) or []
    for hyphenate in (False, True):
        for size in _sizes(screen.max_text_size, low):
            title = wrap(slide.title, True, size, width, hyphenate)
            if title is None or len(title) > screen.title_lines:
                continue
            line: list[str] = []
            line_size = max(low, round(size * LINE_RATIO))
            if slide.line:
                for line_size in _sizes(line_size, low):
                    candidate = wrap(slide.line, False, line_size, width, hyphenate)
                    if candidate is not None and len(candidate) <= line_lines:
                        line = candidate
                        break
                if not line:
                    continue
            fit = _Fit(kicker, kicker_size, title, size, line, line_size, round(size * 0.28), round(size * 0.42))
            if fit.height <= height:
                if not hyphenate:  # the same number of lines, evened out (hyphenated words stay as they are)
                    fit.title = balanced_wrap(slide.title, True, size, width, False) or title
                    fit.line = balanced_wrap(slide.line, False, line_size, width, False) or line
                return fit, []
    return _overflow(slide, screen, width, height, kicker, kicker_size, line_lines)


def _overflow(slide: Slide, screen: Screen, width: int, height: int, kicker: list[str], kicker_size: int,
              line_lines: int) -> tuple[_Fit, list[tuple[str, str, str]]]:
    """Nothing fits: say what is too long, and lay it out at the minimum size, cut to the space there is."""
    low = screen.min_text_size
    title = wrap(slide.title, True, low, width, True) or [slide.title]
    line = (wrap(slide.line, False, low, width, True) or []) if slide.line else []
    where = f"screen '{screen.name}' ({screen.width}x{screen.height})"
    problems = []
    if len(title) > screen.title_lines:
        problems.append(("title", f"is too long for {where}: even at the minimum text size of {low} px it needs "
                         f"{len(title)} lines, and {screen.title_lines} fit",
                         f"Shorten the title (about {_chars_that_fit(slide.title, len(title), screen.title_lines)} "
                         f"characters fit), or, in signage/screens.yaml, lower min_text_size or raise title_lines "
                         f"of '{screen.name}'."))
    if len(line) > line_lines:
        problems.append((slide.line_field or "title", f"is too long for {where}: the line '{slide.line}' needs "
                         f"{len(line)} lines at {low} px, and {line_lines} fit",
                         "Shorten it: screens show it as one short line."))
    fit = _Fit(kicker, kicker_size, title[:screen.title_lines], low, line[:line_lines], low,
               round(low * 0.28), round(low * 0.42))
    if not problems:
        problems.append(("title", f"is too long for {where}: at the minimum text size of {low} px the title and "
                         f"the line below it need {fit.height} pixels of height, and {height} are free",
                         f"Shorten the title, or lower min_text_size of '{screen.name}' in signage/screens.yaml."))
    while fit.height > height and len(fit.title) > 1:
        fit.title = fit.title[:-1]
    return fit, problems


def _chars_that_fit(text: str, needed: int, allowed: int) -> int:
    return max(10, len(text) * allowed // needed - 3)


def _heart_box(cx: float, cy: float, size: float) -> Box:
    return round(cx - size / 2), round(cy - size / 2), round(cx + size / 2), round(cy + size / 2)


def _logo(x: int, y: int, size: int, p: Palette, on_block: bool = False) -> tuple[list[Shape], list[TextBox], int]:
    """The word mark: heart, 'HASSELT' and 'Helpt', text at `size`, top-left at (x, y). Returns its width too."""
    ascent, descent = font(True, size).getmetrics()
    heart = round(size * 1.15)
    cap_top = font(True, size).getbbox("H", anchor="la")[1]
    cap_height = font(True, size).getbbox("H", anchor="ls")[3] - font(True, size).getbbox("H", anchor="ls")[1]
    # the heart sits on the capitals' baseline, as tall as them plus a little
    heart_y = y + cap_top + cap_height // 2 - heart // 2
    shapes = [Shape("heart", (x, heart_y, x + heart, heart_y + heart), p.block_text if on_block else p.logo_heart,
                    front=True)]
    tx = x + heart + round(size * 0.35)
    name = _block("logo", ["HASSELT"], size, True, p.block_text if on_block else p.logo_name, tx, y, TEXT_LEADING)
    hx = tx + round(text_width("HASSELT ", size, True))
    helpt = _block("logo", ["Helpt"], size, True, p.block_helpt if on_block else p.logo_helpt, hx, y, TEXT_LEADING)
    return shapes, [name, helpt], helpt.box[2] - x


def logo_width(size: int) -> int:
    return round(size * 1.15) + round(size * 0.35) + round(text_width("HASSELT Helpt", size, True))


def _qr_place(modules: int, target: int) -> tuple[int, int]:
    """Module size and total size of a QR code of `modules` (quiet zone included) in about `target` pixels."""
    scale = max(2, target // modules)
    return scale, modules * scale


def layout(slide: Slide, screen: Screen, qr_modules: int = 0) -> Layout:
    """The layout of one slide. `qr_modules`: the QR code's width in modules, quiet zone included."""
    p = PALETTES[screen.style]
    out = Layout(screen.width, screen.height, screen.safe_box, p.background)
    {"banner": _banner, "portrait": _portrait, "landscape": _landscape}[variant(screen)](
        out, slide, screen, p, qr_modules)
    return out


def _place_text(out: Layout, fit: _Fit, p: Palette, x: int, y: int, width: int) -> None:
    out.texts.append(_block("kicker", fit.kicker, fit.kicker_size, True, p.kicker, x, y, TEXT_LEADING, width))
    y += block_height(len(fit.kicker), fit.kicker_size, True, TEXT_LEADING) + fit.gap1
    out.texts.append(_block("title", fit.title, fit.title_size, True, p.title, x, y, TITLE_LEADING, width))
    if fit.line:
        y += block_height(len(fit.title), fit.title_size, True, TITLE_LEADING) + fit.gap2
        out.texts.append(_block("line", fit.line, fit.line_size, False, p.text, x, y, TEXT_LEADING, width))


def _kicker_size(screen: Screen) -> int:
    return max(screen.min_text_size, round(screen.max_text_size * 0.36))


def _caption(out: Layout, screen: Screen, p: Palette, x: int, y_bottom: int, width: int) -> None:
    """'Scan de code voor meer info' beside the QR code, its last line ending at y_bottom."""
    size = screen.min_text_size
    lines = balanced_wrap(QR_CAPTION, False, size, width, True) or [QR_CAPTION]
    h = block_height(len(lines), size, False, TEXT_LEADING)
    out.texts.append(_block("caption", lines, size, False, p.text, x, y_bottom - h, TEXT_LEADING))


def _portrait(out: Layout, slide: Slide, screen: Screen, p: Palette, qr_modules: int) -> None:
    W, H = screen.width, screen.height
    left, top, right, bottom = screen.safe_box
    width = right - left
    unit = screen.max_text_size
    if slide.photo:
        photo_bottom = round(H * 0.38)
        out.photo = (0, 0, W, photo_bottom)
        text_top = max(top, photo_bottom + round(unit * 0.6))
    else:
        size = W * 0.66  # a whole heart, top right, above the text
        out.shapes.append(Shape("heart", _heart_box(W - size / 2 - W * 0.04, H * 0.035 + size / 2, size), p.deco))
        text_top = max(top, round(H * 0.035 + size * 1.02))
    logo_size = max(screen.min_text_size, round(unit * 0.42))
    ascent, descent = font(True, logo_size).getmetrics()
    logo_h = ascent + descent
    footer_top = bottom - logo_h
    if screen.qr and qr_modules:
        scale, q = _qr_place(qr_modules, round(W * 0.27))
        out.qr, out.qr_modules = (right - q, bottom - q, scale), qr_modules
        footer_top = bottom - q
        _caption(out, screen, p, left, bottom - logo_h - round(unit * 0.35), width - q - round(unit * 0.5))
    shapes, logo_texts, _ = _logo(left, bottom - logo_h, logo_size, p)
    out.shapes += shapes
    out.texts += logo_texts
    region = footer_top - round(unit * 0.6) - text_top
    fit, problems = fit_text(slide, screen, width, region, _kicker_size(screen))
    out.problems += problems
    _place_text(out, fit, p, left, text_top, width)


def _landscape(out: Layout, slide: Slide, screen: Screen, p: Palette, qr_modules: int) -> None:
    W, H = screen.width, screen.height
    left, top, right, bottom = screen.safe_box
    unit = screen.max_text_size
    if slide.photo:
        photo_left = round(W * 0.56)
        out.photo = (photo_left, 0, W, H)
        column_right = min(right, photo_left - round(unit * 0.7))
    else:
        size = H * 1.25
        out.shapes.append(Shape("heart", _heart_box(W - H * 0.22, H * 0.62, size), p.deco))
        column_right = min(right, round(W * 0.80))
    width = column_right - left
    logo_size = max(screen.min_text_size, round(unit * 0.42))
    ascent, descent = font(True, logo_size).getmetrics()
    shapes, logo_texts, _ = _logo(left, top, logo_size, p)
    out.shapes += shapes
    out.texts += logo_texts
    region_top = top + ascent + descent + round(unit * 0.6)
    region_bottom = bottom
    if screen.qr and qr_modules:
        scale, q = _qr_place(qr_modules, round(H * 0.25))
        out.qr, out.qr_modules = (left, bottom - q, scale), qr_modules
        gap = round(unit * 0.35)
        cap_lines = balanced_wrap(QR_CAPTION, False, screen.min_text_size, width - q - gap, True) or []
        cap_h = block_height(len(cap_lines), screen.min_text_size, False, TEXT_LEADING)
        _caption(out, screen, p, left + q + gap, bottom - (q - cap_h) // 2, width - q - gap)
        region_bottom = bottom - q - round(unit * 0.6)
    region = region_bottom - region_top
    fit, problems = fit_text(slide, screen, width, region, _kicker_size(screen))
    out.problems += problems
    # the text block sits in the middle of the free height, a little above rather than below
    y = region_top + max(0, (region - fit.height) * 2 // 5)
    _place_text(out, fit, p, left, y, width)


def _banner(out: Layout, slide: Slide, screen: Screen, p: Palette, qr_modules: int) -> None:
    """A wide strip (e-mail signature): logo block at the left, kicker and title, a button or QR code right."""
    H = screen.height
    left, top, right, bottom = screen.safe_box
    low = screen.min_text_size
    block_w = round(H * 1.1)
    out.shapes.append(Shape("rect", (0, 0, block_w, H), p.block))
    # logo in the block: the heart above the name, centred
    name_size = low
    name_w = round(text_width("HASSELT Helpt", name_size, True))
    ascent, descent = font(True, name_size).getmetrics()
    heart = round((bottom - top) * 0.42)
    stack_h = heart + round(low * 0.4) + ascent + descent
    y0 = top + (bottom - top - stack_h) // 2
    cx = max(left + name_w // 2, block_w // 2)
    out.shapes.append(Shape("heart", (cx - heart // 2, y0, cx + heart // 2 + heart % 2, y0 + heart), p.block_text,
                            front=True))
    ny = y0 + heart + round(low * 0.4)
    nx = cx - name_w // 2
    out.texts.append(_block("logo", ["HASSELT"], name_size, True, p.block_text, nx, ny, TEXT_LEADING))
    out.texts.append(_block("logo", ["Helpt"], name_size, True, p.block_helpt,
                            nx + round(text_width("HASSELT ", name_size, True)), ny, TEXT_LEADING))
    column_left = max(block_w, nx + name_w) + round(H * 0.14)
    column_right = right
    if screen.qr and qr_modules:
        scale, q = _qr_place(qr_modules, bottom - top)
        out.qr, out.qr_modules = (right - q, top + (bottom - top - q) // 2, scale), qr_modules
        column_right = right - q - round(H * 0.1)
    else:
        size = low
        pad_x, pad_y = round(size * 0.9), round(size * 0.55)
        bw = round(text_width(CTA + " ›", size, True)) + 2 * pad_x
        b_ascent, b_descent = font(True, size).getmetrics()
        bh = b_ascent + b_descent + 2 * pad_y
        bx, by = right - bw, top + (bottom - top - bh) // 2
        out.shapes.append(Shape("rounded", (bx, by, right, by + bh), p.button, radius=bh // 2, front=True))
        out.texts.append(_block("button", [CTA + " ›"], size, True, p.button_text, bx + pad_x, by + pad_y,
                                TEXT_LEADING))
        column_right = bx - round(H * 0.12)
    width = column_right - column_left
    fit, problems = fit_text(slide, screen, width, bottom - top, low)
    out.problems += problems
    y = top + max(0, (bottom - top - fit.height) // 2)
    _place_text(out, fit, p, column_left, y, width)
