"""RSS and Atom feeds for RSS-to-email tools, parsed back with feedparser: items, dates, images, exclusions, links
from the pages, the staff feed apart from the public site, and the same bytes for the same content."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from PIL import Image

from channel_site import FEATURED_PUBLIC, INTERNAL_LIVE, NEVER_PUBLIC, OPEN_PUBLIC_VACANCIES, PUBLIC_STORIES, build
from hh_testing import html
from hasselthelpt.cli import build_site, pelican_settings
from hasselthelpt.content.schema import DEELGEMEENTEN, THEMES
from hasselthelpt.settings import DEFAULTS

DEV_BASE = DEFAULTS["HH_DEV_SITE_URL"][0]
BRUSSELS = dt.timezone(dt.timedelta(hours=1))  # November-March


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory, "feeds")


@pytest.fixture(scope="module")
def prod_url(site) -> str:
    return pelican_settings(site.project.root / "publishconf.py")["SITEURL"]


def parse(path: Path):
    assert path.is_file(), f"{path} is missing"
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def slug(entry) -> str:
    """The item's slug: from its page URL, or from the staff page anchor (#vacancy-<slug>)."""
    link = entry.link
    if "#" in link:
        return link.rsplit("#", 1)[1].split("-", 1)[1]
    return link.rstrip("/").rsplit("/", 1)[-1]


def raw_content(path: Path, link: str) -> str:
    """An item's content:encoded as written (feedparser sanitises it: srcset would be gone)."""
    ns = {"content": "http://purl.org/rss/1.0/modules/content/"}
    for item in ET.parse(path).getroot().iter("item"):
        if item.findtext("link") == link:
            return item.findtext("content:encoded", namespaces=ns)
    raise AssertionError(f"{link} not in {path}")


def feed_files(output: Path) -> list[Path]:
    return sorted((output / "feeds").rglob("*.xml"))


def local_file(output: Path, base: str, url: str) -> Path:
    assert url.startswith(base + "/"), url
    return output / url[len(base) + 1:]


# --- Every feed parses, in both builds ---

@pytest.mark.parametrize("kind", ["dev", "prod"])
def test_every_feed_is_valid_rss_or_atom(site, kind):
    output = getattr(site, kind)
    files = feed_files(output)
    expected = 2 * (3 + len(THEMES) + len(DEELGEMEENTEN) + 2 + 1)  # general, per theme, place, organisation, press
    assert len(files) == expected, [f.name for f in files]
    for path in files:
        feed = parse(path)
        assert feed.version == ("rss20" if path.name.endswith(".rss.xml") else "atom10"), path
        assert feed.feed.title.startswith("HASSELT Helpt"), path
        assert feed.feed.language == "nl-BE" if feed.version == "rss20" else True


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_general_feeds_list_exactly_the_live_public_items(site, fmt):
    for kind in ("dev", "prod"):  # development previews never reach a feed
        out = getattr(site, kind)
        assert [slug(e) for e in parse(out / f"feeds/vacatures.{fmt}.xml").entries] == OPEN_PUBLIC_VACANCIES
        assert {slug(e) for e in parse(out / f"feeds/in-de-kijker.{fmt}.xml").entries} == FEATURED_PUBLIC
        assert [slug(e) for e in parse(out / f"feeds/verhalen.{fmt}.xml").entries] == PUBLIC_STORIES


def test_theme_and_organisation_feeds(site):
    expected_themes = {"buurt-en-samenleven": ["kok"], "dieren": ["hond"], "natuur-en-milieu": ["hond"]}
    for theme in THEMES:
        feed = parse(site.prod / f"feeds/thema/{theme}.rss.xml")
        assert [slug(e) for e in feed.entries] == expected_themes.get(theme, []), theme
        assert feed.feed.link.endswith(f"/vacatures/thema/{theme}/")
    assert [slug(e) for e in parse(site.prod / "feeds/organisatie/buurtwerk.atom.xml").entries] == ["kok"]
    assert [slug(e) for e in parse(site.prod / "feeds/organisatie/dierenhulp.rss.xml").entries] == ["hond"]


def test_deelgemeente_feeds(site):
    expected = {"kermt": ["kok"], "hasselt-centrum": ["hond"]}
    for place in DEELGEMEENTEN:
        feed = parse(site.prod / f"feeds/deelgemeente/{place}.atom.xml")
        assert [slug(e) for e in feed.entries] == expected.get(place, []), place
        assert feed.feed.link.endswith(f"/vacatures/deelgemeente/{place}/")


@pytest.mark.parametrize("kind", ["dev", "prod"])
def test_expired_draft_future_and_staff_items_are_in_no_public_feed(site, kind):
    output = getattr(site, kind)
    titles = ("Oude vacature", "Klad vacature", "Latere vacature", "Interne vacature", "Verhaal van straks",
              "Intern verhaal", "Interne activiteit", "Klad activiteit")
    for path in feed_files(output):
        feed = parse(path)
        assert not {slug(e) for e in feed.entries} & NEVER_PUBLIC, path
        text = path.read_text(encoding="utf-8")
        assert not [t for t in titles if t in text], path


def test_event_enters_the_feeds_on_its_announcement_day(site):
    """'feest' has no publish_from and starts in September 2027: it is in the agenda, not yet in a feed."""
    kijker = parse(site.prod / "feeds/in-de-kijker.rss.xml")
    assert "feest" not in {slug(e) for e in kijker.entries}
    assert "Vrijwilligersfeest" not in (site.prod / "feeds/in-de-kijker.rss.xml").read_text(encoding="utf-8")


# --- What an RSS-to-email tool reads ---

def entry(feed, name):
    found = [e for e in feed.entries if slug(e) == name]
    assert len(found) == 1, name
    return found[0]


def test_vacancy_item_for_a_newsletter(site, prod_url):
    rss = parse(site.prod / "feeds/vacatures.rss.xml")
    kok = entry(rss, "kok")
    assert kok.link == f"{prod_url}/vacatures/kok/"
    assert kok.id == kok.link
    assert f'<guid isPermaLink="true">{kok.link}</guid>' in (site.prod / "feeds/vacatures.rss.xml").read_text()
    assert kok.title == "Kok voor de buurtsoep (Buurtwerk Test)"
    # pubDate: the day the vacancy went online (publish_from), Belgian midnight
    assert dt.datetime(*kok.published_parsed[:6], tzinfo=dt.timezone.utc) == \
        dt.datetime(2026, 10, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    # short description and full content
    assert kok.summary == "Kook mee."
    content = kok.content[0].value
    assert "<em>samen</em>" in content and "Kermt" in content and f"{prod_url}/vacatures/kok/" in content
    assert [t.term for t in kok.tags] == [THEMES["buurt-en-samenleven"]]
    # one image: media:content and enclosure, 600 px wide, the enclosure's length is the file's size
    assert len(kok.media_content) == 1
    media = kok.media_content[0]
    assert media["medium"] == "image" and media["width"] == "600"
    image_file = local_file(site.prod, prod_url, media["url"])
    with Image.open(image_file) as img:
        assert img.size == (600, int(media["height"]))
    assert [e["href"] for e in kok.enclosures] == [media["url"]]
    assert int(kok.enclosures[0]["length"]) == image_file.stat().st_size == int(media["filesize"])
    assert kok.enclosures[0]["type"] == "image/jpeg"
    # the 2x variant: 1200 px wide, in the content's srcset
    srcset = re.search(r'srcset="([^"]+)"', raw_content(site.prod / "feeds/vacatures.rss.xml", kok.link)).group(1)
    url_2x = [c.split()[0] for c in srcset.split(",") if c.strip().endswith("2x")][0]
    with Image.open(local_file(site.prod, prod_url, url_2x)) as img:
        assert img.width == 1200


def test_atom_item_has_the_same_facts(site, prod_url):
    atom = parse(site.prod / "feeds/vacatures.atom.xml")
    kok = entry(atom, "kok")
    assert kok.summary == "Kook mee."
    assert kok.content[0].type == "text/html" and "<em>samen</em>" in kok.content[0].value
    assert [t.term for t in kok.tags] == ["buurt-en-samenleven"] and kok.tags[0].label == THEMES["buurt-en-samenleven"]
    assert kok.published_parsed[:3] == (2026, 9, 30)  # 2026-10-01 00:00 Brussels is 22:00 UTC the day before
    media = kok.media_content[0]
    assert len(kok.enclosures) == 1 and kok.enclosures[0]["href"] == media["url"]
    assert int(kok.enclosures[0]["length"]) == local_file(site.prod, prod_url, media["url"]).stat().st_size
    assert [link.href for link in kok.links if link.rel == "alternate"] == [f"{prod_url}/vacatures/kok/"]


def test_item_without_photo_gets_the_branded_card(site, prod_url):
    hond = entry(parse(site.prod / "feeds/vacatures.rss.xml"), "hond")
    media = hond.media_content[0]
    assert (media["width"], media["height"]) == ("600", "315")
    with Image.open(local_file(site.prod, prod_url, media["url"])) as img:
        assert img.size == (600, 315)


def test_story_and_event_dates(site):
    kijker = parse(site.prod / "feeds/in-de-kijker.rss.xml")
    dates = {slug(e): dt.datetime(*e.published_parsed[:6], tzinfo=dt.timezone.utc) for e in kijker.entries}
    assert dates["koken"] == dt.datetime(2026, 11, 1, tzinfo=BRUSSELS)  # story date
    assert dates["markt"] == dt.datetime(2026, 11, 20, tzinfo=BRUSSELS)  # event publish_from
    assert [slug(e) for e in kijker.entries] == ["markt", "koken", "kok"], "newest first"
    markt = entry(kijker, "markt")
    assert "4 december 2026" in markt.content[0].value
    assert [t.term for t in markt.tags] == ["Infostand op de markt"]
    assert markt.media_content[0]["width"] == "600"


def test_last_build_date_comes_from_the_content(site):
    for name in ("vacatures", "in-de-kijker", "verhalen"):
        feed = parse(site.prod / f"feeds/{name}.rss.xml")
        assert feed.feed.updated_parsed == max(e.published_parsed for e in feed.entries), name
    empty = parse(site.prod / "feeds/thema/jeugd.rss.xml")
    assert empty.entries == [] and empty.feed.updated_parsed[:3] == (2026, 1, 1)


def test_same_content_gives_the_same_bytes(site, tmp_path):
    again = build_site(site.project.root, True, tmp_path / "again", HH_TODAY="2026-11-27")
    files = [p for pattern in ("feeds/**/*.xml", "**/*.ics", "open-data/**/*.json", "sitemap.xml", "robots.txt")
             for p in site.prod.glob(pattern)]
    assert len(files) > 40
    for path in files:
        rel = path.relative_to(site.prod)
        assert (again / rel).read_bytes() == path.read_bytes(), rel


# --- URLs ---

def test_production_feeds_use_absolute_https_urls(site, prod_url):
    assert prod_url.startswith("https://")
    for path in feed_files(site.prod):
        text = path.read_text(encoding="utf-8")
        urls = re.findall(r'(?:href|url)="([^"]+)"|<link>([^<]+)</link>', text)
        for url in (a or b for a, b in urls):
            assert url.startswith(prod_url + "/"), (path, url)


def test_development_feeds_use_the_development_address(site):
    feed = parse(site.dev / "feeds/vacatures.rss.xml")
    assert feed.feed.link == f"{DEV_BASE}/vacatures/"
    assert all(e.link.startswith(DEV_BASE + "/") for e in feed.entries)


def alternates(soup) -> dict[str, str]:
    return {link["href"]: link["type"] for link in soup.find_all("link", rel="alternate")}


@pytest.mark.parametrize("kind", ["dev", "prod"])
def test_pages_link_their_feeds(site, kind, prod_url):
    output = getattr(site, kind)
    general = {"feeds/in-de-kijker", "feeds/vacatures", "feeds/verhalen"}

    def feeds_of(url: str) -> set[str]:
        links = alternates(html(output, url))
        out = set()
        for href, mime in links.items():
            if mime in ("application/rss+xml", "application/atom+xml"):
                if kind == "prod":
                    assert href.startswith(prod_url + "/"), href
                    target = local_file(output, prod_url, href)
                else:
                    assert not href.startswith(("http:", "https:", "/")), href
                    target = (output / url / href).resolve()
                assert target.is_file(), href
                out.add(re.sub(r"^.*?(feeds/.*)\.(rss|atom)\.xml$", r"\1", href))
        return out

    for url in ("", "vacatures/", "vacatures/kok/", "verhalen/koken/", "agenda/", "open-data/"):
        assert feeds_of(url) == general, url
    assert feeds_of("vacatures/thema/dieren/") == general | {"feeds/thema/dieren"}
    assert feeds_of("organisaties/dierenhulp/") == general | {"feeds/organisatie/dierenhulp"}
    assert feeds_of("vacatures/deelgemeente/kermt/") == general | {"feeds/deelgemeente/kermt"}


# --- The staff feed ---

def test_staff_feed_has_the_internal_items_outside_the_public_site(site):
    staff = site.prod_staff
    assert not staff.is_relative_to(site.prod)
    for fmt in ("rss", "atom"):
        feed = parse(staff / f"feeds/intern.{fmt}.xml")
        assert {slug(e) for e in feed.entries} == INTERNAL_LIVE
        for e in feed.entries:
            assert len(e.media_content) == 1
            image = staff / "img" / e.media_content[0]["url"].rsplit("/img/", 1)[1]
            assert image.is_file()
            if fmt == "rss":
                assert int(e.enclosures[0]["length"]) == image.stat().st_size
    page = html(staff, "")
    assert page.find(id="vacancy-intern") is not None
    assert page.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    intern = entry(parse(staff / "feeds/intern.rss.xml"), "intern")
    assert "an@example.be" in intern.content[0].value, "staff sign up through the contact person"


@pytest.mark.parametrize("kind", ["dev", "prod"])
def test_nothing_of_the_staff_feed_in_the_public_output(site, kind):
    output = getattr(site, kind)
    for path in output.rglob("*"):
        if path.suffix in (".xml", ".json", ".ics", ".txt", ".html"):
            text = path.read_text(encoding="utf-8")
            assert "intern.rss.xml" not in text and "intern.atom.xml" not in text, path
            assert "Interne vacature" not in text and "Intern verhaal" not in text, path
    assert not (output / "feeds" / "intern.rss.xml").exists()
