"""Every script on the slides: each character is drawn by a font that has it (never the empty .notdef box),
right-to-left text is ordered and aligned as it reads, and the same text gives the same bytes."""

from __future__ import annotations

import io
import unicodedata

import pytest
from PIL import Image, ImageChops, ImageDraw, features

from hasselthelpt.signage import shaping
from hasselthelpt.signage.layout import wrap
from hasselthelpt.signage.render import render_slide, slide_layout
from test_signage_render import SCREENS, for_screen, slide

SAMPLES = {  # the languages of the site (schema.LANGUAGES) and a few more that newcomers write
    "ar": "متطوع للمطبخ في حي كيويت، ٣ ساعات",
    "prs": "داوطلب برای آشپزخانهٔ محله، هفته‌ای سه ساعت",  # Dari, with a zero-width non-joiner
    "ps": "رضاکار د ګاونډ پخلنځي ته",  # Pashto letters (ګ ډ ځ)
    "ti": "ወለንታዊ ንኽሽነ ናይ ሰፈር",  # Tigrinya (Ethiopic)
    "uk": "Волонтер на кухню: ґанок, їжа",
    "ru": "Ищем волонтёра для кухни",
    "tr": "Gönüllü aşçı arıyoruz: İş, ğ, ş",
    "pl": "Zażółć gęślą jaźń: wolontariusz",
    "he": "מתנדב למטבח השכונתי",
    "hi": "रसोई के लिए स्वयंसेवक",
    "hy": "Կամավոր խոհանոցի համար",
    "ka": "მოხალისე სამზარეულოში",
    "emoji": "🍲❤️👩‍🍳🇧🇪👍🏽1️⃣",
}
NO_FONT = "\U00012000"  # CUNEIFORM SIGN A: no font of the stack has it, so it is drawn as .notdef
SIZE = 64


def _ink(text: str, rtl: bool = False) -> Image.Image:
    img = Image.new("L", (SIZE * 4, SIZE * 2), 0)
    shaping.draw_line(ImageDraw.Draw(img), SIZE // 2, SIZE * 3 // 2, text, True, SIZE, 255, rtl)
    return img


def _same(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox() is None


def test_pillow_shapes_with_raqm():
    assert features.check("raqm"), "Pillow's raqm layout (with FriBidi and HarfBuzz) is available"
    assert shaping.face(True, 0, 20).layout_engine == shaping.ImageFont.Layout.RAQM


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_every_character_is_drawn_by_a_font_that_has_it(lang):
    text = SAMPLES[lang]
    assert shaping.missing(text, True) == [] and shaping.missing(text, False) == []
    rtl = shaping.is_rtl(text)
    assert rtl == (lang in ("ar", "prs", "ps", "he"))
    drawn = "".join(r.text for r in shaping.runs(text, True, rtl))
    assert sorted(drawn) == sorted(text), "every character is in exactly one run"
    files = shaping.font_files(True)
    for run in shaping.runs(text, True, rtl):
        cmap = shaping._coverage(files[run.font])
        assert all(ord(c) in cmap for c in run.text if c.strip() and c not in "\u200c\u200d"), \
            f"{run.text!r} is drawn with {files[run.font].name}, which has its glyphs"
    notdef = _ink(NO_FONT)
    assert notdef.getbbox(), "the .notdef box has ink: comparing with it means something"
    for cluster in shaping.clusters(text):
        if cluster.strip() and unicodedata.category(cluster[0]) != "Cf":  # joiners are invisible
            glyph = _ink(cluster, rtl)
            assert glyph.getbbox() and not _same(glyph, notdef), f"{cluster!r} is drawn, not an empty box"


def test_emoji_sequences_are_one_glyph_each():
    """A zero-width-joiner sequence, a flag and a skin tone are shaped into one emoji, not their parts."""
    cook, woman = _ink("👩‍🍳"), _ink("👩")
    assert not _same(cook, woman)
    assert shaping.width("👩‍🍳", True, SIZE, False) == shaping.width("🍳", True, SIZE, False)
    assert shaping.width("🇧🇪", True, SIZE, False) < 2 * shaping.width("🇧", True, SIZE, False)


def test_missing_names_only_what_no_font_has():
    assert shaping.missing(f"Kok {NO_FONT} 你好 \u200e🍲", True) == [NO_FONT, "你", "好"]
    assert "U+12000 CUNEIFORM SIGN A" in shaping.describe(NO_FONT)


def test_right_to_left_runs_are_in_visual_order():
    # an Arabic sentence with a Latin name and a number: the name stays left-to-right inside it, the sentence
    # reads from the right, and its final '!' lands at the left end (where the sentence ends)
    runs = shaping.runs("تطوع مع HASSELT Helpt 2026!", True, True)
    assert [r.text for r in runs] == ["!", "HASSELT Helpt 2026", "تطوع مع "]
    assert [r.rtl for r in runs] == [True, False, True]
    # a Dutch line with an Arabic word: the word sits at the right, in its own direction
    runs = shaping.runs("Welkom: مرحبا", True, False)
    assert [(r.text, r.rtl) for r in runs] == [("Welkom: ", False), ("مرحبا", True)]
    # brackets in right-to-left text are mirrored by the shaper, not swapped in the text
    assert shaping.is_rtl("(مرحبا)") and not shaping.is_rtl("Hallo مرحبا")


def test_arabic_slide_is_right_aligned_and_the_kicker_stays_left():
    screen = SCREENS["jcdecaux-portrait"]
    title = "متطوع للمطبخ في حي كيويت: نطبخ الحساء مع الجيران كل أسبوع!"
    out = slide_layout(for_screen(slide(title, line="كيويت · ٣ ساعات في الأسبوع"), screen), screen)
    boxes = {b.role: b for b in out.texts}
    left, _, right, _ = out.safe
    assert boxes["title"].rtl and boxes["line"].rtl and not boxes["kicker"].rtl
    assert len(boxes["title"].lines) > 1, "the title wraps at spaces"
    for x, _, line in boxes["title"].line_positions():
        end = x + shaping.width(line, True, boxes["title"].size, True)
        assert right - 6 <= end <= right, "every line of right-to-left text ends at the right edge of the column"
    assert right - 3 <= boxes["title"].box[2] <= right and boxes["kicker"].box[0] - left < 8
    assert " ".join(boxes["title"].lines) == title, "wrapped at spaces, in reading order"


def test_slides_in_every_script_are_byte_identical_and_differ_from_boxes():
    screen = SCREENS["laptop-1080"]
    text = " ".join(SAMPLES[k] for k in ("ar", "ti", "uk", "emoji"))
    s = for_screen(slide(text), screen)
    first = render_slide(s, screen, None)
    assert render_slide(s, screen, None) == first
    boxes = for_screen(slide(NO_FONT * len(text)), screen)
    assert render_slide(boxes, screen, None) != first
    with Image.open(io.BytesIO(first)) as img:
        assert img.size == (1920, 1080)


def test_wrapping_arabic_keeps_words_whole():
    text = SAMPLES["ar"] + " " + SAMPLES["ar"]
    lines = wrap(text, True, 60, 500, hyphenate=False)
    assert lines and len(lines) > 1 and " ".join(lines) == text
