"""Search engines and link previews: JSON-LD (JobPosting, Event, Organization) parsed from the pages, sitemap.xml,
robots.txt, canonical URLs and Open Graph tags with a 1200x630 share image."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from channel_site import build
from hh_testing import html
from hasselthelpt.cli import pelican_settings
from hasselthelpt.content.schema import KINDS, ONE_OFF, THEMES, WHERE
from hasselthelpt.images import cards
from hasselthelpt.settings import DEFAULTS

DEV_BASE = DEFAULTS["HH_DEV_SITE_URL"][0]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory, "jsonld")


@pytest.fixture(scope="module")
def prod_url(site) -> str:
    return pelican_settings(site.project.root / "publishconf.py")["SITEURL"]


def structured(output, url) -> list[dict]:
    return [json.loads(tag.string) for tag in html(output, url).find_all("script", type="application/ld+json")]


def only(output, url, type_name) -> dict:
    found = structured(output, url)
    assert [d["@type"] for d in found] == [type_name], url
    return found[0]


# --- JSON-LD ---

def test_open_vacancy_is_a_volunteer_job_posting(site, prod_url):
    job = only(site.prod, "vacatures/kok/", "JobPosting")
    assert job["@context"] == "https://schema.org"
    assert job["employmentType"] == "VOLUNTEER"
    assert job["title"] == "Kok voor de buurtsoep"
    assert "<em>samen</em>" in job["description"]
    assert job["datePosted"] == "2026-10-01"
    assert job["validThrough"] == "2027-06-30T23:59:59+02:00"
    assert job["directApply"] is True
    assert job["url"] == f"{prod_url}/vacatures/kok/"
    org = job["hiringOrganization"]
    assert org["@type"] == "Organization" and org["name"] == "Buurtwerk Test"
    assert org["url"] == f"{prod_url}/organisaties/buurtwerk/"
    place = job["jobLocation"]
    assert place["@type"] == "Place" and place["name"] == "Buurthuis"
    assert place["address"] == {"@type": "PostalAddress", "streetAddress": "Kerkstraat 1", "postalCode": "3510",
                                "addressLocality": "Kermt, Hasselt", "addressRegion": "Limburg",
                                "addressCountry": "BE"}
    assert job["image"].startswith(f"{prod_url}/img/")
    text = json.dumps(job)
    assert "an.peeters" not in text and "0470" not in text and "An Peeters" not in text, "contact is not public"


def test_public_contact_and_the_centre(site):
    job = only(site.prod, "vacatures/hond/", "JobPosting")
    assert job["applicationContact"]["email"] == "info@dierenhulp.example"
    assert job["jobLocation"]["address"]["addressLocality"] == "Hasselt"
    assert job["jobLocation"]["address"]["postalCode"] == "3500"
    assert "image" not in job  # no photo: no image claimed


def test_expired_vacancy_carries_no_structured_data(site):
    for kind in ("dev", "prod"):
        assert structured(getattr(site, kind), "vacatures/oud/") == []


def test_event(site, prod_url):
    event = only(site.prod, "agenda/markt/", "Event")
    assert event["name"] == "Infostand op de markt"
    assert event["startDate"] == "2026-12-04T08:00:00+01:00"
    assert event["endDate"] == "2026-12-04T12:00:00+01:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["address"]["addressLocality"] == "Hasselt"
    assert event["location"]["address"]["addressCountry"] == "BE"
    assert event["organizer"] == {"@type": "Organization", "name": "HASSELT Helpt", "url": f"{prod_url}/"}
    assert event["url"] == f"{prod_url}/agenda/markt/"
    summer = only(site.prod, "agenda/feest/", "Event")
    assert summer["startDate"] == "2027-09-24T19:00:00+02:00"


def test_organisation(site, prod_url):
    org = only(site.prod, "organisaties/dierenhulp/", "Organization")
    assert org["name"] == "Dierenhulp Hasselt" and org["url"] == f"{prod_url}/organisaties/dierenhulp/"
    assert org["sameAs"] == ["https://dierenhulp.example"]
    assert org["address"]["postalCode"] == "3510" and org["address"]["addressLocality"] == "Kermt, Hasselt"
    assert org["contactPoint"]["email"] == "info@dierenhulp.example"
    private = only(site.prod, "organisaties/buurtwerk/", "Organization")
    assert "contactPoint" not in private and "an@example.be" not in json.dumps(private)


def test_other_pages_carry_none(site):
    for url in ("", "vacatures/", "verhalen/koken/", "organisaties/", "agenda/"):
        assert structured(site.prod, url) == [], url


# --- sitemap.xml and robots.txt ---

def sitemap_urls(output) -> set[str]:
    root = ET.parse(output / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {loc.text for loc in root.findall("s:url/s:loc", ns)}


def expected_public_pages() -> set[str]:
    pages = {"", "vacatures/", "vacatures/kok/", "vacatures/hond/", "organisaties/", "organisaties/buurtwerk/",
             "organisaties/dierenhulp/", "verhalen/", "verhalen/koken/", "verhalen/oktober/", "agenda/",
             "agenda/markt/", "agenda/feest/", "agenda/voorbij/", "open-data/"}
    for dimension, vocabulary in (("thema", THEMES), ("deelgemeente", WHERE), ("soort", [*KINDS, ONE_OFF])):
        pages |= {f"vacatures/{dimension}/{value}/" for value in vocabulary}
    return pages


def test_sitemap_lists_exactly_the_public_indexable_pages(site, prod_url):
    urls = sitemap_urls(site.prod)
    listed = {u.removeprefix(prod_url + "/") for u in urls}
    assert all(u.startswith(prod_url + "/") for u in urls)
    # every page the other forms and modules add is fine, as long as it is indexable; ours are exact:
    ours = {u for u in listed if not u.startswith(("afspraak/", "vacature-indienen/", "zoeken/", "matcher/",
                                                            "pers/"))}
    assert ours == expected_public_pages()
    for path in site.prod.rglob("index.html"):
        url = path.parent.relative_to(site.prod).as_posix() + "/"
        url = "" if url == "./" else url
        noindex = html(site.prod, url).find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
        assert (url in listed) != noindex, f"{url}: in the sitemap: {url in listed}, noindex: {noindex}"


def test_development_sitemap_leaves_out_previews(site):
    listed = {u.removeprefix(DEV_BASE + "/") for u in sitemap_urls(site.dev)}
    for preview in ("vacatures/klad/", "vacatures/later/", "verhalen/straks/"):
        assert (site.dev / preview / "index.html").is_file()
        assert preview not in listed
    assert "vacatures/kok/" in listed


def test_robots(site, prod_url):
    prod = (site.prod / "robots.txt").read_text()
    assert f"Sitemap: {prod_url}/sitemap.xml" in prod.splitlines()
    assert "Disallow: /" not in prod
    dev = (site.dev / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in dev and "Disallow: /" in dev


# --- Canonical URLs and Open Graph ---

def pages(output):
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        yield rel.removesuffix("index.html"), html(output, rel)


def og(soup, prop: str) -> str | None:
    tag = soup.find("meta", property=prop)
    return tag["content"] if tag else None


def test_every_page_has_a_canonical_url(site, prod_url):
    checked = 0
    for url, soup in pages(site.prod):
        if url == "404.html" or url.startswith("admin/"):  # the editor is Decap's application, not a page
            continue
        canonical = soup.find_all("link", rel="canonical")
        assert len(canonical) == 1, url
        if soup.find("meta", attrs={"http-equiv": "refresh"}) is None:  # a redirect points at its target
            assert canonical[0]["href"] == f"{prod_url}/{url}", url
        checked += 1
    assert checked > 40
    dev = html(site.dev, "vacatures/kok/").find("link", rel="canonical")["href"]
    assert not dev.startswith(("http", "/")), "development stays relative"


def test_open_graph_with_a_1200x630_image_on_every_page(site, prod_url):
    checked = 0
    for url, soup in pages(site.prod):
        if soup.find("meta", property="og:title") is None:
            assert soup.find("meta", attrs={"name": "robots", "content": "noindex"}), f"{url} has no Open Graph"
            continue
        assert og(soup, "og:url") == f"{prod_url}/{url}"
        assert og(soup, "og:title") and og(soup, "og:description"), url
        assert og(soup, "og:site_name") == "HASSELT Helpt" and og(soup, "og:locale") == "nl_BE"
        assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        image = og(soup, "og:image")
        assert image.startswith(f"{prod_url}/img/"), url
        assert (og(soup, "og:image:width"), og(soup, "og:image:height")) == ("1200", "630")
        with Image.open(site.prod / image.removeprefix(prod_url + "/")) as img:
            assert img.size == (1200, 630), url
        checked += 1
    assert checked > 40


def test_share_image_is_the_photo_or_the_branded_card(site):
    kok = html(site.prod, "vacatures/kok/")
    assert "kok-" in og(kok, "og:image") and og(kok, "og:image:alt") == "Een pot soep"
    hond = html(site.prod, "vacatures/hond/")
    assert "kaart-vacatures-" in og(hond, "og:image")
    assert og(html(site.prod, "verhalen/koken/"), "og:type") == "article"
    assert "kaart-agenda-" in og(html(site.prod, "agenda/"), "og:image")
    assert og(html(site.dev, "vacatures/kok/"), "og:image").startswith(DEV_BASE + "/img/")
    assert og(html(site.prod, "vacatures/kok/"), "og:title") == "Kok voor de buurtsoep"


def test_branded_cards_are_cached(tmp_path):
    first = cards.default_cards(tmp_path)
    files = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert len(files) == 2 * len(cards.CARDS)
    again = cards.default_cards(tmp_path)
    assert again == first
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == files, "drawn once, then reused"
    with Image.open(tmp_path / first["share:default:home"].largest.url.removeprefix("img/")) as img:
        assert img.size == (1200, 630)


def test_previews_carry_no_structured_data(site):
    for url in ("vacatures/klad/", "vacatures/later/"):
        assert (site.dev / url / "index.html").is_file()
        assert structured(site.dev, url) == [], url
