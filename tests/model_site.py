"""One small site with every new case of the content model (issue 18): a one-off task with two shifts across the
daylight-saving change of 28 March 2027, a task whose only shift is past, work from home and in different places,
an archived organisation with an open vacancy, events with an organiser, a price and accessibility, stories with
a photo credit and consent records that limit their channels. Built once per test session (development and
production), then again on the days that matter for the one-off task."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from hasselthelpt.cli import build_site
from hh_testing import TODAY, Project, event, organisation, screens_yaml, story, vacancy

CONSENT_MARKER = "ZZconsent7f3aQ"  # in every consent record; must never reach any output
SHIFTS = [{"start": "2027-03-27 10:00", "end": "2027-03-27 12:30"},  # Saturday: winter time, UTC+1
          {"start": "2027-03-28 10:00", "end": "2027-03-28 12:30"}]  # Sunday, after the change: UTC+2
AFTER_FIRST_SHIFT = "2027-03-28"
AFTER_LAST_SHIFT = "2027-03-29"


def consent(*uses: str) -> list[dict]:
    return [{"who": f"Fatima El Amrani {CONSENT_MARKER}", "date": dt.date(2026, 10, 20), "uses": list(uses),
             "record": f"Getekend formulier {CONSENT_MARKER}, map Communicatie"}]


def write_site(p: Project) -> None:
    p.write("signage/screens.yaml", screens_yaml(featured_only=False, max_slides=30, qr=False, format="png",
                                                  min_text_size=20, max_text_size=48))
    p.write("content/organisations/buurtwerk.yaml", organisation(contact_public=True))
    p.write("content/organisations/gestopt.yaml", organisation(
        name="Gestopte Vereniging", summary="Deze vereniging is gestopt.", address="Oude Baan 5, 3500 Hasselt",
        deelgemeente="hasselt-centrum", status="archived", contact={"name": "Jo", "email": "jo@gestopt.example"}))
    p.photo("images/stories/foto.jpg")
    p.write("vacancies/kok.yaml", vacancy())
    p.write("vacancies/paasactie.yaml", vacancy(
        title="Helpen bij de paaseierenzoektocht", kind="occasioneel", time_commitment="Een voormiddag",
        when=["weekend"], featured=True, shifts=SHIFTS,
        place={"name": "Speelplein", "address": "Parkstraat 3, 3511 Kuringen", "deelgemeente": "kuringen"}))
    p.write("vacancies/voorbij.yaml", vacancy(
        title="Eenmalige taak van vorige week", kind="occasioneel", when=["weekend"],
        shifts=[{"start": "2026-11-21 09:00", "end": "2026-11-21 12:00"}]))
    p.write("vacancies/thuis.yaml", vacancy(
        title="Vertaler van folders", location="thuis", place=None, themes=["taal-en-onderwijs"],
        talents=["talen"], when=["flexibel"], featured=True))
    p.write("vacancies/overal.yaml", vacancy(
        title="Fietskoerier voor buren", location="verschillende-plaatsen", place=None, talents=["rijden"]))
    p.write("vacancies/bij-gestopt.yaml", vacancy(title="Vacature van een gestopte vereniging",
                                                  organisation="gestopt"))
    p.write("content/events/ontbijt.yaml", event(
        title="Ontbijt voor vrijwilligers", kind="ontbijt", organiser="buurtwerk", price=2.5,
        price_note="Koffie inbegrepen", wheelchair_accessible=True, accessibility="Er is een rustige ruimte.",
        start="2027-03-27 08:00", end="2027-03-27 10:00", registration_url="https://inschrijven.example/ontbijt"))
    p.write("content/events/markt.yaml", event())  # organised by the city, free
    credit = {"image_credit": "Jan Peeters", "image_licence": "cc-by"}
    p.write("content/stories/alles.md", story(title="Fatima in de moestuin", featured=True, people=True,
                                              consent=consent("site", "social-media", "screens"), **credit),
            "Fatima vertelt.\n")
    p.write("content/stories/geen-scherm.md", story(title="Fatima kookt", featured=True, people=True,
                                                    consent=consent("site"), **credit), "Fatima kookt.\n")
    p.write("content/stories/geen-site.md", story(title="Fatima op de schermen", featured=True, people=True,
                                                  consent=consent("screens", "print"), **credit),
            "Alleen voor de schermen.\n")


@dataclass
class Built:
    project: Project
    dev: Path
    prod: Path

    def on(self, day: str) -> Path:
        """A production build on another day (built once per day)."""
        out = self.project.root / f"prod-{day}"
        if not out.is_dir():
            build_site(self.project.root, True, out, HH_TODAY=day)
        return out

    def outputs(self) -> list[Path]:
        """Every folder a build wrote: the public outputs and their staff folders."""
        root = self.project.root
        return sorted(p for p in root.iterdir() if p.is_dir() and (p.name.startswith(("dev", "prod"))))


_BUILT: dict[int, Built] = {}


def build(tmp_path_factory) -> Built:
    if id(tmp_path_factory) not in _BUILT:
        root = tmp_path_factory.mktemp("model")
        p = Project(root)
        write_site(p)
        _BUILT[id(tmp_path_factory)] = Built(p, build_site(root, False, root / "dev", HH_TODAY=TODAY),
                                             build_site(root, True, root / "prod", HH_TODAY=TODAY))
    return _BUILT[id(tmp_path_factory)]
