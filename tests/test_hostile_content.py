"""No content file can make the build crash: every field of every content type, fed extreme values, gives either
a `check` error about that file and field or content that builds. Per value the test runs `load_corpus` (what
`check` runs); a few real builds, development and production, take the nastiest values that pass."""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from pathlib import Path

import feedparser
import icalendar
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from hh_testing import Project, event, every_field, html, organisation, page, press, story, vacancy
from hasselthelpt.build import ContentErrors
from hasselthelpt.content.characters import XML_FORBIDDEN, refused
from hasselthelpt.content.loading import MarkdownRenderer, load_corpus
from hasselthelpt.content.schema import CONTENT_TYPES

ORG = "content/organisations/buurtwerk.yaml"
FILES = {"vacancy": "vacancies/kok.yaml", "organisation": ORG, "story": "content/stories/koken.md",
         "event": "content/events/markt.yaml", "page": "content/pages/over.md", "press": "content/press/beurs.md"}
BASE = {"vacancy": vacancy, "organisation": organisation, "story": story, "event": event, "page": page,
        "press": press}
BODY = "Een **tekst**.\n"
# A changed field may be reported on the field that it is checked against, or that it makes required
# (people: true asks for consent).
RELATED = {"publish_from": {"valid_through"}, "valid_through": {"publish_from"}, "start": {"end"},
           "end": {"start"}, "image": {"image_alt"}, "people": {"consent"}}


def _category_samples() -> dict[str, str]:
    """The first code point of every Unicode general category (Cs: a lone surrogate, Cn: unassigned)."""
    samples: dict[str, str] = {}
    for point in range(sys.maxunicode + 1):
        samples.setdefault(unicodedata.category(chr(point)), chr(point))
    return samples


CATEGORIES = _category_samples()
EVERY_CATEGORY = "".join(CATEGORIES.values())

EXTREME = [  # values that every field gets
    "", " ", "\n", "a" * 1_000_000, EVERY_CATEGORY, *CATEGORIES.values(),
    "\x00", "a\x07b", "a\x1b[31mb", "a\rb", "a\x85b", "a\u2028b", "a\u2029b", "a\tb", "a\nb",
    "\u202eevil", "a\u2066b\u2069", "a\u200bb", "\ufeffa", "a\ud800b", "\ufffe",
    "<script>alert(1)</script>", "&#0; &#xFFFE; &#1;", "]]>", "{{ 7 * 7 }}", "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    10 ** 30, -1, 0, 1.5, float("nan"), float("inf"), True, False, None, [], {}, ["x"], [[]], {"a": 1},
    {"name": "x"}, dt.date(2026, 2, 28), dt.datetime(2026, 2, 28, 10, 0), "2026-02-30", "2026-12-04 08:00",
]


def all_paths():
    for type_name, ctype in CONTENT_TYPES.items():
        yield from ((type_name, path) for path, _ in every_field(ctype.fields))
        if ctype.body:
            yield type_name, "body"


PATHS = list(all_paths())


def with_value(type_name: str, path: str, value) -> tuple[dict, str]:
    """The minimal valid content of a type with one field (nested ones too) set to value: (data, body)."""
    data = BASE[type_name]()
    if path == "body":
        return data, value
    head, _, tail = path.partition(".")
    if not tail:
        data[head] = value
    elif head == "translations":
        data[head] = [{"lang": "en", "title": "Hi", "text": "Hi.\n", tail: value}]
    else:
        data[head] = {**(data.get(head) or {"address": "Kerkstraat 1", "deelgemeente": "kermt"}), tail: value}
    return data, BODY


def file_bytes(type_name: str, data: dict, body) -> bytes:
    """The file as an editor would save it. A lone surrogate cannot be UTF-8: it is written as the bytes a broken
    tool writes (CESU), which `check` must refuse as 'not UTF-8'."""
    surrogate = "\ud800"
    text = yaml.dump(_mark_surrogates(data, surrogate), Dumper=yaml.CSafeDumper, allow_unicode=True,
                     sort_keys=False).replace("SURROGATE", surrogate)
    if CONTENT_TYPES[type_name].body:
        text = f"---\n{text}---\n{body}"
    return text.encode("utf-8", "surrogatepass")


def _mark_surrogates(value, surrogate: str):
    if isinstance(value, str):
        return value.replace(surrogate, "SURROGATE")
    if isinstance(value, list):
        return [_mark_surrogates(v, surrogate) for v in value]
    if isinstance(value, dict):
        return {k: _mark_surrogates(v, surrogate) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory) -> Project:
    project = Project(tmp_path_factory.mktemp("hostile"))
    project.write(ORG, organisation())
    project.photo("images/stories/foto.jpg")
    return project


def plain(field: str) -> str:
    """'translations[0].lang' -> 'translations.lang'."""
    while "[" in field:
        start = field.index("[")
        field = field[:start] + field[field.index("]", start) + 1:]
    return field


def assert_reported_or_clean(project: Project, render: MarkdownRenderer, type_name: str, path: str, value) -> None:
    """`check`'s loading step never raises; the file is reported on the changed field, or it loads clean."""
    rel = FILES[type_name]
    if path != "body" or isinstance(value, str):
        data, body = with_value(type_name, path, value)
    else:
        return  # a body is always text
    target = project.root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(file_bytes(type_name, data, body))
    try:
        corpus, errors = load_corpus(project.root, render)
    finally:
        target.unlink()
        if type_name == "organisation":
            project.write(ORG, organisation())
    assert all(e.path == rel for e in errors), "\n".join(map(str, errors))
    for e in errors:
        field = plain(e.field)
        assert (not field or field == path or path.startswith(field + ".") or field.startswith(path + ".")
                or field in RELATED.get(path, ())), f"{path}={value!r:.80}: {e}"
        assert len(str(e)) < 2000
    if not errors:
        item = corpus.of_type(type_name)[Path(rel).stem]
        for text in texts_of([item.data, item.html]):
            assert not XML_FORBIDDEN.search(text), text
            text.encode("utf-8")  # no lone surrogate
            if refused(text, multiline=True):
                raise AssertionError(f"{path}: a refused character was stored: {text!r:.80}")


def texts_of(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from texts_of(k)
            yield from texts_of(v)
    elif isinstance(value, list):
        for v in value:
            yield from texts_of(v)


@pytest.mark.parametrize("type_name, path", PATHS, ids=[f"{t}.{p}" for t, p in PATHS])
def test_every_field_with_extreme_values(corpus_project, type_name, path):
    render = MarkdownRenderer()
    for value in EXTREME:
        assert_reported_or_clean(corpus_project, render, type_name, path, value)


SCALARS = st.one_of(
    st.text(st.characters(codec=None), max_size=30),  # every category but lone surrogates
    st.text(st.sampled_from(list(CATEGORIES.values()) + ["\n", "\t", " ", "-", "a", "é", "#", ":", "*", "&"]),
            max_size=30),
    st.sampled_from(EXTREME[:30]),
    st.integers(min_value=-10 ** 40, max_value=10 ** 40), st.floats(), st.booleans(), st.none(), st.dates(),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) |
                      st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)


@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(PATHS), value=VALUES)
def test_any_value_in_any_field_is_reported_or_loads_clean(corpus_project, where, value):
    assert_reported_or_clean(corpus_project, MarkdownRenderer(), *where, value)


# --- Real builds with the nastiest values that pass `check` ------------------------------------------------

def allowed(multiline: bool) -> str:
    """A sample of every Unicode category, without what the field refuses."""
    return "".join(c for c in EVERY_CATEGORY if not refused(c, multiline))


def one_line(limit: int, start: str) -> str:
    text = (start + " " + allowed(False) + " <b>&amp;</b> &#0; ]]> \u0627\u0644\u0639\u0631\u0628\u064a\u0629 "
            "\U0001f469\u200d\U0001f469\u200d\U0001f467 e\u0301 \u200f\u00ad\u200c " * 3)
    return text[:limit].strip()


def markdown_text(limit: int) -> str:
    parts = [allowed(True), "Vrijwilligersvergoedingsaanvraagformulierenverwerkingsprocedure." * 3,
             "\u202eomgekeerd\u202c \u2066isolaat\u2069 a\u200bb\u2028c\u2029d\te",
             "<script>alert(1)</script> <iframe src=x></iframe> [link](javascript:alert(1)) &#0; &#xFFFE; &#1;",
             "\n".join("    " * i + "- niveau" for i in range(30)), "> " * 200 + "citaat",
             "| a | b |\n|---|---|\n| \u0627 | \U0001f600 |", "```\n\x09code\n```", "*" * 300, "[" * 300]
    text = "\n\n".join(parts) + "\n\n"
    return (text * (limit // len(text) + 1))[:limit]


def nasty_project(root: Path) -> Project:
    project = Project(root)
    vac, org, sto, ev, pag = (CONTENT_TYPES[t] for t in ("vacancy", "organisation", "story", "event", "page"))
    L = lambda ctype, name: ctype.field(name).max_length  # noqa: E731
    project.write(ORG, organisation(name=one_line(L(org, "name"), "Buurtwerk"),
                                    summary=one_line(L(org, "summary"), "Wij"),
                                    description=markdown_text(L(org, "description")),
                                    address=one_line(L(org, "address"), "Straat"),
                                    website="https://www.hasselt.be/" + "a" * (L(org, "website") - 23)))
    place = {"name": one_line(80, "Plek"), "address": one_line(120, "Kerkstraat"), "deelgemeente": "kermt"}
    project.write("vacancies/kok.yaml", vacancy(
        title=one_line(L(vac, "title"), "Kok"), summary=one_line(L(vac, "summary"), "Kook"),
        description=markdown_text(L(vac, "description")), time_commitment=one_line(80, "3 uur"),
        place=place, accessibility=one_line(200, "Trap"), expenses_note=one_line(160, "Vergoeding"),
        contact={"name": one_line(100, "An"), "email": "an@example.be", "phone": "+32 11 23 94 00"},
        volunteers_needed=500, featured=True))
    project.photo("images/stories/foto.jpg")
    project.write("content/stories/koken.md", story(title=one_line(L(sto, "title"), "Verhaal"),
                                                    summary=one_line(L(sto, "summary"), "Kort"),
                                                    image_alt=one_line(200, "Foto"), vacancy="kok",
                                                    organisation="buurtwerk", featured=True, people=True,
                                                    # the longest story is longer than a magazine page: no print
                                                    consent=[{"who": "An", "date": dt.date(2026, 10, 1),
                                                              "uses": ["site", "social-media", "screens"],
                                                              "record": "map 2026"}]),
                  markdown_text(sto.body.max_length))
    project.write("content/events/markt.yaml", event(title=one_line(L(ev, "title"), "Markt"),
                                                     summary=one_line(L(ev, "summary"), "Kom"),
                                                     description=markdown_text(L(ev, "description")), place=place,
                                                     registration_url="https://example.be/" + "b" * 400))
    project.write("content/pages/over.md", page(
        title=one_line(L(pag, "title"), "Over"), summary=one_line(L(pag, "summary"), "Wie"),
        menu_title=one_line(24, "Over"),
        translations=[{"lang": lang, "title": one_line(100, lang), "text": markdown_text(5000)}
                      for lang in ("ar", "prs", "ti", "uk", "en")]), markdown_text(pag.body.max_length))
    return project


@pytest.fixture(scope="module", params=[False, True], ids=["development", "production"])
def nasty_build(request, tmp_path_factory):
    project = nasty_project(tmp_path_factory.mktemp("nasty"))
    assert project.check() == [], "\n".join(map(str, project.check()))
    return project, project.build(production=request.param)


def test_nastiest_valid_content_builds_with_well_formed_outputs(nasty_build):
    project, output = nasty_build
    counts = {".xml": 0, ".json": 0, ".ics": 0, ".html": 0}
    for path in output.rglob("*"):
        if path.suffix in counts and path.is_file():
            counts[path.suffix] += 1
            data = path.read_bytes()
            assert len(data) < 3_000_000, path
            if path.suffix == ".xml":
                etree.fromstring(data, etree.XMLParser(huge_tree=False))
            elif path.suffix == ".json":
                json.loads(data)
            elif path.suffix == ".ics":
                icalendar.Calendar.from_ical(data)
            else:
                data.decode("utf-8")
    assert counts[".xml"] >= 2 and counts[".json"] >= 1 and counts[".ics"] >= 1 and counts[".html"] >= 5, counts
    title = yaml.safe_load((project.root / "vacancies/kok.yaml").read_text(encoding="utf-8"))["title"]
    assert title in html(output, "vacatures/kok/").find("h1").get_text()
    for name in ("vacatures", "verhalen"):
        for kind in ("rss", "atom"):
            feed = feedparser.parse((output / "feeds" / f"{name}.{kind}.xml").read_bytes())
            assert not feed.bozo and len(feed.entries) == 1
    assert feedparser.parse((output / "feeds/vacatures.rss.xml").read_bytes()).entries[0].title.startswith(title)


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_a_ten_megabyte_description_stops_the_build_before_any_page_is_written(tmp_path, production):
    project = Project(tmp_path)
    project.write(ORG, organisation())
    text = yaml.safe_dump(vacancy(description="LONG"))
    project.write("vacancies/kok.yaml", text.replace("LONG", "x" * 10_000_000))
    with pytest.raises(ContentErrors) as raised:
        project.build(production=production)
    [error] = raised.value.errors
    assert error.path == "vacancies/kok.yaml" and "MB" in error.problem
    output = project.root / "output"
    written = [p for p in output.rglob("*") if p.is_file()] if output.exists() else []
    assert not any(p.suffix == ".html" for p in written) and all(p.stat().st_size < 1_000_000 for p in written)
