"""Load content files into model objects, and check them (each file against the schema, then across files).
Reading a file's fields is reading.py (also the endpoint's light index); here the Markdown is rendered, photos are
checked and the files are checked against each other.

Every problem becomes a ContentError naming the file, the line where known, the field, what is wrong and how
to fix it. Loading never stops at the first problem: `check` reports them all at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import markdown
from markdown.treeprocessors import Treeprocessor
from PIL import Image

from .. import brand
from ..files import write_if_changed
from ..incremental import Memo, file_key
from . import sanitise
from .facts import ADDRESS
from .publication import consent_uses, is_archived
# Reading files without rendering is reading.py; the model's names are taken from here too (re-exported).
from .reading import (ContentError, Corpus, Item, SafeLoader, content_files, key_lines, line_of,  # noqa: F401
                      load_yaml, read_fields, split_front_matter)
from .schema import CONTENT_TYPES, SLUG_RE, ContentType, check_value


# Page slugs that would collide with the site's own sections.
RESERVED_SLUGS = {"vacatures", "organisaties", "verhalen", "agenda", "api", "theme", "img", "bedankt", "feeds", "widget",
                  "open-data", "afspraak", "vacature-indienen",
                  "signage", "zoeken", "matcher", "pagefind", "pers", "k"}
MIN_PHOTO_WIDTH = 960
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]


@dataclass(frozen=True)
class Rendered:
    html: str  # sanitised
    removed: tuple[str, ...] = ()  # what did not become markup, in words (see sanitise.removed)


class _AlignAsClass(Treeprocessor):
    """A table column's alignment as a class (align-center) instead of a style attribute, which the site's
    Content-Security-Policy does not allow."""

    def run(self, root):
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            align = ALIGN_RE.fullmatch(cell.attrib.pop("style", ""))
            if align:
                cell.set("class", f"align-{align.group(1)}")


ALIGN_RE = re.compile(r"text-align:\s*(left|center|right);?")


class MarkdownRenderer:
    """Markdown to sanitised HTML (sanitise.py), with one reused Markdown instance (building one per file is a
    large share of a cold build at city scale) and, when given a cache file, the HTML of texts seen in the last
    build: Markdown is most of the time spent on content, and most texts do not change between builds. The
    cache holds sanitised HTML only, and its keys change with Markdown, nh3 and the allow-list."""

    def __init__(self, cache_file: Path | None = None) -> None:
        self._md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        # Raw HTML in a text stays text: shown as typed, never passed on as markup. No field is trusted with raw
        # HTML: Markdown does all the site needs, and text from the forms must never become markup.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._md.treeprocessors.register(_AlignAsClass(self._md), "align_as_class", 1)
        self._cache_file = cache_file
        self._salt = f"{markdown.__version__}|{MARKDOWN_EXTENSIONS}|{sanitise.VERSION}|".encode()
        self._cached: dict[str, list] = {}
        self._used: dict[str, list] = {}
        if cache_file and cache_file.is_file():
            try:
                self._cached = json.loads(cache_file.read_text(encoding="utf-8"))
            except (ValueError, OSError):
                self._cached = {}  # a damaged cache only costs time

    def render(self, text: str) -> Rendered:
        key = hashlib.sha1(self._salt + text.encode("utf-8")).hexdigest()
        entry = self._cached.get(key)
        if not (isinstance(entry, list) and len(entry) == 2):
            made = self._md.reset().convert(text)
            html = sanitise.clean(made)
            notes = [f"HTML <{tag}> (shown as text)" for tag in sanitise.tags_in_text(made)]
            entry = [html, notes + sanitise.removed(made, html)]
        self._used[key] = entry
        return Rendered(entry[0], tuple(entry[1]))

    def __call__(self, text: str) -> str:
        return self.render(text).html

    def save(self) -> None:
        """Keep the HTML of this build's texts (only those: the cache never grows stale)."""
        if self._cache_file and self._used != self._cached:
            write_if_changed(self._cache_file, json.dumps(self._used, ensure_ascii=False).encode("utf-8"))


def load_file(ctype: ContentType, path: Path, root: Path, render: MarkdownRenderer) -> tuple[Item | None,
                                                                                           list[ContentError]]:
    fields = read_fields(ctype, path, root)
    if fields.data is None:
        return None, fields.errors
    data, errors = fields.data, list(fields.errors)
    if ctype.body:
        name = ctype.body.name
        if not (fields.body or "").strip():
            errors.append(ContentError(fields.rel, name, "is empty", "Write the text below the second '---' line."))
        else:
            errors += [ContentError(fields.rel, name, what, fix)
                       for _, (what, fix) in check_value(ctype.body, fields.body)[1]]
        data[name] = fields.body or ""
    item = Item(ctype.name, path.stem, fields.rel, data, source=path)
    if not errors:
        errors = _render_all(item, ctype, render, fields.text, fields.first_line)
    return item, errors


def _render_all(item: Item, ctype: ContentType, render: MarkdownRenderer, text: str,
                first_line: int) -> list[ContentError]:
    """The sanitised HTML of every Markdown field; a warning per field from which markup was removed, and an
    error for a text nested too deeply for the Markdown library."""
    data = item.data
    texts = {f.name: data[f.name] for f in ctype.fields if f.kind == "markdown" and data[f.name]}
    if ctype.body:
        texts[ctype.body.name] = data[ctype.body.name]
    texts.update({f"translations[{i}].text": t["text"] for i, t in enumerate(data.get("translations", []))})
    rendered, errors = {}, []
    for name, value in texts.items():
        try:
            rendered[name] = render.render(value)
        except RecursionError:
            errors.append(ContentError(item.path, name, "nests lists or quotes too deeply to show",
                                       "Use fewer levels of lists and quotes inside each other."))
    if "translations" in data:
        data["translations"] = [{**t, "html": r.html if (r := rendered.get(f"translations[{i}].text")) else ""}
                                for i, t in enumerate(data["translations"])]
    item.html = {name: r.html for name, r in rendered.items() if not name.startswith("translations[")}
    lines = key_lines(text, first_line) if any(r.removed for r in rendered.values()) else {}
    return errors + markup_warnings(item.path, rendered, lines)


def markup_warnings(rel: str, rendered: dict[str, Rendered], lines: dict[str, int]) -> list[ContentError]:
    """A warning per text field from which HTML or links did not become markup."""
    return [ContentError(rel, name, "holds HTML or links the site does not show as such: " + "; ".join(r.removed),
                         "Write the text in Markdown, without HTML: **bold**, [link text](https://...). Links may "
                         "only go to http(s), mailto: or tel: addresses, images only to files of the site.",
                         line_of(lines, name), warning=True)
            for name, r in rendered.items() if r.removed]


def load_corpus(root: Path, render: MarkdownRenderer | None = None,
                cache_file: Path | None = None) -> tuple[Corpus, list[ContentError]]:
    """Read and check every content file below root. Files with errors are left out of the corpus. With a
    cache file, a file whose size, times and inode are those of the last load is not read again: its checked
    item comes from the cache (as loaded, before the checks across files)."""
    render = render or MarkdownRenderer()
    memo = Memo(cache_file)
    corpus, errors = Corpus(), []
    for ctype in CONTENT_TYPES.values():
        items = corpus.of_type(ctype.name)
        seen: dict[str, str] = {}  # slug -> file, broken files included
        for path in content_files(root, ctype):
            rel = path.relative_to(root).as_posix()
            slug = path.stem
            if not SLUG_RE.match(slug):
                errors.append(ContentError(rel, "", f"has a file name '{slug}' that cannot be a web address",
                                           "Rename it with lowercase letters, digits and hyphens, e.g. "
                                           "'kok-buurtsoep" + ctype.suffix + "'."))
                continue
            if slug in seen:
                errors.append(ContentError(rel, "", f"has the same name (slug '{slug}') as {seen[slug]}",
                                           "Give one of the two files another name."))
                continue
            seen[slug] = rel
            item, file_errors = memo.get(Memo.key("item", ctype.name, rel, file_key(path)),
                                         lambda: load_file(ctype, path, root, render))
            corpus.warnings += [e for e in file_errors if e.warning]
            file_errors = [e for e in file_errors if not e.warning]
            errors += file_errors
            if item is not None and not file_errors:
                items[slug] = item
            else:
                corpus.broken.setdefault(ctype.name, set()).add(slug)
    memo.save()
    errors += cross_check(corpus, root)
    return corpus, errors


def item_error(item: Item, field_name: str, problem: str, fix: str, warning: bool = False) -> ContentError:
    """An error (or a warning) about a loaded item; its line is looked up only now, as errors are rare."""
    text = item.source.read_text(encoding="utf-8-sig") if item.source else ""
    first_line = 1
    if item.path.endswith(".md"):
        text, first_line = (split_front_matter(text) or ("", ""))[0], 2
    return ContentError(item.path, field_name, problem, fix, line_of(key_lines(text, first_line), field_name),
                        warning)


def _check_image(item: Item, root: Path, field_name: str, alt_field: str | None) -> Iterable[ContentError]:
    rel = item.data.get(field_name)
    if not rel:
        return
    path = root / "content" / rel
    if not path.is_file():
        yield item_error(item, field_name, f"points to content/{rel}, which does not exist",
                   "Check the spelling, or add the file below content/images/.")
        return
    try:
        with Image.open(path) as img:
            width = img.width
    except OSError:
        yield item_error(item, field_name, f"content/{rel} is not an image Pillow can read", "Save it again as JPEG.")
        return
    if alt_field and width < MIN_PHOTO_WIDTH:
        yield item_error(item, field_name, f"content/{rel} is only {width} pixels wide",
                   f"Use a photo of at least {MIN_PHOTO_WIDTH} pixels wide, so it stays sharp on large screens.")
    if alt_field and not item.data.get(alt_field):
        yield item_error(item, alt_field, "is missing while there is a photo",
                   "Describe what the photo shows, for people who cannot see it.")


def cross_check(corpus: Corpus, root: Path) -> list[ContentError]:
    """Checks that need more than one field or more than one file."""
    errors: list[ContentError] = []
    orgs, vacancies = corpus.organisations, corpus.vacancies
    for v in vacancies.values():
        if not corpus.exists("organisation", v.organisation):
            errors.append(item_error(v, "organisation", f"names '{v.organisation}', which is not an organisation",
                               "Use the file name (without .yaml) of a file in content/organisations/."))
        elif v.organisation in orgs and is_archived(orgs[v.organisation]):
            v.organisation_archived = True
        if v.valid_through < v.publish_from:
            errors.append(item_error(v, "valid_through", f"({v.valid_through}) is before publish_from "
                               f"({v.publish_from})", "Put the last day on or after the first day."))
        errors += _check_vacancy(v)
    for type_name in ("vacancy", "organisation"):
        for item in corpus.of_type(type_name).values():
            contact = item.contact
            if not (contact.get("email") or contact.get("phone")):
                errors.append(item_error(item, "contact", "has neither an e-mail address nor a phone number",
                                   "Add contact.email or contact.phone, so people can ask questions."))
    for s in corpus.stories.values():
        if s.organisation and not corpus.exists("organisation", s.organisation):
            errors.append(item_error(s, "organisation", f"names '{s.organisation}', which is not an organisation",
                               "Use the file name of a file in content/organisations/, or leave it out."))
        if s.vacancy and not corpus.exists("vacancy", s.vacancy):
            errors.append(item_error(s, "vacancy", f"names '{s.vacancy}', which is not a vacancy",
                               "Use the file name of a file in vacancies/, or leave it out."))
        errors += _check_consent(s, corpus)
    for e in corpus.events.values():
        if e.end <= e.start:
            errors.append(item_error(e, "end", f"({e.end:%Y-%m-%d %H:%M}) is not after start "
                               f"({e.start:%Y-%m-%d %H:%M})", "Give an end time after the start time."))
        if e.organiser and e.organiser not in orgs:
            errors.append(item_error(e, "organiser", f"names '{e.organiser}', which is not an organisation",
                               "Use the file name of a file in content/organisations/, or leave it out when the "
                               "city organises it."))
    for p in corpus.pages.values():
        if p.slug in RESERVED_SLUGS:
            errors.append(item_error(p, "", f"has the name '{p.slug}', which the site uses for its own section",
                               "Rename the file."))
        langs = [t["lang"] for t in p.translations]
        if len(set(langs)) != len(langs):
            errors.append(item_error(p, "translations", "has a language twice", "Keep one translation per language."))
    for type_name in ("vacancy", "story", "event"):
        for item in corpus.of_type(type_name).values():
            errors += _check_image(item, root, "image", "image_alt")
    for o in orgs.values():
        errors += _check_image(o, root, "logo", None)
    return errors


def _check_vacancy(v: Item) -> list[ContentError]:
    """Where, when and insurance of one vacancy."""
    errors = []
    if v.location == ADDRESS and not v.place:
        errors.append(item_error(v, "place", "is missing", "Give the address (place.address and "
                                 "place.deelgemeente), or set location: thuis or location: verschillende-plaatsen."))
    elif v.location != ADDRESS and v.place:
        errors.append(item_error(v, "place", f"is given while location is '{v.location}'",
                                 "Remove place, or set location: adres when the work happens at that address."))
    for i, shift in enumerate(v.shifts):
        if shift["end"] <= shift["start"]:
            errors.append(item_error(v, f"shifts[{i}].end", f"({shift['end']:%Y-%m-%d %H:%M}) is not after start "
                                     f"({shift['start']:%Y-%m-%d %H:%M})", "Give an end time after the start time."))
    if v.insured is False:
        errors.append(item_error(v, "insured", "is false: the city only publishes vacancies where the volunteers "
                                 "are insured, and Belgian law (the Volunteer Act of 3 July 2005) makes the "
                                 "organisation responsible for that insurance",
                                 "Ask the organisation to insure its volunteers (at least civil liability), then "
                                 f"set insured: true. The city helps organisations with this: "
                                 f"{brand.ORGANISATION_HELP_URL}"))
    return errors


def _check_consent(s: Item, corpus: Corpus) -> list[ContentError]:
    """A story that names or shows a person needs their consent on record; without consent for the site it
    is not published (a warning, so the team knows)."""
    if not s.people:
        return []
    if not s.consent:
        return [item_error(s, "consent", "is missing while people is true",
                           "Record who gave consent, when, and for what (site, social-media, screens, print), one "
                           "entry per person. Without consent, set people: false only when nobody is named or "
                           "shown.")]
    if "site" not in consent_uses(s):
        corpus.warnings.append(item_error(s, "consent", "does not include 'site' for everyone in the story, so "
                                          "the story is not published anywhere",
                                          "Ask for consent for the site, or leave the story as it is.",
                                          warning=True))
    return []


def check_dates(corpus: Corpus, today: dt.date) -> list[ContentError]:
    """Checks that depend on today's date: featured items that are no longer open."""
    errors = []
    for v in corpus.vacancies.values():
        if v.featured and v.valid_through < today:
            errors.append(item_error(v, "featured", f"is true, but the vacancy closed on {v.valid_through}",
                               "Set featured: false, or move valid_through to a later date."))
    for e in corpus.events.values():
        if e.featured and e.end.date() < today:
            errors.append(item_error(e, "featured", f"is true, but the activity ended on {e.end:%Y-%m-%d}",
                               "Set featured: false."))
    return errors
