"""The follow-up after a sign-up (endpoint/follow_up.py), end to end with a real SMTP server (aiosmtpd) and a
controlled clock: the reminder after 5 working days with a Belgian holiday in between, the flag after 10, the
organisation's one-click answer recorded once, the volunteer's "did it lead to a match?" sent once, "still
open?" into the review queue and, approved, an edit of the vacancy file; the command run twice sends nothing
new; the stop links; erasure, retention and exports cover the new data."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from urllib.parse import urlencode, urlsplit

import pytest
import yaml

from endpoint_testing import FAR, Client, Clock, env, settings, signup
from hh_testing import vacancy
from hasselthelpt import cli
from hasselthelpt.content.loading import SafeLoader
from hasselthelpt.endpoint import follow_up, review, vacancy_changes
from hasselthelpt.endpoint.app import create_app, index_content
from hasselthelpt.endpoint.exports import export
from hasselthelpt.endpoint.outbox import Outbox
from hasselthelpt.endpoint.signup_facts import signup_facts
from hasselthelpt.endpoint.storage import UTC
from hasselthelpt.settings import TIMEZONE

SITE = "https://hasselthelpt.example"
SIGNED_UP = dt.datetime(2026, 11, 9, 10, 0, tzinfo=TIMEZONE)  # a Monday; Wednesday 11 November is a holiday
SAME = {"Sec-Fetch-Site": "same-origin"}
FORM = "application/x-www-form-urlencoded"


def at(day: int, month: int = 11, hour: int = 8) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TIMEZONE).astimezone(UTC)


@pytest.fixture
def clock():
    return Clock(SIGNED_UP.astimezone(UTC))


@pytest.fixture
def app(ep_project, clock, smtp, storage):
    extra = {"HH_SMTP_HOST": "127.0.0.1", "HH_SMTP_PORT": str(smtp.port)}
    return create_app(settings(ep_project.root, **extra), storage=storage, clock=clock)


def send(app, clock) -> int:
    return Outbox(app.storage, app.settings, clock).send_due()[0]


def text_of(message) -> str:
    return message.get_content().replace("\r\n", "\n") if not message.is_multipart() else \
        message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def link(message, route: str, **query: str) -> tuple[str, str]:
    """(path below the mount point, query) of the mail's link to this route (with these query values)."""
    for url in re.findall(rf"https?://\S+/api/opvolging/{route}\?\S+", text_of(message)):
        parts = urlsplit(url)
        if all(f"{k}={v}" in parts.query.split("&") for k, v in query.items()):
            return parts.path.removeprefix("/api"), parts.query
    raise AssertionError(f"no link to {route} {query} in:\n{text_of(message)}")


def run(app, root, clock, dry_run: bool = False):
    vacancies, _ = index_content(root)
    return follow_up.run(app.storage, vacancies, root, app.settings, "http://127.0.0.1:8000/api", clock(),
                         dry_run=dry_run)


def signed_up(app, clock, smtp) -> tuple:
    """A sign-up for 'kok' (contact an@buurtwerk.be): its two mails, sent."""
    assert Client(app).post(signup()).status == 303
    assert send(app, clock) == 2
    [org] = smtp.inbox.to("an@buurtwerk.be")
    [volunteer] = smtp.inbox.to("fatima@example.be")
    return org, volunteer


def test_working_days_skip_weekends_and_belgian_holidays():
    assert not follow_up.is_working_day(dt.date(2026, 11, 11))  # Wapenstilstand, a Wednesday
    assert not follow_up.is_working_day(dt.date(2026, 11, 14))  # a Saturday
    assert follow_up.is_working_day(dt.date(2026, 11, 12))
    # Mon 9 -> Tue 17: Tue 10, Thu 12, Fri 13, Mon 16 (not Wed 11)
    assert follow_up.working_days_between(dt.date(2026, 11, 9), dt.date(2026, 11, 17)) == 4
    assert follow_up.working_days_between(dt.date(2026, 12, 24), dt.date(2026, 12, 29)) == 1  # Christmas, weekend


def test_reminder_after_five_working_days_and_flag_after_ten(app, ep_project, clock, smtp):
    org, _ = signed_up(app, clock, smtp)
    text = text_of(org)
    for answer in follow_up.ORG_ANSWERS:  # the sign-up mail carries the one-click answers and a stop link
        assert link(org, "organisatie", a=answer)
    assert link(org, "stop", w="org") and "Geen mails meer over deze aanmelding?" in text

    clock.now = at(17)  # five working days only if the holiday counted
    assert run(app, ep_project.root, clock)[1]["reminders"] == 0
    clock.now = at(18)
    assert run(app, ep_project.root, clock)[1] == {"reminders": 1, "flags": 0, "volunteers": 0, "checks": 0}
    assert run(app, ep_project.root, clock)[1]["reminders"] == 0  # idempotent
    assert send(app, clock) == 1
    [_, reminder] = smtp.inbox.to("an@buurtwerk.be")
    assert reminder["Subject"] == "Herinnering: aanmelding voor Kok voor de buurtsoep"
    assert reminder["Reply-To"] == "fatima@example.be" and "fatima@example.be" in text_of(reminder)
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/api/opvolging/stop?w=org&t=" in reminder["List-Unsubscribe"]
    assert link(reminder, "organisatie", a="match") == link(org, "organisatie", a="match")

    clock.now = at(24)
    assert run(app, ep_project.root, clock)[1]["flags"] == 0 and follow_up.flagged(app.storage) == []
    clock.now = at(25)
    assert run(app, ep_project.root, clock)[1] == {"reminders": 0, "flags": 1, "volunteers": 0, "checks": 0}
    assert run(app, ep_project.root, clock)[1]["flags"] == 0
    [(record, state)] = follow_up.flagged(app.storage)
    assert record.id == 1 and state.reminded_at and state.flagged_at
    assert send(app, clock) == 0  # a flag is for the coaches' list, not a second reminder
    assert follow_up.handled(app.storage, 1, clock()) and follow_up.flagged(app.storage) == []


def test_a_match_click_is_recorded_once(app, ep_project, clock, smtp):
    org, _ = signed_up(app, clock, smtp)
    client = Client(app)
    path, query = link(org, "organisatie", a="match")
    for _ in range(2):  # a link scanner, then the person: a GET records nothing
        page = client.request("GET", path, query=query)
        assert page.status == 200 and 'method="post"' in page.text and "Match" in page.text
    assert follow_up.answer_of(app.storage, 1) == follow_up.Answer()
    answer = client.request("POST", path, b"", SAME, FORM, query)
    assert answer.status == 200 and "Genoteerd: Match" in answer.text
    first = follow_up.answer_of(app.storage, 1)  # on the sign-up, where the report reads it
    assert first == follow_up.Answer(clock(), "match")
    clock.advance(hours=2)
    again = client.request("POST", path, b"", SAME, FORM, query)
    assert again.status == 200 and "al genoteerd" in again.text
    assert follow_up.answer_of(app.storage, 1) == first
    # Another answer after the final one is not recorded either; the page says so.
    c_path, c_query = link(org, "organisatie", a="contact")
    assert "al genoteerd" in client.request("GET", c_path, query=c_query).text
    assert "al genoteerd" in client.request("POST", c_path, b"", SAME, FORM, c_query).text
    assert follow_up.answer_of(app.storage, 1).outcome == "match"
    # The button is the site's own: a cross-site post records nothing.
    g_path, g_query = link(org, "organisatie", a="geen-match")
    assert client.request("POST", g_path, b"", {"Sec-Fetch-Site": "cross-site"}, FORM, g_query).status == 403
    # A link's token is for its answer only, and a changed token does nothing.
    assert client.request("GET", path, query=g_query.replace("a=geen-match", "a=match")).status == 404
    assert client.request("GET", path, query=query[:-1] + ("0" if query[-1] != "0" else "1")).status == 404
    # Answered: no reminder, no flag.
    clock.now = at(30)
    assert run(app, ep_project.root, clock)[1] == {"reminders": 0, "flags": 0, "volunteers": 0, "checks": 0}


def test_contact_then_outcome_and_links_expire(app, ep_project, clock, smtp):
    org, _ = signed_up(app, clock, smtp)
    client = Client(app)
    c_path, c_query = link(org, "organisatie", a="contact")
    assert "Genoteerd" in client.request("POST", c_path, b"", SAME, FORM, c_query).text
    clock.advance(days=3)
    m_path, m_query = link(org, "organisatie", a="geen-match")
    assert "Genoteerd" in client.request("POST", m_path, b"", SAME, FORM, m_query).text
    assert follow_up.answer_of(app.storage, 1) == follow_up.Answer(at(9, hour=10), "geen-match")  # the first answer
    [fact] = signup_facts(app.storage)  # what the city's report reads
    assert fact.outcome == "geen-match" and fact.response_days == 0
    clock.advance(days=app.settings.follow_up.link_days)
    assert client.request("GET", m_path, query=m_query).status == 410


def test_the_volunteer_is_asked_once_with_a_free_text(app, ep_project, clock, smtp):
    signed_up(app, clock, smtp)
    clock.now = at(7, 12) - dt.timedelta(days=1)  # four weeks after 9 November is 7 December
    assert run(app, ep_project.root, clock)[1]["volunteers"] == 0
    clock.now = at(7, 12)
    assert run(app, ep_project.root, clock)[1]["volunteers"] == 1
    assert run(app, ep_project.root, clock)[1]["volunteers"] == 0
    assert send(app, clock) == 1
    mail = smtp.inbox.to("fatima@example.be")[-1]
    assert mail["Subject"] == "Werd het een match? Kok voor de buurtsoep"
    assert "/api/opvolging/stop?w=vrijwilliger&t=" in mail["List-Unsubscribe"]
    client = Client(app)
    path, query = link(mail, "vrijwilliger", a="match")
    page = client.request("GET", path, query=query)
    assert page.status == 200 and '<textarea id="note" name="note"' in page.text
    note = "Ik kook elke woensdag mee. <b>Leuk!</b>"
    body = urlencode({"note": note}).encode()
    assert "Genoteerd" in client.request("POST", path, body, SAME, FORM, query).text
    assert "al genoteerd" in client.request("POST", path, urlencode({"note": "anders"}).encode(), SAME, FORM,
                                            query).text
    state = follow_up.state(app.storage, 1)
    assert state.volunteer_answer == "match" and state.volunteer_note == note
    assert follow_up.answer_of(app.storage, 1) == follow_up.Answer(None, "match")  # a match, not an answer
    assert "<b>" not in client.request("GET", path, query=query).text  # pages never show raw text
    for days in (1, 7, 30):  # never a second follow-up mail about this sign-up
        clock.advance(days=days)
        assert run(app, ep_project.root, clock)[1]["volunteers"] == 0
    assert send(app, clock) == 0
    # The export for coaches carries the follow-up.
    text, _ = export(app.storage, "json", "aanmelding", None, "cli", clock())
    [row] = json.loads(text)
    assert row["opvolging.volunteer_note"] == note and row["opvolging.volunteer_answer"] == "match"
    assert row["opvolging.outcome"] == "match" and row["opvolging.answered_at"] is None


def test_stop_links_stop_the_mail_about_that_sign_up(app, ep_project, clock, smtp):
    org, volunteer = signed_up(app, clock, smtp)
    client = Client(app)
    # The volunteer's confirmation has a stop link: a one-click POST from the mail program, no site origin.
    path, query = link(volunteer, "stop", w="vrijwilliger")
    page = client.request("GET", path, query=query)
    assert page.status == 200 and "Stop de mails" in page.text
    assert follow_up.state(app.storage, 1).volunteer_stopped_at is None
    answer = client.request("POST", path, b"List-Unsubscribe=One-Click", content_type=FORM, query=query)
    assert answer.status == 200 and "geen mails meer" in answer.text
    # The organisation stops too.
    o_path, o_query = link(org, "stop", w="org")
    assert client.request("POST", o_path, b"", SAME, FORM, o_query).status == 200
    clock.now = at(18)
    assert run(app, ep_project.root, clock)[1]["reminders"] == 0
    clock.now = at(7, 12)
    counts = run(app, ep_project.root, clock)[1]
    assert counts["volunteers"] == 0 and counts["flags"] == 1  # the coaches still see it was never answered
    assert send(app, clock) == 0


def test_still_open_mail_review_item_and_approval_edit_the_file(app, ep_project, clock, smtp):
    clock.now = at(20)
    ending = ep_project.write("vacancies/soep.yaml", vacancy(
        title="Soep bedelen", valid_through=dt.date(2026, 12, 1), contact={"name": "Ria", "email": "ria@buurtwerk.be"}))
    ep_project.write("vacancies/oud-stuk.yaml", vacancy(
        title="Lang ongewijzigd", publish_from=dt.date(2026, 1, 5), valid_through=FAR,
        contact={"name": "Mo", "email": "mo@buurtwerk.be"}))
    os.utime(ep_project.root / "vacancies" / "oud-stuk.yaml", (at(5, 1).timestamp(),) * 2)
    app.reload_content()
    todo, counts = run(app, ep_project.root, clock, dry_run=True)
    assert counts["checks"] == 0 and [(v.slug, r, k) for v, r, k in todo.checks] == [
        ("oud-stuk", "unchanged", "2026-01-05"), ("soep", "valid_through", "2026-12-01")]
    assert follow_up.checks(app.storage) == []  # a dry run records nothing
    assert run(app, ep_project.root, clock)[1]["checks"] == 2
    assert run(app, ep_project.root, clock)[1]["checks"] == 0
    assert send(app, clock) == 2
    [mail] = smtp.inbox.to("ria@buurtwerk.be")
    assert mail["Subject"] == "Is je vacature nog open? Soep bedelen" and "01-12-2026" in text_of(mail)
    assert "/api/opvolging/vacature-stop?t=" in mail["List-Unsubscribe"]
    [old_mail] = smtp.inbox.to("mo@buurtwerk.be")
    assert "lang online zonder wijziging" in text_of(old_mail)

    client = Client(app)
    path, query = link(mail, "vacature")
    page = client.request("GET", path, query=query)
    assert page.status == 200 and 'type="date"' in page.text and 'value="volzet"' in page.text
    assert review.pending(app.storage) == [] and vacancy_changes.pending(app.storage) == []
    bad = urlencode({"answer": "open", "until": "2026-11-01"}).encode()
    assert client.request("POST", path, bad, SAME, FORM, query).status == 400  # a day gone by
    body = urlencode({"answer": "open", "until": "2027-03-31"}).encode()
    assert "Genoteerd" in client.request("POST", path, body, SAME, FORM, query).text
    assert "al genoteerd" in client.request("POST", path, urlencode({"answer": "sluiten"}).encode(), SAME, FORM,
                                            query).text
    [change] = vacancy_changes.pending(app.storage)
    assert change.data["answer"] == "open" and change.data["until"] == "2027-03-31"
    assert change.contact_email == "ria@buurtwerk.be"
    assert send(app, clock) == 1 and smtp.inbox.to("review@hasselt.example")[-1]["Subject"].startswith("Vacature om")
    before = ending.read_text(encoding="utf-8")
    assert "valid_through: '2026-12-01'" in before or "valid_through: 2026-12-01" in before

    shown = review.show(app.storage, ep_project.root, change.id, clock().date())
    assert "+ valid_through: 2027-03-31" in shown
    path_written = review.approve(app.storage, ep_project.root, change.id, clock().date(), clock(), SITE)
    assert path_written == ending
    after = ending.read_text(encoding="utf-8")
    assert yaml.load(after, Loader=SafeLoader)["valid_through"] == "2027-03-31"
    assert [line for line in after.splitlines() if not line.startswith("valid_through")] == \
        [line for line in before.splitlines() if not line.startswith("valid_through")]  # only that line changed
    assert app.storage.get(change.id).status == "approved"
    with pytest.raises(review.ReviewError):
        review.approve(app.storage, ep_project.root, change.id, clock().date(), clock(), SITE)
    assert send(app, clock) == 1 and "aangepast" in smtp.inbox.to("ria@buurtwerk.be")[-1]["Subject"]

    # "Filled": approved, the vacancy ends yesterday, so the site says 'afgelopen'.
    o_path, o_query = link(old_mail, "vacature")
    assert "Genoteerd" in client.request("POST", o_path, urlencode({"answer": "volzet"}).encode(), SAME, FORM,
                                         o_query).text
    [filled] = vacancy_changes.pending(app.storage)
    review.approve(app.storage, ep_project.root, filled.id, clock().date(), clock(), SITE)
    edited = yaml.load((ep_project.root / "vacancies" / "oud-stuk.yaml").read_text(encoding="utf-8"),
                       Loader=SafeLoader)
    assert edited["valid_through"] == (clock().date() - dt.timedelta(days=1)).isoformat()

    # Stop: no more "still open?" about that vacancy, even for a new reason.
    s_path, s_query = link(mail, "vacature-stop")
    assert client.request("POST", s_path, b"List-Unsubscribe=One-Click", content_type=FORM,
                          query=s_query).status == 200
    ep_project.write("vacancies/soep.yaml", vacancy(title="Soep bedelen", valid_through=dt.date(2026, 11, 30),
                                                    contact={"name": "Ria", "email": "ria@buurtwerk.be"}))
    assert run(app, ep_project.root, clock)[1]["checks"] == 0


def test_the_command_twice_sends_nothing_new(ep_project, clock, smtp, monkeypatch, capsys):
    for key, value in env(ep_project.root, HH_SITE_URL=SITE, HH_SMTP_HOST="127.0.0.1",
                          HH_SMTP_PORT=str(smtp.port)).items():
        monkeypatch.setenv(key, value)
    app = create_app(settings(ep_project.root, HH_SITE_URL=SITE, HH_SMTP_HOST="127.0.0.1",
                              HH_SMTP_PORT=str(smtp.port)), clock=clock)
    signed_up(app, clock, smtp)
    base = ["--project", str(ep_project.root), "follow-up", "--now", "2026-11-18T08:00"]
    assert cli.main([*base, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "reminder to the organisation: sign-up 1" in out and "dry run" in out
    assert cli.main(base) == 0
    assert "1 reminder(s)" in capsys.readouterr().out
    assert cli.main(base) == 0
    assert "0 reminder(s), 0 volunteer mail(s) and 0 'still open?' mail(s)" in capsys.readouterr().out
    clock.now = at(18, hour=9)
    assert send(app, clock) == 1
    reminder = smtp.inbox.to("an@buurtwerk.be")[-1]
    assert f"{SITE}/api/opvolging/organisatie?a=match&t=" in text_of(reminder)
    late = ["--project", str(ep_project.root), "follow-up", "--now", "2026-11-25T08:00"]
    assert cli.main(late) == 0 and "1 sign-up(s) flagged" in capsys.readouterr().out
    assert cli.main(["--project", str(ep_project.root), "follow-up", "--flagged"]) == 0
    assert "Fatima El Amrani <fatima@example.be>" in capsys.readouterr().out
    assert cli.main(["--project", str(ep_project.root), "review", "list"]) == 0
    assert "1 sign-up(s) without an answer" in capsys.readouterr().out

    # "Still open?" through the command, the answer in `review list`, approved with `review approve`.
    ep_project.write("vacancies/soep.yaml", vacancy(title="Soep", valid_through=dt.date(2026, 12, 1),
                                                    contact={"name": "Ria", "email": "ria@buurtwerk.be"}))
    app.reload_content()
    assert cli.main(late) == 0 and "1 'still open?' mail(s)" in capsys.readouterr().out
    clock.now = at(25, hour=9)
    assert send(app, clock) == 1
    path, query = link(smtp.inbox.to("ria@buurtwerk.be")[-1], "vacature")
    body = urlencode({"answer": "sluiten"}).encode()
    assert "Genoteerd" in Client(app).request("POST", path, body, SAME, FORM, query).text
    assert cli.main(["--project", str(ep_project.root), "review", "list"]) == 0
    out = capsys.readouterr().out
    assert "Changes of vacancies" in out and "change of 'Soep' (soep): sluiten" in out
    change = vacancy_changes.pending(app.storage)[0].id
    assert cli.main(["--project", str(ep_project.root), "review", "approve", str(change)]) == 0
    assert "wrote vacancies/soep.yaml" in capsys.readouterr().out
    written = yaml.load((ep_project.root / "vacancies" / "soep.yaml").read_text(encoding="utf-8"), Loader=SafeLoader)
    yesterday = dt.datetime.now(TIMEZONE).date() - dt.timedelta(days=1)  # `review approve` runs on the real clock
    assert written["valid_through"] == yesterday.isoformat()


def test_erasure_and_retention_include_the_follow_up(app, ep_project, clock, smtp):
    org, _ = signed_up(app, clock, smtp)
    client = Client(app)
    path, query = link(org, "organisatie", a="contact")
    client.request("POST", path, b"", SAME, FORM, query)
    ep_project.write("vacancies/soep.yaml", vacancy(title="Soep", valid_through=dt.date(2026, 11, 20),
                                                    contact={"name": "Ria", "email": "ria@buurtwerk.be"}))
    app.reload_content()
    assert run(app, ep_project.root, clock)[1]["checks"] == 1
    text, count = export(app.storage, "json", "vacaturecheck", None, "cli", clock())
    assert count == 1 and json.loads(text)[0]["contact_email"] == "ria@buurtwerk.be"
    assert follow_up.stop(app.storage, app.storage.get(1), "vrijwilliger", clock()) and follow_up.states(app.storage)
    counts = app.storage.erase(clock(), email="fatima@example.be")
    assert counts["submissions"] == 1 and follow_up.states(app.storage) == {}
    counts = app.storage.erase(clock(), email="RIA@buurtwerk.be")
    assert counts["checks"] == 1 and follow_up.checks(app.storage) == []
    # Retention: a sign-up's follow-up and old questions go with the purge.
    signed_up_again = client.post(signup(email="jan@example.be", name="Jan"))
    assert signed_up_again.status == 303
    assert run(app, ep_project.root, clock)[1]["checks"] == 1
    follow_up.record_volunteer_answer(app.storage, app.storage.records(kind="aanmelding")[0].id, "match", "Fijn",
                                      clock())
    assert follow_up.states(app.storage)
    clock.advance(days=400)
    counts = app.storage.purge(clock() - dt.timedelta(days=365), clock())
    assert counts["submissions"] == 1 and counts["checks"] == 1
    assert follow_up.states(app.storage) == {} and follow_up.checks(app.storage) == []


def test_a_vacancy_file_last_changed_at_its_newest_commit(tmp_path):
    import subprocess

    repo, root = tmp_path / "repo", tmp_path / "repo" / "site"  # the project may be a folder of the repository
    (root / "vacancies").mkdir(parents=True)
    committed, edited = root / "vacancies" / "a.yaml", root / "vacancies" / "b.yaml"
    committed.write_text("title: A\n")
    edited.write_text("title: B\n")
    dates = {"GIT_AUTHOR_DATE": "2026-01-05T10:00:00+01:00", "GIT_COMMITTER_DATE": "2026-01-05T10:00:00+01:00"}
    git = lambda *args: subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,  # noqa: E731
                                       env={**os.environ, **dates})
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.be", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.be", "commit", "-qm", "vacancies")
    edited.write_text("title: B, changed\n")  # not committed: its modification time counts
    today = dt.date(2026, 11, 20)
    changed = follow_up.last_changes(root, [committed, edited], today)
    assert changed == {committed: dt.date(2026, 1, 5), edited: today}


def test_without_a_vacancy_address_the_matchers_are_reminded_and_not_asked(app, ep_project, clock, smtp):
    assert Client(app).post(signup(vacancy="chauffeur")).status == 303
    assert send(app, clock) == 2
    [first] = smtp.inbox.to("matchers@hasselt.example")
    assert link(first, "organisatie", a="contact")
    ep_project.write("vacancies/chauffeur.yaml", vacancy(title="Chauffeur", valid_through=dt.date(2026, 11, 20),
                                                         contact={"name": "Bart", "phone": "011 22 33 44"}))
    app.reload_content()
    clock.now = at(18)
    todo, counts = run(app, ep_project.root, clock)
    assert counts == {"reminders": 1, "flags": 0, "volunteers": 0, "checks": 0}
    assert any("Chauffeur" in why and "no e-mail address" in why for why in todo.skipped)
    assert send(app, clock) == 1
    assert smtp.inbox.to("matchers@hasselt.example")[-1]["Subject"] == "Herinnering: aanmelding voor Chauffeur"
