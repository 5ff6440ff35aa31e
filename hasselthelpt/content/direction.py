"""Which way a text reads, for every output that shows user text: pages (a `dir` attribute, `<bdi>`), feeds
and the signage slides. The first strong character decides (rule P2 of Unicode's bidirectional algorithm,
which is also what HTML's dir="auto" does): an Arabic or Hebrew letter makes the text right-to-left, a Latin,
Cyrillic or Ethiopic one left-to-right; digits and punctuation do not count, and neither does text inside an
isolate (U+2066..U+2069)."""

from __future__ import annotations

import functools
import unicodedata
from html import escape

from markupsafe import Markup

ISOLATES, POP_ISOLATE = "\u2066\u2067\u2068", "\u2069"


@functools.lru_cache(maxsize=4096)
def first_strong(text: str) -> str | None:
    """'rtl' or 'ltr' after the first strong character, None when the text has none."""
    depth = 0
    for ch in text:
        if ch in ISOLATES:
            depth += 1
        elif ch == POP_ISOLATE:
            depth = max(0, depth - 1)
        elif not depth:
            kind = unicodedata.bidirectional(ch)
            if kind == "L":
                return "ltr"
            if kind in ("R", "AL"):
                return "rtl"
    return None


def is_rtl(*texts: str | None) -> bool:
    """Whether the texts (a title, then its summary...) read right to left: the first that has a strong
    character decides."""
    for text in texts:
        direction = first_strong(text or "")
        if direction:
            return direction == "rtl"
    return False


def dir_attr(*texts: str | None) -> Markup:
    """' dir="rtl"' for an element whose text reads right to left; nothing otherwise (the page is ltr)."""
    return Markup(' dir="rtl"') if is_rtl(*texts) else Markup("")


def isolate(text: str | None) -> Markup:
    """Text inside a Dutch sentence (a name, a title): in <bdi> when it holds right-to-left letters, so it keeps
    its own direction and the sentence's punctuation stays where it belongs."""
    text = text or ""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return Markup(f"<bdi>{escape(text)}</bdi>")
    return Markup(escape(text))
