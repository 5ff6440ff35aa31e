"""Issue 18, through the real outputs: one-off tasks with dated shifts (agenda, ICS across a daylight-saving change,
the card's next date, closing after the last shift), where the work is (filters, TELECOMMUTE), events with an
organiser, a price and accessibility, stories with photo credits and consent that limits their channels (and never
leaks), archived organisations, and `check` refusing uninsured vacancies."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest
from lxml import etree

from hh_testing import REPO, event, html, organisation, story, vacancy
from hasselthelpt import brand
from hasselthelpt.build import check
from hasselthelpt.content.loading import load_corpus
from hasselthelpt.content.schema import CONTENT_TYPES
from hasselthelpt.outputs import matcher
from hasselthelpt.signage.screens import load_screens
from hasselthelpt.signage.select import select
from model_site import AFTER_FIRST_SHIFT, AFTER_LAST_SHIFT, CONSENT_MARKER, build

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory)


def calendar_events(path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def card_titles(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".vacancy-card .card-title a")]


def card_of(soup, title: str):
    return next(c for c in soup.select(".vacancy-card") if c.select_one(".card-title a").get_text(strip=True) == title)


def structured(output, url) -> list[dict]:
    return [json.loads(t.string) for t in html(output, url).find_all("script", type="application/ld+json")]


def playlist_names(output) -> list[str]:
    return [a["name"] for a in json.loads((output / "signage/zuil/playlist.json").read_text())["assets"]]


def feed_items(output, name: str) -> dict[str, etree._Element]:
    root = etree.fromstring((output / f"feeds/{name}.rss.xml").read_bytes())
    return {i.findtext("title"): i for i in root.iter("item")}


# --- When: a one-off task with two shifts around the change to summer time (Sunday 28 March 2027) ---

def test_one_off_task_in_the_agenda_page(site):
    agenda = html(site.prod, "agenda/")
    tasks = agenda.find(id="eenmalig").find_parent("section")
    items = [li.get_text(" ", strip=True) for li in tasks.find_all("li")]
    assert len(items) == 2 and all("Helpen bij de paaseierenzoektocht" in i for i in items)
    assert "zaterdag 27 maart 2027, van 10 uur tot 12.30 uur" in items[0]
    assert "zondag 28 maart 2027, van 10 uur tot 12.30 uur" in items[1]
    assert [t["datetime"] for t in tasks.find_all("time")] == ["2027-03-27T10:00:00", "2027-03-28T10:00:00"]


@pytest.mark.parametrize("file", ["agenda/agenda.ics", "vacatures/paasactie/paasactie.ics"])
def test_one_off_task_in_the_calendars_with_the_right_times_across_the_time_change(site, file):
    events = calendar_events(site.prod / file)
    saturday = events["vacature-paasactie-20270327T1000"]
    sunday = events["vacature-paasactie-20270328T1000"]
    for ev in (saturday, sunday):
        assert ev["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert str(ev["SUMMARY"]) == "Helpen bij de paaseierenzoektocht"
        assert str(ev["URL"]).endswith("/vacatures/paasactie/")
        assert "Parkstraat 3" in str(ev["LOCATION"])
    # 10:00 Belgian time is 09:00 UTC in winter time and 08:00 UTC in summer time
    assert saturday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2027, 3, 27, 9, 0, tzinfo=UTC)
    assert sunday["DTSTART"].dt.astimezone(UTC) == dt.datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert sunday["DTEND"].dt.astimezone(UTC) == dt.datetime(2027, 3, 28, 10, 30, tzinfo=UTC)
    zone = icalendar.Calendar.from_ical((site.prod / file).read_bytes()).walk("VTIMEZONE")[0]
    assert zone.walk("STANDARD") and zone.walk("DAYLIGHT")
    assert not any("voorbij" in uid for uid in events), "a task whose shifts are past is in no calendar"


def test_one_off_task_card_filter_page_and_link_to_its_calendar(site):
    overview = html(site.prod, "vacatures/")
    card = card_of(overview, "Helpen bij de paaseierenzoektocht")
    assert "Volgende datum: zaterdag 27 maart 2027, van 10 uur tot 12.30 uur" in card.get_text(" ", strip=True)
    assert "Volgende datum" not in card_of(overview, "Kok voor de buurtsoep").get_text()
    assert card_titles(html(site.prod, "vacatures/soort/eenmalig/")) == ["Helpen bij de paaseierenzoektocht"]
    option = overview.find("a", href=re.compile(r"vacatures/soort/eenmalig/$"))
    assert "Eenmalig, op een vaste datum" in option.get_text()
    page = html(site.prod, "vacatures/paasactie/")
    link = page.find("a", string="Zet in je agenda")
    assert link["href"].endswith("/vacatures/paasactie/paasactie.ics")


def test_one_off_task_in_the_matcher_feed_open_data_and_on_its_slide(site):
    data = json.loads((site.prod / "matcher/data.json").read_text())
    vacancies = {f.slug: f for f in matcher.features_from_data(data)}
    task = vacancies["paasactie"]
    assert "eenmalig" in task.when and task.next == "zaterdag 27 maart 2027, van 10 uur tot 12.30 uur"
    ranked = matcher.rank(vacancies.values(), matcher.Answers.of(when=["eenmalig"]))
    assert ranked[0].vacancy.slug == "paasactie"
    assert "een taak op een vaste datum" in ranked[0].sentence
    assert "voorbij" not in vacancies
    item = feed_items(site.prod, "vacatures")["Helpen bij de paaseierenzoektocht (Buurtwerk Test)"]
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert "Wanneer:</strong> zaterdag 27 maart 2027" in content and "zondag 28 maart 2027" in content
    records = json.loads((site.prod / "open-data/v1/vacancies.json").read_text())["items"]
    shifts = next(r for r in records if r["id"] == "paasactie")["shifts"]
    assert shifts == [{"start": "2027-03-27T10:00:00+01:00", "end": "2027-03-27T12:30:00+01:00"},
                      {"start": "2027-03-28T10:00:00+02:00", "end": "2027-03-28T12:30:00+02:00"}]
    schema = json.loads((site.prod / "open-data/v1/schema/vacancies.schema.json").read_text())
    jsonschema.validate(json.loads((site.prod / "open-data/v1/vacancies.json").read_text()), schema,
                        format_checker=jsonschema.FormatChecker())
    # the slide: its line holds the next date, and it leaves the screen when that shift ends
    asset = next(a for a in json.loads((site.prod / "signage/zuil/playlist.json").read_text())["assets"]
                 if a["name"] == "Helpen bij de paaseierenzoektocht")
    assert asset["end_date"] == "2027-03-27T12:30:00+01:00"
    corpus, _ = load_corpus(site.project.root)
    screen = load_screens(site.project.root)[0]["zuil"]
    slide = next(s for s in select(corpus, screen, dt.date(2026, 11, 27), False, "https://x.example")
                 if s.slug == "paasactie")
    assert slide.line == "Kuringen · za 27 maart, 10 tot 12.30 uur" and slide.line_field == "shifts"


def test_past_shifts_drop_out_and_the_task_closes_after_the_last(site):
    after_first = site.on(AFTER_FIRST_SHIFT)
    card = card_of(html(after_first, "vacatures/"), "Helpen bij de paaseierenzoektocht")
    assert "Volgende datum: zondag 28 maart 2027" in card.get_text(" ", strip=True)
    assert list(calendar_events(after_first / "agenda/agenda.ics")) == ["vacature-paasactie-20270328T1000"]
    after_last = site.on(AFTER_LAST_SHIFT)
    page = html(after_last, "vacatures/paasactie/")
    assert "Deze vacature is afgelopen." in page.find(class_="notice").get_text()
    assert "De laatste datum was 28 maart 2027" in page.find(class_="notice").get_text(" ", strip=True)
    assert page.find("form") is None and structured(after_last, "vacatures/paasactie/") == []
    assert "Helpen bij de paaseierenzoektocht" not in card_titles(html(after_last, "vacatures/"))
    assert html(after_last, "agenda/").find(id="eenmalig") is None
    assert not any("paasactie" in uid for uid in calendar_events(after_last / "agenda/agenda.ics"))
    # valid_through (30 June) is still ahead: the shifts alone closed it
    assert "paasactie" not in (after_last / "matcher/data.json").read_text()


def test_a_task_whose_only_shift_is_past_is_closed(site):
    page = html(site.prod, "vacatures/voorbij/")
    assert "De laatste datum was 21 november 2026" in page.find(class_="notice").get_text(" ", strip=True)
    assert "Eenmalige taak van vorige week" not in card_titles(html(site.prod, "vacatures/"))


# --- Where: at home, in different places ---

def test_home_vacancy_filters_and_is_telecommute(site):
    assert card_titles(html(site.prod, "vacatures/deelgemeente/thuis/")) == ["Vertaler van folders"]
    assert card_titles(html(site.prod, "vacatures/deelgemeente/verschillende-plaatsen/")) == ["Fietskoerier voor buren"]
    assert "Vertaler van folders" not in card_titles(html(site.prod, "vacatures/deelgemeente/kermt/"))
    page = html(site.prod, "vacatures/thuis/")
    assert page.find(attrs={"data-pagefind-meta": "waar"}).get_text(strip=True) == "Thuis of online"
    assert page.find(attrs={"data-pagefind-filter": "deelgemeente:thuis"}) is not None
    assert "Thuis of online" in card_of(html(site.prod, "vacatures/"), "Vertaler van folders").get_text()
    [job] = structured(site.prod, "vacatures/thuis/")
    assert job["jobLocationType"] == "TELECOMMUTE" and "jobLocation" not in job
    assert job["applicantLocationRequirements"] == {"@type": "Country", "name": "BE"}
    [elsewhere] = structured(site.prod, "vacatures/overal/")
    assert "jobLocationType" not in elsewhere
    assert elsewhere["jobLocation"]["address"]["addressLocality"] == "Hasselt"
    assert "streetAddress" not in elsewhere["jobLocation"]["address"]
    data = json.loads((site.prod / "matcher/data.json").read_text())
    home = matcher.rank(matcher.features_from_data(data), matcher.Answers.of(places=["thuis"]))
    assert [m.vacancy.slug for m in home] == ["thuis"] and "je keuze voor thuis of online" in home[0].sentence


def test_check_wants_an_address_only_for_location_adres(project):
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/zonder.yaml", vacancy(place=None))
    project.write("vacancies/thuis.yaml", vacancy(location="thuis"))
    errors = {(e.path, e.field): e for e in project.check()}
    assert "Give the address" in errors[("vacancies/zonder.yaml", "place")].fix
    assert "location: adres" in errors[("vacancies/thuis.yaml", "place")].fix


# --- Events: organiser, price, accessibility ---

def assert_event_rules(ev: dict) -> None:
    """The structured-data rules for an Event (Google's required and recommended properties)."""
    for key in ("name", "startDate", "endDate", "location", "eventStatus", "eventAttendanceMode", "organizer",
                "offers", "description"):
        assert ev.get(key), key
    for key in ("startDate", "endDate"):
        assert dt.datetime.fromisoformat(ev[key]).utcoffset() is not None, "dates carry their offset"
    assert ev["location"]["@type"] == "Place"
    address = ev["location"]["address"]
    assert address["@type"] == "PostalAddress" and address["addressLocality"] and address["addressCountry"] == "BE"
    assert ev["organizer"]["@type"] == "Organization" and ev["organizer"]["name"]
    assert ev["organizer"]["url"].startswith("https://")
    offer = ev["offers"]
    assert offer["@type"] == "Offer" and isinstance(offer["price"], (int, float)) and offer["price"] >= 0
    assert re.fullmatch(r"[A-Z]{3}", offer["priceCurrency"]) and offer["url"].startswith("https://")
    assert offer["availability"].startswith("https://schema.org/")
    assert ev["isAccessibleForFree"] is (offer["price"] == 0)


def test_event_organiser_price_and_accessibility_in_page_ics_and_json_ld(site):
    [ev] = structured(site.prod, "agenda/ontbijt/")
    assert_event_rules(ev)
    assert ev["organizer"]["name"] == "Buurtwerk Test" and ev["organizer"]["url"].endswith("/organisaties/buurtwerk/")
    assert ev["offers"]["price"] == 2.5 and ev["offers"]["url"] == "https://inschrijven.example/ontbijt"
    assert ev["isAccessibleForFree"] is False
    assert ev["location"]["amenityFeature"][0]["value"] is True
    [free] = structured(site.prod, "agenda/markt/")
    assert_event_rules(free)
    assert free["isAccessibleForFree"] is True and free["offers"]["price"] == 0
    assert free["organizer"]["name"] == brand.NAME
    facts = html(site.prod, "agenda/ontbijt/").find(class_="facts-list").get_text(" ", strip=True)
    assert "Organisator Buurtwerk Test" in facts and "Prijs € 2,50. Koffie inbegrepen" in facts
    assert "Toegankelijk met een rolstoel. Er is een rustige ruimte." in facts
    assert "Prijs Gratis" in html(site.prod, "agenda/markt/").find(class_="facts-list").get_text(" ", strip=True)
    event = calendar_events(site.prod / "agenda/ontbijt/ontbijt.ics")["agenda-ontbijt"]
    text = str(event["DESCRIPTION"])
    assert "Organisator: Buurtwerk Test" in text and "Prijs: € 2,50" in text and "rustige ruimte" in text
    assert event["ORGANIZER"].params["CN"] == "Buurtwerk Test"
    assert str(event["ORGANIZER"]) == "mailto:an@example.be"  # the organisation's contact is public


def line_of(path, key: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(f"{key}:"))


def test_event_organiser_must_exist_and_price_be_an_amount(project):
    project.write("content/events/organiser.yaml", event(organiser="bestaat-niet"))
    path = project.write("content/events/prijs.yaml", event(price="5 euro"))
    errors = {(e.path, e.field): e for e in project.check()}
    assert "not an organisation" in errors[("content/events/organiser.yaml", "organiser")].problem
    price = errors[("content/events/prijs.yaml", "price")]
    assert "not an amount" in price.problem and price.line == line_of(path, "price")


# --- Stories: credit, consent ---

def test_photo_credit_under_the_photo_and_in_the_feed(site):
    caption = html(site.prod, "verhalen/alles/").find("figcaption")
    assert caption.get_text(strip=True) == "Foto: Jan Peeters (CC BY 4.0)"
    assert caption.find_previous_sibling("img") is not None
    item = feed_items(site.prod, "verhalen")["Fatima in de moestuin"]
    assert "Foto: Jan Peeters (CC BY 4.0)" in item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")


def test_consent_limits_the_channels(site):
    names = playlist_names(site.prod)
    assert "Fatima in de moestuin" in names
    assert "Fatima kookt" not in names, "no consent for screens: never a slide"
    assert "Fatima op de schermen" not in names, "no consent for the site: not published at all"
    for output in (site.dev, site.prod):
        assert (output / "verhalen/geen-scherm/index.html").is_file()
        assert not (output / "verhalen/geen-site").exists()
        listed = [a.get_text(strip=True) for a in html(output, "verhalen/").select(".card-title a")]
        assert "Fatima op de schermen" not in listed and "Fatima kookt" in listed
    assert set(feed_items(site.prod, "verhalen")) == {"Fatima in de moestuin", "Fatima kookt"}
    # social media: the photo in link previews only with that consent
    photo = html(site.prod, "verhalen/alles/").find("meta", property="og:image")["content"]
    card = html(site.prod, "verhalen/geen-scherm/").find("meta", property="og:image")["content"]
    assert "/img/" in photo and "foto" in photo and "foto" not in card


def test_the_consent_record_appears_in_no_output(site):
    site.on(AFTER_LAST_SHIFT)  # every build of the session, staff folders included
    outputs = site.outputs()
    assert len(outputs) >= 4
    marker = CONSENT_MARKER.encode()
    files = [f for folder in outputs for f in folder.rglob("*") if f.is_file()]
    assert len(files) > 100
    leaks = [str(f) for f in files if marker in f.read_bytes()]
    assert leaks == []
    assert marker in (site.project.root / "content/stories/alles.md").read_bytes(), "the marker is in the content"


def test_check_requires_consent_when_a_story_shows_people(project):
    project.photo("images/stories/foto.jpg")
    project.write("content/stories/zonder.md", story(people=True), "Tekst.\n")
    project.write("content/stories/anoniem.md", story(), "Tekst.\n")
    project.write("content/stories/alleen-print.md", story(people=True, consent=[
        {"who": "Wim", "date": "2026-10-01", "uses": ["print"]}]), "Tekst.\n")
    errors = {(e.path, e.field): e for e in project.check()}
    assert ("content/stories/zonder.md", "consent") in errors
    assert "people is true" in errors[("content/stories/zonder.md", "consent")].problem
    assert not any(path.endswith("anoniem.md") for path, _ in errors)
    corpus, _ = check(project.settings())
    assert [(w.path, w.field) for w in corpus.warnings] == [("content/stories/alleen-print.md", "consent")]
    assert ("content/stories/alleen-print.md", "consent") in {(e.path, e.field) for e in
                                                              check(project.settings(), strict=True)[1]}


# --- Organisations: archived ---

def test_archived_organisation_keeps_its_page_and_leaves_lists_search_matcher_and_form(site):
    page = html(site.prod, "organisaties/gestopt/")
    assert "werkt niet meer met vrijwilligers" in page.find(class_="notice").get_text()
    assert "Oude Baan 5, 3500 Hasselt" in page.get_text()
    assert page.find(id="org-vacatures") is None and page.select(".vacancy-card") == []
    assert page.find(attrs={"data-pagefind-body": True}) is None, "Pagefind indexes no page without it"
    assert html(site.prod, "organisaties/").find("a", href=re.compile("organisaties/gestopt/")) is None
    entry = json.loads((site.prod / "pagefind/pagefind-entry.json").read_text())
    # indexed: 4 open vacancies, 1 active organisation, 2 published stories
    assert entry["languages"]["nl"]["page_count"] == 7
    vacancy_page = html(site.prod, "vacatures/bij-gestopt/")
    assert "Gestopte Vereniging werkt niet meer" in vacancy_page.find(class_="notice").get_text()
    assert "bij-gestopt" not in (site.prod / "matcher/data.json").read_text()
    form = html(site.prod, "vacature-indienen/").find("select", attrs={"name": "organisation"})
    assert "gestopt" not in [o["value"] for o in form.find_all("option")]
    orgs = json.loads((site.prod / "open-data/v1/organisations.json").read_text())["items"]
    assert [o["id"] for o in orgs] == ["buurtwerk"]


# --- Insurance ---

def test_check_refuses_uninsured_volunteers_with_file_field_and_help(project):
    project.write("content/organisations/buurtwerk.yaml", organisation())
    path = project.write("vacancies/onverzekerd.yaml", vacancy(insured=False))
    [error] = [e for e in project.check() if e.field == "insured"]
    assert error.path == "vacancies/onverzekerd.yaml" and error.line == line_of(path, "insured")
    assert "insured" in str(error) and "law" in error.problem
    assert brand.ORGANISATION_HELP_URL in error.fix


# --- The schema ---

def test_new_text_fields_have_a_length_limit():
    def texts(fields, prefix=""):
        for f in fields:
            if f.kind == "text":
                yield prefix + f.name, f
            yield from texts(f.fields, f"{prefix}{f.name}.")
    new = {"vacancy": ["image_credit"], "event": ["price_note", "accessibility", "image_credit"],
           "story": ["image_credit", "consent.who", "consent.record"]}
    for type_name, names in new.items():
        fields = dict(texts(CONTENT_TYPES[type_name].fields))
        assert all(fields[n].max_length for n in names), type_name


def test_sample_content_uses_every_new_field():
    corpus, errors = load_corpus(REPO)
    assert errors == []
    vacancies = corpus.vacancies.values()
    assert {v.location for v in vacancies} == {"adres", "thuis", "verschillende-plaatsen"}
    assert sum(1 for v in vacancies if len(v.shifts) >= 2) >= 1
    events = corpus.events.values()
    assert any(e.organiser for e in events) and any(e.price for e in events)
    assert any(e.wheelchair_accessible for e in events) and any(e.accessibility for e in events)
    stories = corpus.stories.values()
    assert all(s.image_credit for s in stories) and any(s.people and s.consent for s in stories)
    assert any(o.status == "archived" for o in corpus.organisations.values())
