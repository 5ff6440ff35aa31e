"""Signage slides: fitted text inside the safe area, contrast, QR codes that decode, byte-identical output."""

from __future__ import annotations

import datetime as dt
import functools
import io

import pytest
import zxingcpp
from PIL import Image, ImageChops

from hh_testing import REPO
from hasselthelpt import brand
from hasselthelpt.content.loading import load_corpus
from hasselthelpt.settings import TIMEZONE
from hasselthelpt.signage.layout import PALETTES, break_points, contrast_ratio, wrap
from hasselthelpt.signage.render import encode, paint, render_slide, slide_layout
from hasselthelpt.signage.screens import load_screens
from hasselthelpt.signage.select import Slide

SCREENS, _ = load_screens(REPO)
COMPOUND_40 = "Kinderopvangvrijwilligersbegeleidingsdag"  # 40 letters, counted in a test below
ACCENTS = "Crèmebrûlée-avond met Zoë, Anaïs en Chloé in het café van Sint-Lambrechts-Herk"
URL = "https://www.hasselt.be/hasselthelpt/vacatures/kok/?utm_source=signage&utm_medium=x&utm_campaign=hasselthelpt"


@functools.lru_cache(maxsize=1)
def longest_sample_title() -> str:
    corpus, _ = load_corpus(REPO)
    titles = [i.title for t in ("vacancy", "story", "event") for i in corpus.of_type(t).values()]
    return max(titles, key=len)


def slide(title: str, line: str = "Kiewit · 3 uur per week", qr: bool = True, photo: str | None = None,
          kickers: tuple[str, ...] = ("Vrijwilliger gezocht",)) -> Slide:
    start = dt.datetime(2026, 10, 1, tzinfo=TIMEZONE)
    return Slide(screen="test", type="vacancy", slug="test", path="vacancies/test.yaml", kickers=kickers,
                 title=title, line=line, line_field="time_commitment", qr_url=URL if qr else None, link=URL,
                 photo=photo, start=start, end=start + dt.timedelta(days=30), internal=False)


def for_screen(s: Slide, screen) -> Slide:
    """The slide as that screen would have it: no QR code where the screen has none, its kind of line."""
    line = {"none": "", "website": "Meer info: hasselt.be/hasselthelpt"}.get(screen.line, s.line)
    return Slide(**{**s.__dict__, "qr_url": s.qr_url if screen.qr else None, "line": line})


def inside(box, outer) -> bool:
    return outer[0] <= box[0] and outer[1] <= box[1] and box[2] <= outer[2] and box[3] <= outer[3]


HARD = {
    "longest sample title": lambda: longest_sample_title(),
    "40-letter compound": lambda: f"Word {COMPOUND_40} in Kermt",
    "compound alone": lambda: COMPOUND_40,
    "accents": lambda: ACCENTS,
    "arabic": lambda: "متطوع للمطبخ في حي كيويت: نطبخ الحساء مع الجيران كل أسبوع!",
    "tigrinya": lambda: "ወለንታዊ ንኽሽነ ናይ ሰፈር ኣብ ኪየዊት",
    "emoji": lambda: "Soep 🍲 koken met de buren 👩‍🍳❤️ in Kiewit 🇧🇪",
}


def test_the_hard_cases_are_what_they_say():
    assert len(COMPOUND_40) == 40
    assert len(longest_sample_title()) > 80
    assert break_points(COMPOUND_40), "the Dutch dictionary finds syllables in a compound"
    assert (2, False) in break_points("G-voetbal-team"), "after an existing hyphen, without adding one"


def test_default_screens_exist_with_their_sizes():
    sizes = {name: (s.width, s.height) for name, s in SCREENS.items()}
    assert sizes["jcdecaux-portrait"] == (1080, 1920) and SCREENS["jcdecaux-portrait"].orientation == "portrait"
    road = SCREENS["entry-road"]
    assert road.orientation == "landscape" and not road.qr and road.min_text_size >= 60
    assert sizes["coffee-corner"] == (1920, 1080) and SCREENS["coffee-corner"].audience == "staff"
    assert sizes["laptop-1080"] == (1920, 1080) and sizes["laptop-1440"] == (2560, 1440)
    assert SCREENS["laptop-1080"].audience == SCREENS["laptop-1440"].audience == "staff"
    assert sizes["email-banner"] == (600, 150) and sizes["email-banner-2x"] == (1200, 300)
    assert SCREENS["jcdecaux-portrait"].slide_duration == 10


@pytest.mark.parametrize("style", sorted(PALETTES))
def test_every_text_colour_pair_has_a_contrast_of_at_least_4_5(style):
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio(brand.COLOURS["paper"], brand.COLOURS["paper"]) == pytest.approx(1)
    for what, fg, bg in PALETTES[style].text_pairs():
        assert contrast_ratio(fg, bg) >= 4.5, f"{style}: {what} ({fg} on {bg})"


@pytest.mark.parametrize("screen_name", sorted(SCREENS))
@pytest.mark.parametrize("case", sorted(HARD))
def test_text_stays_inside_the_safe_area(screen_name, case):
    screen = SCREENS[screen_name]
    s = for_screen(slide(HARD[case]()), screen)
    out = slide_layout(s, screen)
    assert out.texts, "there is text"
    for box in out.texts:
        assert inside(box.box, out.safe), f"{box.role} {box.lines} at {box.box} leaves the safe area {out.safe}"
        assert box.size >= screen.min_text_size, f"{box.role} is smaller than the screen's minimum"
    if out.qr_box:
        assert inside(out.qr_box, out.safe)
    if not out.problems:  # what fits is shown whole: nothing cut, only hyphens added at line ends
        title = next(b for b in out.texts if b.role == "title")
        joined = "".join(line if line.endswith("-") and not line.endswith(" -") else line + " "
                         for line in title.lines)
        flat = joined.replace("- ", "-").replace("-", "").replace(" ", "")
        assert flat == s.title.replace("-", "").replace(" ", "")


def test_a_long_compound_is_hyphenated_between_syllables():
    lines = wrap(COMPOUND_40, True, 100, 700, hyphenate=True)
    assert len(lines) > 1 and all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.removesuffix("-") for line in lines) == COMPOUND_40
    assert wrap(COMPOUND_40, True, 100, 700, hyphenate=False) is None, "without hyphenation it does not fit"
    # an existing hyphen is a break point that needs no extra one
    assert wrap("Sint-Lambrechts-Herk", True, 100, 800, hyphenate=True)[0].endswith("-")


def _text_pixels_in_margin(img: Image.Image, out) -> list[str]:
    """Text colours found outside the safe area (photos and full-bleed shapes of the same colour excepted)."""
    left, top, right, bottom = out.safe
    margin = Image.new("L", img.size, 255)
    margin.paste(0, (left, top, right, bottom))
    if out.photo:
        margin.paste(0, out.photo)
    bleed = {out.background} | {s.colour for s in out.shapes if not s.front}
    found = []
    for colour in {b.colour for b in out.texts} - bleed:
        diff = ImageChops.difference(img, Image.new("RGB", img.size, colour))
        r, g, b = diff.split()
        close = ImageChops.lighter(ImageChops.lighter(r, g), b).point(lambda v: 255 if v < 40 else 0)
        if ImageChops.multiply(close, margin).getbbox():
            found.append(colour)
    return found


@pytest.mark.parametrize("screen_name", sorted(SCREENS))
def test_rendered_slide_reads_back_and_its_margins_hold_no_text(screen_name):
    screen = SCREENS[screen_name]
    s = for_screen(slide(f"Word {COMPOUND_40} met Zoë in het café", photo=None), screen)
    out = slide_layout(s, screen)
    img = paint(out, s, None)
    assert _text_pixels_in_margin(img, out) == []
    data = encode(img, screen.format)
    with Image.open(io.BytesIO(data)) as back:
        assert back.size == (screen.width, screen.height)
        assert back.format == {"png": "PNG", "jpeg": "JPEG"}[screen.format]
        assert back.mode == "RGB"
        assert "exif" not in back.info and "icc_profile" not in back.info
        if screen.qr:
            assert [r.text for r in zxingcpp.read_barcodes(back)] == [URL]
        else:
            assert zxingcpp.read_barcodes(back) == []
    if screen.format == "png":
        assert b"tIME" not in data and b"tEXt" not in data and b"iTXt" not in data  # no timestamp or metadata


def test_photo_slide_decodes_and_renders_byte_identical(tmp_path):
    screen = SCREENS["jcdecaux-portrait"]
    photo_path = REPO / "content" / "images" / "stories" / "moestuin.jpg"
    s = slide("Samen tuinieren in Kiewit", photo="images/stories/moestuin.jpg")
    photo = photo_path.read_bytes()
    first = render_slide(s, screen, photo)
    assert render_slide(s, screen, photo) == first, "same input, same bytes"
    out = slide_layout(s, screen)
    assert out.photo is not None
    with Image.open(io.BytesIO(first)) as back:
        assert back.size == (1080, 1920) and back.format == "JPEG"
        assert [r.text for r in zxingcpp.read_barcodes(back)] == [URL]
        # the photo is there: its top-left region is not the background red
        region = back.crop((0, 0, 200, 200)).convert("RGB").getcolors(200 * 200)
        assert len(region) > 1
    changed = render_slide(slide("Samen tuinieren in Kuringen", photo="images/stories/moestuin.jpg"), screen, photo)
    assert changed != first


def test_overflow_is_reported_with_field_and_screen():
    screen = SCREENS["entry-road"]
    long = " ".join(["Vrijwilligersondersteuning"] * 6)
    out = slide_layout(for_screen(slide(long), screen), screen)
    assert [p[0] for p in out.problems] == ["title"]
    assert "entry-road" in out.problems[0][1] and "too long" in out.problems[0][1]
    for box in out.texts:
        assert inside(box.box, out.safe), "even what does not fit is drawn inside the safe area"
