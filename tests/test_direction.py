"""Text in another direction is marked as such: `dir="rtl"` on the elements of the pages that hold
right-to-left user text (the page itself is `dir="ltr"`), `<bdi>` around such text inside a Dutch sentence, and
`<div dir="rtl">` around the full content of feed items (RSS and Atom), checked on a real build."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest

from hh_testing import Project, html, organisation, story, vacancy
from hasselthelpt.content.direction import dir_attr, is_rtl, isolate

TITLE = "متطوع للمطبخ في كيويت!"
SUMMARY = "نطبخ الحساء مع الجيران، مرة في الأسبوع."
DESCRIPTION = "**٣ ساعات** في الأسبوع، في مطبخ الحي.\n"
CONTACT = "فاطمة"


def test_the_first_strong_letter_decides():
    assert is_rtl(TITLE) and is_rtl("שלום, עולם") and is_rtl("123 - «مرحبا»")
    assert not is_rtl("Kok voor de buurtsoep") and not is_rtl("Волонтер") and not is_rtl("ወለንታዊ")
    assert not is_rtl("Hallo مرحبا"), "a Dutch text with an Arabic word stays left-to-right"
    assert not is_rtl("\u2067مرحبا\u2069 Hallo"), "text inside an isolate does not count"
    assert is_rtl("", "1234", SUMMARY), "a text without strong letters leaves it to the next"
    assert not is_rtl("", None)
    assert dir_attr(TITLE) == ' dir="rtl"' and dir_attr("Kok") == ""


def test_isolate_escapes_and_wraps_only_right_to_left_text():
    assert isolate("An & Bart") == "An &amp; Bart"
    assert isolate(f"{CONTACT} <script>") == f"<bdi>{CONTACT} &lt;script&gt;</bdi>"
    assert isolate(None) == ""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    p = Project(tmp_path_factory.mktemp("direction"))
    p.write("content/organisations/buurtwerk.yaml", organisation())
    p.write("content/organisations/jiran.yaml", organisation(name="جمعية الجيران", summary="نساعد الجيران."))
    p.write("vacancies/ar.yaml", vacancy(title=TITLE, summary=SUMMARY, description=DESCRIPTION, featured=True,
                                         organisation="jiran", contact={"name": CONTACT, "email": "f@example.be"}))
    p.write("vacancies/kok.yaml", vacancy(featured=True))
    p.photo("images/stories/foto.jpg")
    p.write("content/stories/koken.md", story(title="الطبخ معاً", summary=SUMMARY), "قصة من **كيويت**.\n")
    return p.build()


def test_pages_mark_right_to_left_text_and_nothing_else(site):
    page = html(site, "vacatures/ar/")
    assert page.html["lang"] == "nl" and page.html["dir"] == "ltr"
    assert page.h1.get("dir") == "rtl" and page.h1.get_text() == TITLE
    assert page.select_one("p.lead")["dir"] == "rtl"
    description = page.find("strong", string="٣ ساعات").find_parent(attrs={"dir": True})
    assert description["dir"] == "rtl" and description.name == "div"
    assert page.find("h2", string="Wat ga je doen?").find_parent(attrs={"dir": True}).name == "html", \
        "the Dutch heading above it stays left-to-right"
    names = [b.get_text() for b in page.find_all("bdi")]
    assert CONTACT in names and "جمعية الجيران" in names, "names inside Dutch sentences are isolated"
    contact = page.find("bdi", string=CONTACT).parent
    assert "helpt je graag" in contact.get_text()
    dutch = html(site, "vacatures/kok/")
    assert dutch.find_all(attrs={"dir": "rtl"}) == [] and dutch.find_all("bdi") == []


def test_cards_and_organisation_pages_mark_it_too(site):
    overview = html(site, "vacatures/")
    card = overview.find("a", string=TITLE).find_parent("article")
    assert card.select_one(".card-title")["dir"] == "rtl"
    assert card.find("p", string=SUMMARY)["dir"] == "rtl"
    other = overview.find("a", string="Kok voor de buurtsoep").find_parent("article")
    assert other.find_all(attrs={"dir": True}) == []
    body = html(site, "verhalen/koken/").find("strong", string="كيويت").find_parent(attrs={"dir": True})
    assert body["dir"] == "rtl" and "prose" in body["class"]
    org = html(site, "organisaties/jiran/")
    assert org.h1["dir"] == "rtl" and org.select_one("p.lead")["dir"] == "rtl"


@pytest.mark.parametrize("suffix", ["rss.xml", "atom.xml"])
def test_feed_items_that_read_right_to_left_have_their_content_marked(site, suffix):
    path = site / "feeds" / f"in-de-kijker.{suffix}"
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo
    entries = {e.title.split(" (")[0]: e for e in feed.entries}  # titles end with the organisation's name
    arabic, dutch = entries[TITLE], entries["Kok voor de buurtsoep"]
    assert arabic.content[0].value.lstrip().startswith('<div dir="rtl">')
    assert 'dir="rtl"' not in dutch.content[0].value
    raw = path.read_text(encoding="utf-8")
    assert raw.count('&lt;div dir="rtl"&gt;') == 1, "escaped HTML inside the XML, once: the Arabic item"
    ET.fromstring(path.read_bytes())  # still well-formed XML
