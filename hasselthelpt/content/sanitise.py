"""The one sanitising step for HTML made from text: every rendered Markdown field passes through `clean` (the
Markdown renderer in loading.py calls it), so the site, the feeds, the open data, the widget and the review queue
only ever see HTML built from this allow-list.

The allow-list is what Markdown itself makes (Python-Markdown with the extensions of content.loading.MARKDOWN_EXTENSIONS);
raw HTML in a text never gets this far, as the renderer shows it as text. What is not on the list is removed by
nh3 (the Ammonia sanitiser): other elements, every other attribute (event handlers, style, ...), and URLs with any
scheme but http, https, mailto and tel. Relative links inside the site stay; images only come from the site itself.
`removed` tells what the sanitiser took out, for `check` and `hasselthelpt review show`.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import nh3

from .characters import XML_FORBIDDEN, xml_safe

TAGS = frozenset({
    "a", "abbr", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "strong", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
ATTRIBUTES = {
    "a": frozenset({"href", "title", "class"}),
    "img": frozenset({"src", "alt", "title"}),
    "abbr": frozenset({"title"}),
    "ol": frozenset({"start"}),
    "code": frozenset({"class"}),  # language-python: a fenced code block's language
    "th": frozenset({"class"}), "td": frozenset({"class"}),  # align-left/center/right: a table column's alignment
    "div": frozenset({"class"}), "sup": frozenset({"id"}), "li": frozenset({"id"}),  # footnotes
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src"})

# Class names and ids Markdown makes (tables, fenced code, footnotes); other values are removed, so a text cannot
# borrow the site's own classes or clobber the ids its scripts use.
CLASS_RE = re.compile(r"footnote|footnote-ref|footnote-backref|align-(?:left|center|right)|language-[\w+#-]+")
ID_RE = re.compile(r"fn(?:ref\d*)?:[\w-]+")
# An address with a scheme or a host ("//host", "/\host"): images must be files of the site itself.
OTHER_SITE_RE = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if CLASS_RE.fullmatch(name)]
        return " ".join(kept) or None
    if attribute == "id":
        return value if ID_RE.fullmatch(value) else None
    if tag == "img" and attribute == "src" and OTHER_SITE_RE.match(value):
        return None
    return value


_CLEANER = nh3.Cleaner(tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                       attribute_filter=_filter, url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
                       clean_content_tags={"script", "style"})

# What the cache of rendered Markdown depends on besides Markdown: a new allow-list or nh3 is a new cache.
VERSION = "|".join([nh3.__version__, repr(sorted(TAGS)), repr(sorted((t, sorted(a)) for t, a in ATTRIBUTES.items())),
                    repr(sorted(URL_SCHEMES)), CLASS_RE.pattern, ID_RE.pattern, OTHER_SITE_RE.pattern,
                    XML_FORBIDDEN.pattern.encode("unicode_escape").decode("ascii")])


def clean(html: str) -> str:
    """Allow-listed HTML. Character references that decode to characters XML forbids (`&#1;`, `&#xFFFE;`) are
    dropped too, so the HTML fits every output, feeds included."""
    return xml_safe(_CLEANER.clean(html))


def plain_text(html: str) -> str:
    """Text without any markup, escaped for HTML (the content of script and style is dropped)."""
    return xml_safe(nh3.clean(html, tags=set(), clean_content_tags={"script", "style"}))


class _Parts(HTMLParser):
    """The elements, attributes, links and text of an HTML fragment: what survives a change of serialisation."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: Counter[tuple[str, str, str]] = Counter()
        self.text: list[str] = []
        self.prose: list[str] = []  # the text outside code
        self._code = 0
        self.feed(html)
        self.close()

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[(tag, name, value or "")] += 1

    def handle_starttag(self, tag, attrs):
        self.handle_startendtag(tag, attrs)
        self._code += tag in ("code", "pre")

    def handle_endtag(self, tag):
        self._code -= tag in ("code", "pre") and self._code > 0

    def handle_data(self, data):
        self.text.append(data)
        if not self._code:
            self.prose.append(data)

    def words(self) -> str:
        return " ".join("".join(self.text).split())

    def links(self) -> list[str]:
        return [value for (_, name, value) in self.attributes if name in URL_ATTRIBUTES]


def removed(before: str, after: str) -> list[str]:
    """What sanitising `before` into `after` took out, in words: elements, attributes, links, text. Changes of
    form only (quotes, entities, `<br />` or `<br>`) do not count."""
    if before == after:
        return []
    old, new = _Parts(before), _Parts(after)
    notes = [f"<{tag}>" for tag in old.tags - new.tags]
    for tag, name, value in old.attributes - new.attributes:
        if name in URL_ATTRIBUTES:
            what = "image" if tag == "img" else "link"
            notes.append(f"the {what} '{value}'")
        else:
            notes.append(f"the {name} attribute of <{tag}>")
    if old.words() != new.words():
        notes.append("text inside removed elements")
    return list(dict.fromkeys(notes))


TAG_IN_TEXT_RE = re.compile(r"<(!--|[A-Za-z][^\s<>/]*)(?=[\s/>])")


def tags_in_text(html: str) -> list[str]:
    """The HTML tags (and comments) a text holds as text, outside code: what the author typed as HTML."""
    return list(dict.fromkeys(TAG_IN_TEXT_RE.findall("".join(_Parts(html).prose))))


def links(html: str) -> list[str]:
    """Every link and image address in an HTML fragment, in order."""
    return _Parts(html).links()
