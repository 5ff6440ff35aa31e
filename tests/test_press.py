"""Press releases in real builds: the list and release pages with the press contact, the RSS feed for
journalists, the press kit (full-resolution photos, credits, a zip), the embargo date, and `check`."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import feedparser

from hh_testing import Project, html, organisation, vacancy

RELEASE = {"title": "Vrijwilligersbeurs zoekt 200 vrijwilligers", "date": dt.date(2026, 11, 20),
           "summary": "Veertig organisaties stellen zich voor.",
           "photos": [{"image": "images/press/beurs.jpg", "alt": "Een drukke beurs", "credit": "Jan Peeters",
                       "licence": "cc-by"}]}


def press_project(project: Project) -> Project:
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/kok.yaml", vacancy())  # the search index needs a page to index
    project.photo("images/press/beurs.jpg", size=(3000, 2000))
    project.write("content/press/beurs.md", RELEASE, body="De beurs is in het **stadhuis**.\n")
    project.write("content/press/later.md", {**RELEASE, "title": "Nog onder embargo", "date": dt.date(2026, 12, 15)},
                  body="Pas later.\n")
    project.write("content/press/klad.md", {**RELEASE, "title": "Een klad", "status": "draft"}, body="Klad.\n")
    return project


def test_release_pages_feed_and_press_kit(project):
    output = press_project(project).build(production=True)
    listing = html(output, "pers/")
    titles = [a.get_text() for a in listing.select("article h2 a")]
    assert titles == ["Vrijwilligersbeurs zoekt 200 vrijwilligers"]  # no embargoed release, no draft
    assert not (output / "pers" / "later").exists() and not (output / "pers" / "klad").exists()
    page = html(output, "pers/beurs/")
    contact = page.select_one(".press-contact").get_text(" ", strip=True)
    assert "Perscontact" in contact and "pers@hasselthelpt.example" in contact
    assert "Foto: Jan Peeters (CC BY 4.0)" in page.get_text(" ", strip=True)
    original = (project.root / "content" / "images" / "press" / "beurs.jpg").read_bytes()
    kit = output / "pers" / "beurs" / "perskit"
    assert (kit / "1-beurs.jpg").read_bytes() == original  # the original file, not a resized copy
    assert page.select_one('a[download][href$="perskit/1-beurs.jpg"]') is not None
    with zipfile.ZipFile(io.BytesIO((output / "pers" / "beurs" / "perskit.zip").read_bytes())) as z:
        assert sorted(z.namelist()) == ["1-beurs.jpg", "LEESMIJ.txt"]
        assert z.read("1-beurs.jpg") == original
        assert "Foto: Jan Peeters (CC BY 4.0)" in z.read("LEESMIJ.txt").decode()
    feed = feedparser.parse((output / "feeds" / "pers.rss.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Vrijwilligersbeurs zoekt 200 vrijwilligers"]
    assert feed.entries[0].link.endswith("/pers/beurs/")
    assert "pers@hasselthelpt.example" in feed.feed.subtitle


def test_embargoed_release_appears_on_its_date(project):
    output = press_project(project).build(production=True, today="2026-12-15")
    feed = feedparser.parse((output / "feeds" / "pers.rss.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Nog onder embargo", "Vrijwilligersbeurs zoekt 200 vrijwilligers"]


def test_check_names_a_missing_press_photo(project):
    project.write("content/press/beurs.md", RELEASE, body="Tekst.\n")
    errors = [str(e) for e in project.check()]
    assert any(e.startswith("content/press/beurs.md") and "field 'photos'" in e and "does not exist" in e
               for e in errors), errors
