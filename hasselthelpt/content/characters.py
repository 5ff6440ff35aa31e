"""Which characters a text may hold, and text made safe for XML outputs.

The schema refuses, in every text field:
- control characters (C0 and C1, DEL), except tab and line feed in texts of several lines (Markdown);
- lone surrogates (half a character, from a broken copy) and noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF).

and, in fields of one line (titles, names, addresses, summaries...):
- line breaks and tabs: LF, CR, NEL (U+0085), U+2028, U+2029, vertical tab, form feed, tab;
- bidi controls that embed, override or isolate (U+202A..U+202E, U+2066..U+2069): they can make a text look
  different from what it is (a reversed address, a disguised link); the site sets the direction itself;
- invisible characters that change what a text matches without showing: zero width space (U+200B), word joiner
  (U+2060), zero width no-break space / BOM (U+FEFF) and a few other format characters.

Allowed everywhere: zero width (non-)joiner (U+200C, U+200D: Persian, Indic scripts, emoji), the direction marks
LRM, RLM and ALM, soft hyphens, variation selectors, private-use characters, and every letter, mark, number,
punctuation, symbol and space.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = "\u200b\u2060\ufeff\u180e\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\ufff9\ufffa\ufffb"

_SURROGATE = "\ud800-\udfff"
_NONCHARACTER = "\ufdd0-\ufdef" + "".join(f"{chr(p + 0xfffe)}{chr(p + 0xffff)}" for p in range(0, 0x110000, 0x10000))
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # every C0 and C1 control but tab and line feed
_EVERYWHERE = _CONTROL + _SURROGATE + _NONCHARACTER
_BROKEN = re.compile(f"[{_SURROGATE}{_NONCHARACTER}]")
MULTILINE_REFUSED = re.compile(f"[{_EVERYWHERE}]")
SINGLE_LINE_REFUSED = re.compile(f"[{_EVERYWHERE}\t\n{re.escape(LINE_BREAKS + BIDI_CONTROLS + INVISIBLE)}]")

# XML 1.0 allows tab, LF, CR and U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF; lxml refuses the rest.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def refused(text: str, multiline: bool) -> tuple[int, str] | None:
    """(position, character) of the first character this kind of field refuses, or None."""
    match = (MULTILINE_REFUSED if multiline else SINGLE_LINE_REFUSED).search(text)
    return (match.start(), match.group()) if match else None


def kind_of(char: str) -> str:
    """What sort of refused character it is: line, bidi, invisible, broken or control."""
    if char in LINE_BREAKS or char == "\t":
        return "line"
    if char in BIDI_CONTROLS:
        return "bidi"
    if char in INVISIBLE:
        return "invisible"
    if _BROKEN.match(char):
        return "broken"
    return "control"


def describe(char: str) -> str:
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how an error message names a character."""
    name = unicodedata.name(char, "") if not "\ud800" <= char <= "\udfff" else "LONE SURROGATE"
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 forbids (content that passed `check` has none; this keeps
    every XML output well-formed whatever reaches it, for example from character references in HTML)."""
    return XML_FORBIDDEN.sub("", text)


def xml_clean(value: Any) -> Any:
    """`xml_safe` applied to every text in a value: a (frozen) dataclass, tuple, list or dict, nested."""
    if isinstance(value, str):
        return xml_safe(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: xml_clean(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, (tuple, list)):
        return type(value)(xml_clean(v) for v in value)
    if isinstance(value, dict):
        return {xml_clean(k): xml_clean(v) for k, v in value.items()}
    return value


def shown(value: object, limit: int = 60) -> str:
    """A value as an error message quotes it: short, with invisible characters written as \\uXXXX."""
    text = value if isinstance(value, str) else type(value).__name__ if isinstance(value, (dict, list, set, bytes)) \
        else _str(value)
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text[:limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"


def _str(value: object) -> str:
    try:
        return str(value)
    except ValueError:  # an integer too long to print
        return "a very long number"
