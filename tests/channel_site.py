"""One small site with every case the channels must handle (feeds, agenda, structured data, open data, widget):
open, expired, draft, future and staff-only items, with and without photos, public and private contacts.
Built once per test session (development and production), because a build takes a second or two; the test
modules only read the output."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from hasselthelpt.cli import build_site
from hh_testing import TODAY, Project, event, organisation, story, vacancy

today = dt.date.fromisoformat(TODAY)
DAY = dt.timedelta(days=1)

# What each feed / export must contain: slugs of the public, live items.
OPEN_PUBLIC_VACANCIES = ["hond", "kok"]  # newest first (publish_from)
FEATURED_PUBLIC = {"kok", "koken", "markt"}
PUBLIC_STORIES = ["koken", "oktober"]
INTERNAL_LIVE = {"intern", "intern-verhaal", "intern-activiteit"}
NEVER_PUBLIC = {"oud", "klad", "later", "intern", "straks", "intern-verhaal", "klad-activiteit",
                "intern-activiteit", "voorbij"}


@dataclass
class Built:
    project: Project
    dev: Path
    prod: Path

    @property
    def dev_staff(self) -> Path:
        return self.dev.parent / f"{self.dev.name}-intranet"

    @property
    def prod_staff(self) -> Path:
        return self.prod.parent / f"{self.prod.name}-intranet"


def write_site(p: Project) -> None:
    p.write("content/organisations/buurtwerk.yaml", organisation())
    p.write("content/organisations/dierenhulp.yaml", organisation(
        name="Dierenhulp Hasselt", kind="stadsdienst", themes=["dieren"], website="https://dierenhulp.example",
        address="Kerkstraat 9, 3510 Kermt", deelgemeente="kermt",
        contact={"name": "Onthaal Dierenhulp", "email": "info@dierenhulp.example", "phone": "011 22 33 44"},
        contact_public=True))
    p.photo("images/vacatures/kok.jpg")
    p.photo("images/stories/foto.jpg")
    p.photo("images/events/markt.jpg", size=(1200, 900))
    p.write("vacancies/kok.yaml", vacancy(
        featured=True, image="images/vacatures/kok.jpg", image_alt="Een pot soep",
        place={"name": "Buurthuis", "address": "Kerkstraat 1, 3510 Kermt", "deelgemeente": "kermt"},
        contact={"name": "An Peeters", "email": "an.peeters@example.be", "phone": "0470 12 34 56"}))
    p.write("vacancies/hond.yaml", vacancy(
        title="Hondenuitlater", organisation="dierenhulp", themes=["dieren", "natuur-en-milieu"],
        publish_from=dt.date(2026, 11, 1), contact_public=True,
        contact={"name": "Onthaal Dierenhulp", "email": "info@dierenhulp.example"},
        place={"address": "Asielstraat 2, 3500 Hasselt", "deelgemeente": "hasselt-centrum"}))
    p.write("vacancies/oud.yaml", vacancy(title="Oude vacature", featured=False,
                                          publish_from=dt.date(2026, 1, 1), valid_through=today - DAY))
    p.write("vacancies/klad.yaml", vacancy(title="Klad vacature", status="draft", featured=True))
    p.write("vacancies/later.yaml", vacancy(title="Latere vacature", featured=True,
                                            publish_from=today + 10 * DAY))
    p.write("vacancies/intern.yaml", vacancy(title="Interne vacature", internal=True, featured=True,
                                             image="images/vacatures/kok.jpg", image_alt="Soep voor collega's"))
    p.write("content/stories/koken.md", story(featured=True, organisation="buurtwerk", vacancy="kok",
                                              themes=["buurt-en-samenleven"]), "Een **mooi** verhaal.\n")
    p.write("content/stories/oktober.md", story(title="Verhaal van oktober", date=dt.date(2026, 10, 1)), "Tekst.\n")
    p.write("content/stories/straks.md", story(title="Verhaal van straks", date=today + DAY), "Tekst.\n")
    p.write("content/stories/intern-verhaal.md", story(title="Intern verhaal", internal=True), "Tekst.\n")
    p.write("content/events/markt.yaml", event(featured=True, publish_from="2026-11-20",
                                               image="images/events/markt.jpg", image_alt="De markt"))
    p.write("content/events/feest.yaml", event(title="Vrijwilligersfeest", kind="feest", start="2027-09-24 19:00",
                                               end="2027-09-24 23:30"))
    p.write("content/events/voorbij.yaml", event(title="Voorbij", start="2026-11-01 10:00", end="2026-11-01 12:00"))
    p.write("content/events/intern-activiteit.yaml", event(title="Interne activiteit", internal=True,
                                                           publish_from="2026-11-01"))
    p.write("content/events/klad-activiteit.yaml", event(title="Klad activiteit", status="draft"))


_BUILT: dict[int, Built] = {}  # one build per test session: the modules only read it


def build(tmp_path_factory, name: str = "channels") -> Built:
    if id(tmp_path_factory) in _BUILT:
        return _BUILT[id(tmp_path_factory)]
    _BUILT[id(tmp_path_factory)] = built = _build(tmp_path_factory, name)
    return built


def _build(tmp_path_factory, name: str) -> Built:
    root = tmp_path_factory.mktemp(name)
    p = Project(root)
    write_site(p)
    dev = build_site(root, False, root / "dev", HH_TODAY=TODAY)
    prod = build_site(root, True, root / "prod", HH_TODAY=TODAY)
    return Built(p, dev, prod)
