"""Helpers of the report's tests (tests/test_report.py, tests/browser/test_browser_report.py): a small project
and a generated set of sign-ups in a real SQLite store, with answers and outcomes as the follow-up work records
them (the columns of hasselthelpt/endpoint/answer_migrations.py)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from hh_testing import Project, organisation, vacancy

from hasselthelpt.endpoint.storage import UTC, NewSubmission, SQLiteStorage, stamp
from hasselthelpt.settings import TIMEZONE

TODAY = dt.date(2026, 11, 27)
# An organisation name an attacker might choose: markup, a spreadsheet formula, quotes and an ampersand.
HOSTILE_NAME = '=HYPERLINK("http://x.example")<script>alert(1)</script> & "Co"'
# vacancy slug -> (themes, where, organisation); where: a deelgemeente, or thuis / verschillende-plaatsen
VACANCIES = {
    "kok": (["buurt-en-samenleven", "armoede-en-voedsel"], "kermt", "buurtwerk"),
    "chauffeur": (["zorg-en-welzijn"], "kiewit", "buurtwerk"),
    "voorlezer": (["jeugd", "taal-en-onderwijs"], "thuis", "leesclub"),
    "gids": (["cultuur-en-erfgoed"], "verschillende-plaatsen", "erfgoed"),
    "tuinier": (["natuur-en-milieu"], "runkst", "erfgoed"),
    "stil": (["dieren"], "stevoort", "leesclub"),  # open, never a sign-up
    "oud": (["sport-en-beweging"], "kuringen", "leesclub"),  # closed, never a sign-up: in no list
}
ORGANISATIONS = {"buurtwerk": "Buurtwerk Kermt", "leesclub": HOSTILE_NAME, "erfgoed": "Vrienden van het erfgoed"}
GONE = "verdwenen"  # sign-ups for a vacancy whose file was removed since
SIGNED_UP = ("kok", "chauffeur", "voorlezer", "gids", "tuinier", GONE)
NEVER_ANSWERED = "tuinier"  # its sign-ups never get an answer
PERSON = {"name": "Geheime Naam", "email": "geheim@example.be", "phone": "0470 99 88 77",
          "message": "Mijn verhaal is privé"}


@dataclass(frozen=True)
class Generated:
    vacancy: str
    created: dt.datetime
    answered: dt.datetime | None
    outcome: str | None


def make_project(root: Path) -> Project:
    p = Project(root)
    for slug, name in ORGANISATIONS.items():
        p.write(f"content/organisations/{slug}.yaml", organisation(name=name))
    for slug, (themes, where, org) in VACANCIES.items():
        place = {"place": {"address": "Kerkstraat 1, 3500 Hasselt", "deelgemeente": where}} \
            if where not in ("thuis", "verschillende-plaatsen") else {"location": where, "place": None}
        data = vacancy(title=f"Vacature {slug}", organisation=org, themes=themes, **place)
        if slug == "oud":
            data.update(publish_from=dt.date(2025, 1, 1), valid_through=dt.date(2025, 12, 31))
        if data.get("place") is None:
            data.pop("place")
        p.write(f"vacancies/{slug}.yaml", data)
    return p


def generate(storage: SQLiteStorage, count: int = 240, seed: int = 13) -> list[Generated]:
    """Sign-ups over about nine months (one month without any), through the storage's own add_submission, and
    for most of them an answer some hours to days later, stored as the follow-up work does."""
    rnd = random.Random(seed)
    start = dt.datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
    made = []
    for i in range(count):
        created = start + dt.timedelta(minutes=rnd.randrange(0, 60 * 24 * 290))
        if created.astimezone(TIMEZONE).month == 5:  # May stays empty: the report still lists it, with zeros
            created += dt.timedelta(days=31)
        slug = rnd.choice(SIGNED_UP)
        person = {**PERSON, "name": f"{PERSON['name']} {i}"}
        sub_id, _ = storage.add_submission(
            NewSubmission("aanmelding", f"gen-{seed}-{i}", {"vacancy": slug, **person}, "1.4",
                          email=f"geheim{i}@example.be", phone=PERSON["phone"], vacancy=slug), [], created)
        answered = outcome = None
        if slug != NEVER_ANSWERED and rnd.random() < 0.75:
            answered = created + dt.timedelta(minutes=rnd.randrange(30, 60 * 24 * 15))
            outcome = rnd.choice(["contact", "match", "geen-match"])
            record_answer(storage, sub_id, answered, outcome)
        made.append(Generated(slug, created, answered, outcome))
    # some sign-ups of another kind, which the report must not count
    storage.add_submission(NewSubmission("afspraak", f"gen-{seed}-afspraak", {"name": "X"}, "1.4",
                                         email="x@example.be"), [], start)
    return made


def record_answer(storage: SQLiteStorage, submission_id: int, at: dt.datetime, outcome: str) -> None:
    """What the follow-up work stores when an organisation answers (its own code may differ; the columns don't)."""
    with storage.transaction() as cur:
        cur.run("UPDATE submissions SET answered_at = ?, outcome = ? WHERE id = ?",
                (stamp(at), outcome, submission_id))
