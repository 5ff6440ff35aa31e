"""The plain-Dutch check for editors (klare taal, about level B1): warnings, never errors.

For every summary and Markdown text of the Dutch content (translations are not Dutch and are left alone) it
warns, with the file, the field and a concrete suggestion, about:
- a sentence longer than HH_PLAIN_MAX_WORDS words (the Flemish government's clear-language guidance asks for
  sentences of about 10-15 words);
- a text of at least SCORE_MIN_WORDS words whose reading ease (Flesch-Douma) is below HH_PLAIN_MIN_SCORE;
- a word from the communications team's jargon list (HH_JARGON_FILE, each word with its plain alternative).

Markdown is measured as readers see it: rendered to HTML, then each paragraph, list item, heading or table cell
is its own run of sentences (a list item without a full stop does not glue onto the next one), and code is left
out.

Flesch-Douma (W. H. Douma, 1960, the Dutch adaptation of Flesch's reading ease) is
206.835 - 0.93 x (words per sentence) - 77 x (syllables per word); 60-70 reads as plain Dutch, below 50 as
difficult. It is the formula `textstat` uses for `set_lang("nl")`, with the same syllable count (the hyphenation
points of pyphen's Dutch dictionary, plus one). We compute it here instead of through textstat: textstat counts
sentences on full stops only (Markdown blocks run together) and drops every sentence of two words or less, and it
would bring nltk along for its English dictionary.
"""

from __future__ import annotations

import functools
import html.parser
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

import pyphen
import yaml

from ..settings import Settings
from .loading import ContentError, Corpus, Item, SafeLoader, item_error, key_lines
from .schema import CONTENT_TYPES

DOUMA = (206.835, 0.93, 77.0)  # base, per word per sentence, per syllable per word
SCORE_MIN_WORDS = 40  # the score of a shorter text says more about chance than about the text
# Words where a long sentence can often be split; the suggestion names the first one it finds.
SPLIT_WORDS = ("omdat", "want", "maar", "zodat", "terwijl", "waardoor", "waarbij", "en", "die", "dat", "of")

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "blockquote", "br", "div", "tr",
           "ul", "ol", "table", "figcaption"}
_SKIPPED = {"code", "pre", "script", "style"}
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
# A sentence ends at . ! ? or … followed by a space and a capital, a digit or an opening quote or bracket. Lower
# case after a full stop ("bv. de bus", "ca. 10") is not a new sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9À-ÖØ-Þ])")


@dataclass(frozen=True)
class Sentence:
    text: str
    words: tuple[str, ...]


class _TextBlocks(html.parser.HTMLParser):
    """The text of rendered Markdown, one string per block element, without code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping += 1
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skipping:
            self._skipping -= 1
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skipping:
            self._current.append(data)


def text_blocks(html_text: str) -> list[str]:
    parser = _TextBlocks()
    parser.feed(html_text)
    parser.close()
    parser._flush()
    return parser.blocks


def sentences(blocks: Iterable[str]) -> list[Sentence]:
    """The sentences of some blocks of plain text, each with its words (digits count as words)."""
    found = []
    for block in blocks:
        for part in _SENTENCE_END.split(block):
            words = tuple(_WORD.findall(part))
            if words:
                found.append(Sentence(part.strip(), words))
    return found


@functools.lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@functools.lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables of a Dutch word: its hyphenation points plus one, as textstat counts them for Dutch."""
    return sum(len(_hyphenator().positions(part)) + 1 for part in word.lower().split("-") if part)


def reading_ease(found: list[Sentence]) -> float:
    """Flesch-Douma reading ease of some sentences (higher is easier)."""
    words = [w for s in found for w in s.words]
    if not words:
        return 100.0
    base, per_sentence_length, per_syllable = DOUMA
    return (base - per_sentence_length * len(words) / len(found)
            - per_syllable * sum(syllables(w) for w in words) / len(words))


# --- The jargon list -------------------------------------------------------------------------------------------

def load_jargon(root: Path, path: Path) -> tuple[dict[str, str], list[ContentError]]:
    """The jargon file: a YAML mapping of word (or phrase) to its plain alternative. A missing file is an empty
    list; a broken one an error naming its line."""
    if not path.is_file():
        return {}, []
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [ContentError(rel, "", "is not valid YAML", "Write one 'woord: eenvoudiger woord' per line.",
                                 mark.line + 1 if mark else None)]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [ContentError(rel, "", "is not a list of words", "Write one 'woord: eenvoudiger woord' per "
                                 "line.", 1)]
    jargon, errors, lines = {}, [], key_lines(text)
    for word, plain in data.items():
        if not isinstance(word, str) or not isinstance(plain, str) or not word.strip() or not plain.strip():
            errors.append(ContentError(rel, str(word), "needs a word and its plain alternative, both text",
                                       "Write it as 'woord: eenvoudiger woord'.", lines.get(str(word))))
        else:
            jargon[word.strip().lower()] = plain.strip()
    return jargon, errors


def _jargon_pattern(jargon: dict[str, str]) -> re.Pattern | None:
    if not jargon:
        return None
    words = sorted(jargon, key=len, reverse=True)  # the longest phrase first
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


# --- The check -------------------------------------------------------------------------------------------------

def measured_fields(item: Item) -> dict[str, list[str]]:
    """field name -> its text blocks: the summary and every Markdown text of an item (not its translations)."""
    ctype = CONTENT_TYPES[item.type]
    fields = {}
    for f in ctype.fields:
        value = item.data.get(f.name)
        if not value or not isinstance(value, str):
            continue
        if f.kind == "markdown":
            fields[f.name] = text_blocks(item.html.get(f.name, ""))
        elif f.name == "summary":
            fields[f.name] = [" ".join(value.split())]
    if ctype.body_field and item.html.get(ctype.body_field):
        fields[ctype.body_field] = text_blocks(item.html[ctype.body_field])
    return fields


def _split_hint(sentence: Sentence) -> str:
    lowered = [w.lower() for w in sentence.words]
    for word in SPLIT_WORDS:
        if word in lowered[2:-2]:  # not at the very start or end
            return f"Split it into two sentences, for example before '{word}'"
    return "Split it into two or more sentences, with one message each"


def _quote(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _at_text(warning: ContentError, item: Item, text: str) -> ContentError:
    """A warning on a Markdown body has no field line: point at the line where its text starts instead."""
    if warning.line or not item.source:
        return warning
    source = item.source.read_text(encoding="utf-8")
    first = re.escape(" ".join(text.split()[:3])).replace(r"\ ", r"[\s*_]+")  # Markdown may sit in between
    found = re.search(first, source)
    return replace(warning, line=source.count("\n", 0, found.start()) + 1) if found else warning


def check_item(item: Item, settings: Settings, jargon: dict[str, str],
               pattern: re.Pattern | None) -> list[ContentError]:
    warnings = []
    for name, blocks in measured_fields(item).items():
        found = sentences(blocks)
        if settings.plain_max_words:
            for s in found:
                if len(s.words) > settings.plain_max_words:
                    warnings.append(_at_text(item_error(
                        item, name, f"has a sentence of {len(s.words)} words ('{_quote(s.text)}'); plain Dutch "
                        f"(B1) keeps sentences to about 10-15 words, at most {settings.plain_max_words}",
                        f"{_split_hint(s)}. (The limit is the setting HH_PLAIN_MAX_WORDS.)", warning=True),
                        item, s.text))
        word_count = sum(len(s.words) for s in found)
        if settings.plain_min_score and word_count >= SCORE_MIN_WORDS:
            score = reading_ease(found)
            if score < settings.plain_min_score:
                long_words = sorted({w for s in found for w in s.words if syllables(w) >= 4 and w.islower()},
                                    key=lambda w: (-syllables(w), w))[:3]
                hint = (f" Shorter or everyday words would help, for example instead of: "
                        f"{', '.join(repr(w) for w in long_words)}." if long_words else "")
                warnings.append(item_error(
                    item, name, f"reads difficult: its reading ease (Flesch-Douma) is {score:.0f}, below "
                    f"{settings.plain_min_score:g}",
                    f"Write shorter sentences (now {word_count / len(found):.0f} words on average) and shorter "
                    f"words.{hint} (The limit is the setting HH_PLAIN_MIN_SCORE.)", warning=True))
        if pattern:
            used = sorted({m.group(1).lower() for b in blocks for m in pattern.finditer(b)})
            for word in used:
                warnings.append(_at_text(item_error(
                    item, name, f"uses the word '{word}', which is on the jargon list",
                    f"Write '{jargon[word]}' instead (the list is {settings.jargon_file.name}).", warning=True),
                    item, word))
    return warnings


def check(corpus: Corpus, settings: Settings) -> tuple[list[ContentError], list[ContentError]]:
    """(errors, warnings): errors only for a broken jargon file; warnings for the texts of every item."""
    jargon, errors = load_jargon(settings.root, settings.jargon_file)
    pattern = _jargon_pattern(jargon)
    warnings = []
    for type_name in CONTENT_TYPES:
        for item in corpus.of_type(type_name).values():
            warnings += check_item(item, settings, jargon, pattern)
    return errors, warnings
