"""The agenda as iCalendar, parsed back with the icalendar library: events, Europe/Brussels with its VTIMEZONE,
DTSTART/DTEND, stable UIDs, DTSTAMP from the content, RFC 5545 line format, and the links from the pages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from channel_site import build
from hh_testing import html
from hasselthelpt.cli import pelican_settings

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory, "agenda")


def read(path) -> icalendar.Calendar:
    assert path.is_file(), f"{path} is missing"
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(cal) -> dict[str, icalendar.Event]:
    return {str(e["UID"]).split("@")[0].removeprefix("agenda-"): e for e in cal.walk("VEVENT")}


def test_whole_agenda_has_the_upcoming_public_events(site):
    cal = read(site.prod / "agenda/agenda.ics")
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"])
    assert set(events(cal)) == {"markt", "feest"}  # not past, draft or staff-only
    for kind in ("dev", "prod"):  # previews never reach a calendar
        assert set(events(read(getattr(site, kind) / "agenda/agenda.ics"))) == {"markt", "feest"}


def test_times_are_belgian_with_the_time_zone_included(site):
    cal = read(site.prod / "agenda/agenda.ics")
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Brussels"]
    assert zones[0].walk("STANDARD") and zones[0].walk("DAYLIGHT")
    ev = events(cal)
    markt, feest = ev["markt"], ev["feest"]
    assert markt["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert markt["DTSTART"].dt == dt.datetime(2026, 12, 4, 8, 0, tzinfo=BRUSSELS)
    assert markt["DTEND"].dt == dt.datetime(2026, 12, 4, 12, 0, tzinfo=BRUSSELS)
    assert markt["DTSTART"].dt.utcoffset() == dt.timedelta(hours=1)  # winter time
    assert feest["DTSTART"].dt.utcoffset() == dt.timedelta(hours=2)  # summer time, September
    assert feest["DTEND"].dt == dt.datetime(2027, 9, 24, 23, 30, tzinfo=BRUSSELS)
    assert str(markt["SUMMARY"]) == "Infostand op de markt"
    assert "Grote Markt 1" in str(markt["LOCATION"])
    assert str(markt["URL"]).endswith("/agenda/markt/")


def test_uid_and_dtstamp_are_stable(site):
    whole = events(read(site.prod / "agenda/agenda.ics"))
    single = events(read(site.prod / "agenda/markt/markt.ics"))
    assert set(single) == {"markt"}
    assert str(single["markt"]["UID"]) == str(whole["markt"]["UID"]) == "agenda-markt@hasselthelpt"
    dev = events(read(site.dev / "agenda/agenda.ics"))
    assert str(dev["markt"]["UID"]) == str(whole["markt"]["UID"]), "the same UID in every build"
    # DTSTAMP from the content: publish_from, or four weeks before the start when there is none
    assert whole["markt"]["DTSTAMP"].dt == dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)
    assert whole["feest"]["DTSTAMP"].dt == dt.datetime(2027, 8, 27, tzinfo=dt.timezone.utc)


def test_one_file_per_public_event(site):
    for name in ("markt", "feest", "voorbij"):  # a past event keeps its file, like its page
        cal = read(site.prod / f"agenda/{name}/{name}.ics")
        assert set(events(cal)) == {name}
        assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
    for name in ("intern-activiteit", "klad-activiteit"):
        assert not (site.prod / f"agenda/{name}").exists()
        assert not (site.dev / f"agenda/{name}/{name}.ics").exists()


def test_rfc5545_line_format(site):
    raw = (site.prod / "agenda/agenda.ics").read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_agenda_and_event_pages_link_their_calendar(site):
    prod_url = pelican_settings(site.project.root / "publishconf.py")["SITEURL"]
    agenda = html(site.prod, "agenda/")
    link = agenda.find("a", string="Zet in je agenda: alle activiteiten")
    assert link is not None and link["href"] == f"{prod_url}/agenda/agenda.ics"
    event = html(site.prod, "agenda/markt/")
    link = event.find("a", string="Zet in je agenda")
    assert link is not None and link["href"] == f"{prod_url}/agenda/markt/markt.ics"
    assert event.find("link", rel="alternate", type="text/calendar")["href"] == link["href"]
    assert html(site.prod, "agenda/voorbij/").find("a", string="Zet in je agenda") is None
    # development: relative, and it leads to the file
    dev_link = html(site.dev, "agenda/markt/").find("a", string="Zet in je agenda")["href"]
    assert not dev_link.startswith(("http", "/"))
    assert (site.dev / "agenda/markt" / dev_link).resolve().is_file()
