"""Signage in real builds: what the players pull (playlist JSON, Media RSS, slideshow page), which items it holds
and when, the slides read back and their QR codes decoded, the cache, and `check` on screens and texts."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image

from hh_testing import REPO, TODAY, Project, event, organisation, story, vacancy
from hasselthelpt.content.loading import SafeLoader, load_corpus
from hasselthelpt.signage import render
from hasselthelpt.signage.output import slides_of
from hasselthelpt.signage.screens import load_screens, screens_json_schema

SITE = "https://www.hasselt.be/hasselthelpt"
MEDIA = "{http://search.yahoo.com/mrss/}"
DCTERMS = "{http://purl.org/dc/terms/}"

SCREENS = """
zuil:                      # a small portrait screen, featured items only
  label: Testzuil
  width: 540
  height: 960
  orientation: portrait
  safe_margin: {top: 40, right: 36, bottom: 48, left: 36}
  audience: public
  content: [vacancies, events, stories]
  slide_duration: 10
  max_slides: 8
  qr: true
  format: jpeg
  min_text_size: 24
  max_text_size: 56
  title_lines: 5
alles:                     # every open item, not only featured ones
  label: Alles
  width: 960
  height: 540
  orientation: landscape
  safe_margin: {top: 30, right: 30, bottom: 30, left: 30}
  audience: public
  content: [vacancies, events]
  featured_only: false
  slide_duration: 7
  max_slides: 20
  qr: true
  format: png
  min_text_size: 20
  max_text_size: 48
koffie:                    # staff only
  label: Koffiehoek
  width: 960
  height: 540
  orientation: landscape
  safe_margin: {top: 30, right: 30, bottom: 30, left: 30}
  audience: staff
  content: [vacancies, events, stories]
  slide_duration: 12
  max_slides: 8
  qr: true
  style: light
  format: png
  min_text_size: 20
  max_text_size: 48
"""

# slugs per screen in production, in play order: the kinds take turns, vacancies newest first
EXPECTED = {
    "zuil": ["hond", "markt", "koken", "kok"],
    "alles": ["hond", "markt", "kok"],
    "koffie": ["intern", "markt", "koken", "hond", "kok"],
}
NEVER_PUBLIC = {"intern", "klad", "later", "oud", "voorbij"}


def write_site(p: Project) -> None:
    p.write("signage/screens.yaml", SCREENS)
    p.write("content/organisations/buurtwerk.yaml", organisation())
    p.photo("images/stories/foto.jpg")
    p.write("vacancies/kok.yaml", vacancy(featured=True))  # publish 2026-10-01, valid through 2027-06-30
    p.write("vacancies/hond.yaml", vacancy(title="Wandelen met de honden van het asiel", featured=True,
                                           publish_from=dt.date(2026, 11, 1), valid_through=dt.date(2026, 12, 31)))
    p.write("vacancies/intern.yaml", vacancy(title="Buddy voor nieuwe collega's", internal=True))
    p.write("vacancies/klad.yaml", vacancy(title="Nog niet klaar", featured=True, status="draft"))
    p.write("vacancies/later.yaml", vacancy(title="Vanaf december", featured=True, publish_from=dt.date(2026, 12, 15)))
    p.write("vacancies/oud.yaml", vacancy(title="Voorbij", publish_from=dt.date(2026, 1, 1),
                                          valid_through=dt.date(2026, 11, 1)))
    p.write("content/events/markt.yaml", event(featured=True))  # 2026-12-04 08:00-12:00
    p.write("content/events/voorbij.yaml", event(title="Vorige markt", start="2026-11-06 08:00",
                                                 end="2026-11-06 12:00"))
    p.write("content/stories/koken.md", story(featured=True, image="images/stories/foto.jpg"), "Tekst.\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    p = Project(tmp_path_factory.mktemp("signage"))
    write_site(p)
    prod = p.build(production=True)
    return p, prod, prod.parent / f"{prod.name}-intranet"


def folder_of(built, screen: str) -> Path:
    p, prod, staff = built
    return (staff if screen == "koffie" else prod) / "signage" / screen


def playlist(built, screen: str) -> dict:
    return json.loads((folder_of(built, screen) / "playlist.json").read_text(encoding="utf-8"))


def test_playlists_hold_the_right_items_in_order(built):
    for screen, slugs in EXPECTED.items():
        assets = playlist(built, screen)["assets"]
        names = [a["asset_id"] for a in assets]
        assert [n.split("-", 1)[1].rsplit("-", 1)[0] for n in names] == slugs, screen
        assert [a["play_order"] for a in assets] == list(range(len(slugs)))


def test_public_screens_never_show_staff_draft_future_or_expired_items(built):
    p, prod, staff = built
    for screen in ("zuil", "alles"):
        text = json.dumps(playlist(built, screen)) + (folder_of(built, screen) / "feed.xml").read_text()
        for slug in NEVER_PUBLIC:
            assert f"-{slug}-" not in text and f"/{slug}/" not in text, f"{slug} on {screen}"
    assert not (prod / "signage" / "koffie").exists(), "staff screens stay out of the public site"
    assert (staff / "signage" / "koffie" / "playlist.json").is_file()
    for path in (prod / "signage").rglob("*"):
        assert "intern" not in path.name


def test_playlist_dates_durations_and_absolute_urls(built):
    assets = {a["asset_id"].split("-", 1)[1].rsplit("-", 1)[0]: a for a in playlist(built, "zuil")["assets"]}
    assert assets["hond"]["start_date"] == "2026-11-01T00:00:00+01:00"
    assert assets["hond"]["end_date"] == "2027-01-01T00:00:00+01:00", "through valid_through, Belgian time"
    assert assets["kok"]["end_date"] == "2027-07-01T00:00:00+02:00"
    assert assets["markt"]["start_date"] == f"{TODAY}T00:00:00+01:00", "an event without publish_from: from now"
    assert assets["markt"]["end_date"] == "2026-12-04T12:00:00+01:00", "until the event ends"
    assert assets["koken"]["start_date"] == "2026-11-01T00:00:00+01:00"
    assert dt.datetime.fromisoformat(assets["koken"]["end_date"]).date() == dt.date(2026, 11, 1) + dt.timedelta(180)
    for a in assets.values():
        assert a["duration"] == 10 and a["mimetype"] == "image/jpeg"
        assert a["uri"].startswith(f"{SITE}/signage/zuil/") and a["uri"].endswith(".jpg")
        assert "utm_source=signage&utm_medium=zuil&utm_campaign=hasselthelpt" in a["link"]
    for a in playlist(built, "alles")["assets"]:
        assert a["duration"] == 7 and a["mimetype"] == "image/png"


def test_staff_items_link_to_the_staff_page(built):
    assets = playlist(built, "koffie")["assets"]
    intern = next(a for a in assets if "intern" in a["asset_id"])
    assert intern["link"].endswith("#vacancy-intern") and not intern["link"].startswith(SITE)
    kok = next(a for a in assets if "-kok-" in a["asset_id"])
    assert kok["link"].startswith(f"{SITE}/vacatures/kok/?")


def test_media_rss_for_brightsign_and_xibo(built):
    for screen in EXPECTED:
        folder = folder_of(built, screen)
        root = ET.parse(folder / "feed.xml").getroot()
        assert root.tag == "rss" and root.get("version") == "2.0"
        items = root.find("channel").findall("item")
        assets = playlist(built, screen)["assets"]
        assert len(items) == len(assets)
        guids = set()
        for item, asset in zip(items, assets):
            content = item.find(f"{MEDIA}content")
            name = content.get("url").rsplit("/", 1)[-1]
            assert content.get("url") == asset["uri"]
            assert content.get("type") == asset["mimetype"]
            assert int(content.get("fileSize")) == (folder / name).stat().st_size
            assert int(content.get("duration")) == asset["duration"]
            assert item.find("guid").text == f"{screen}/{name}"
            guids.add(item.find("guid").text)
            valid = item.find(f"{DCTERMS}valid").text
            assert f"start={asset['start_date']}" in valid and f"end={asset['end_date']}" in valid
            assert item.find("link").text == asset["link"]
        assert len(guids) == len(items)


def test_every_slide_reads_back_and_its_qr_code_opens_the_item(built):
    screens, _ = load_screens(built[0].root)
    for name, screen in screens.items():
        for asset in playlist(built, name)["assets"]:
            path = folder_of(built, name) / asset["uri"].rsplit("/", 1)[-1]
            with Image.open(path) as img:
                assert img.size == (screen.width, screen.height)
                assert img.format == ("PNG" if screen.format == "png" else "JPEG")
                assert img.mode == "RGB"
                assert [r.text for r in zxingcpp.read_barcodes(img)] == [asset["link"]]


def test_slideshow_page_is_self_contained_and_drops_expired_items_by_the_clock(built):
    for screen in EXPECTED:
        folder = folder_of(built, screen)
        soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
        assets = playlist(built, screen)["assets"]
        slides = soup.select("img.slide")
        assert [s["src"] for s in slides] == [a["uri"].rsplit("/", 1)[-1] for a in assets]
        for s, a in zip(slides, assets):
            assert (s["data-start"], s["data-end"]) == (a["start_date"], a["end_date"])
            assert int(s["data-duration"]) == a["duration"]
        for tag in soup.find_all(src=True) + soup.find_all(href=True):
            ref = tag.get("src") or tag.get("href")
            assert "://" not in ref and (folder / ref).is_file(), f"{ref} is not in the screen's folder"
        assert not soup.find("link") and all(not s.get("src") for s in soup.find_all("script"))
        script = soup.find("script").string
        assert "Date.now()" in script and "data-end" in script, "the player's clock decides what is live"
        assert "transition: opacity" in soup.find("style").string, "crossfade"
        assert soup.find("body")["data-version"] == playlist(built, screen)["version"]


def test_development_build_previews_drafts_with_local_urls(project):
    write_site(project)
    out = project.build()
    assets = json.loads((out / "signage" / "zuil" / "playlist.json").read_text())["assets"]
    ids = " ".join(a["asset_id"] for a in assets)
    assert "-klad-" in ids and "-later-" in ids, "the development build previews what is coming"
    assert all(a["uri"].startswith("http://127.0.0.1:8000/signage/zuil/") for a in assets)


def test_unchanged_slides_are_not_rendered_again_and_a_changed_slide_gets_a_new_guid(project, monkeypatch):
    write_site(project)
    out = project.build(production=True)
    cache = project.root / "cache" / "signage"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(before) == sum(len(v) for v in EXPECTED.values()) + len(EXPECTED)  # + one fallback per screen
    guids = {a["asset_id"] for a in json.loads((out / "signage/zuil/playlist.json").read_text())["assets"]}

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged slide was rendered again")

    monkeypatch.setattr(render, "render_slide", refuse)
    project.build(production=True)
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    monkeypatch.undo()

    project.write("vacancies/kok.yaml", vacancy(featured=True, title="Kok voor de buurtsoep in Kermt"))
    out = project.build(production=True)
    after = {a["asset_id"] for a in json.loads((out / "signage/zuil/playlist.json").read_text())["assets"]}
    assert {g for g in guids if "-kok-" not in g} <= after, "other slides keep their name"
    old_kok, new_kok = [g for g in guids if "-kok-" in g], [g for g in after if "-kok-" in g]
    assert len(new_kok) == 1 and new_kok != old_kok
    assert len(list(cache.iterdir())) == len(before) + sum("kok" in slugs for slugs in EXPECTED.values()), \
        "one new slide per screen that shows the changed vacancy, nothing else"


def test_check_reports_a_title_that_cannot_fit(project):
    project.write("signage/screens.yaml", SCREENS.replace("min_text_size: 24", "min_text_size: 30").replace(
        "title_lines: 5", "title_lines: 2"))
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/lang.yaml", vacancy(
        featured=True, title="Vrijwilligersondersteuningscoördinator voor alle buurtverenigingen van Hasselt"))
    errors = project.check()
    assert len(errors) == 1, [str(e) for e in errors]
    e = errors[0]
    assert (e.path, e.field, e.line) == ("vacancies/lang.yaml", "title", 1)
    assert "too long for screen 'zuil'" in e.problem and "30 px" in e.problem and "2 fit" in e.problem
    assert "signage/screens.yaml" in e.fix


def test_check_reports_mistakes_in_screens_yaml_with_line_and_key(project):
    broken = SCREENS.replace("  width: 540\n", "  width: breed\n").replace(
        "  qr: true\n  format: jpeg", "  qr: true\n  kleur: rood\n  format: jpeg").replace(
        "  orientation: landscape\n  safe_margin: {top: 30, right: 30, bottom: 30, left: 30}\n  audience: staff",
        "  orientation: portrait\n  safe_margin: {top: 30, right: 30, bottom: 30, left: 30}\n  audience: staff")
    project.write("signage/screens.yaml", broken)
    errors = {(e.path, e.field): e for e in project.check()}
    lines = broken.splitlines()
    width = errors[("signage/screens.yaml", "zuil.width")]
    assert "not a whole number" in width.problem and lines[width.line - 1].strip() == "width: breed"
    unknown = errors[("signage/screens.yaml", "zuil.kleur")]
    assert "not a known field" in unknown.problem and lines[unknown.line - 1].strip() == "kleur: rood"
    orientation = errors[("signage/screens.yaml", "koffie.orientation")]
    assert "960x540" in orientation.problem and orientation.fix


def test_sample_content_fills_every_default_screen():
    """The repo's sample content: every default screen has a full playlist; public ones no staff items."""
    from hasselthelpt.cli import pelican_settings
    from hasselthelpt.settings import from_pelican

    settings = from_pelican(pelican_settings(REPO / "publishconf.py", HH_TODAY=TODAY))
    corpus, errors = load_corpus(REPO)
    screens, screen_errors = load_screens(REPO)
    assert not errors and not screen_errors
    for name, screen in screens.items():
        slides = slides_of(corpus, screen, settings, REPO / "output")
        assert len(slides) == screen.max_slides, f"{name} shows {len(slides)} of {screen.max_slides}"
        if screen.audience == "public":
            assert not any(s.internal for s in slides)
        assert len({s.slug for s in slides}) == len(slides)


def test_screens_schema_for_editors_is_current_and_valid():
    schema = json.loads((REPO / "schema" / "screens.schema.json").read_text(encoding="utf-8"))
    assert schema == screens_json_schema(), "run `hasselthelpt schema`"
    data = yaml.load((REPO / "signage" / "screens.yaml").read_text(encoding="utf-8"), Loader=SafeLoader)
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"x": {**data["entry-road"], "qr": "nee"}}, schema)


def test_editors_docs_show_each_screens_first_slide():
    screens, _ = load_screens(REPO)
    editors = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    for name in screens:
        picture = REPO / "docs" / "signage" / f"{name}.png"
        assert picture.is_file() and f"](signage/{name}.png)" in editors
        with Image.open(picture) as img:
            assert img.format == "PNG" and max(img.size) <= 640


def test_check_reports_a_screen_too_small_for_its_minimum_text(project):
    project.write("signage/screens.yaml", SCREENS.replace("min_text_size: 24", "min_text_size: 200").replace(
        "max_text_size: 56", "max_text_size: 400"))
    [error] = project.check()
    assert (error.path, error.field) == ("signage/screens.yaml", "zuil.min_text_size")
    assert SCREENS.splitlines()[error.line - 1].strip() == "min_text_size: 24" and "540x960" in error.problem


def test_check_fails_on_a_character_no_slide_font_has_once_per_field(project):
    """A title with a character that no font of the slides has: one error naming file, field and character,
    though three screens show the item; titles in Arabic, Tigrinya, Ukrainian and with emoji pass."""
    project.write("signage/screens.yaml", SCREENS)
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/spijker.yaml", vacancy(featured=True, title="Schrijver van spijkerschrift 𒀀𒀁"))
    project.write("vacancies/uur.yaml", vacancy(featured=True, time_commitment="3 uur ⿰ per week"))
    project.write("vacancies/voorbij.yaml", vacancy(title="Voorbij 你好", publish_from=dt.date(2026, 1, 1),
                                                   valid_through=dt.date(2026, 11, 1)))  # on no screen
    for slug, title in (("ar", "متطوع للمطبخ في كيويت!"), ("ti", "ወለንታዊ ንኽሽነ ናይ ሰፈር"),
                        ("uk", "Волонтер на кухню"), ("emoji", "Soep 🍲 koken 👩‍🍳❤️")):
        project.write(f"vacancies/{slug}.yaml", vacancy(featured=True, title=title))
    errors = project.check()
    found = sorted((e.path, e.field) for e in errors)
    assert found == [("vacancies/spijker.yaml", "title"), ("vacancies/uur.yaml", "time_commitment")], \
        [str(e) for e in errors]
    title = next(e for e in errors if e.field == "title")
    assert not title.warning and title.line == 1
    assert "U+12000 CUNEIFORM SIGN A" in title.problem and "U+12001" in title.problem
    assert "Arabic" in title.fix and "Ethiopic" in title.fix
