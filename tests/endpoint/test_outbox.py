"""Notifications through the outbox, against a real SMTP server on loopback (aiosmtpd): delivered with the
right headers, and an outage delays mail but loses none."""

from __future__ import annotations

import datetime as dt
import time

from endpoint_testing import Client, app_for, appointment, env, free_port, post_form, serving, signup
from hasselthelpt import cli
from hasselthelpt.endpoint.mails import HEADER_LIMIT
from hasselthelpt.endpoint.outbox import PERMANENT_TRIES, Outbox, backoff, start_thread
from hasselthelpt.endpoint.storage import UTC, Mail, NewSubmission


def smtp_env(smtp) -> dict[str, str]:
    return {"HH_SMTP_HOST": "127.0.0.1", "HH_SMTP_PORT": str(smtp.port), "HH_OUTBOX_RETRY": "30/3600"}


def test_mails_reach_the_contact_and_the_volunteer(ep_project, clock, smtp):
    app = app_for(ep_project.root, clock, **smtp_env(smtp))
    assert Client(app).post(signup(under_18="ja")).status == 303
    assert Outbox(app.storage, app.settings, clock).send_due() == (2, 0)
    [to_contact] = smtp.inbox.to("an@buurtwerk.be")
    assert to_contact["Subject"] == "Nieuwe aanmelding: Kok voor de buurtsoep"
    assert to_contact["Reply-To"] == "fatima@example.be"
    assert to_contact["From"] == "HASSELT Helpt <vrijwilligers@hasselthelpt.example>"
    body = to_contact.get_content().replace("\r\n", "\n")
    assert "Fatima El Amrani" in body and "0470 12 34 56" in body and "Jonger dan 18 jaar: ja" in body
    assert "Ik kook graag.\nVooral soep." in body
    [confirmation] = smtp.inbox.to("fatima@example.be")
    assert "An neemt binnen een week contact" in confirmation.get_content()
    state = app.storage.outbox_state()
    assert state.pending == 0 and state.sent == 2
    with app.storage.transaction(write=False) as cur:  # a sent mail's text is not kept
        assert cur.all("SELECT COUNT(*) FROM outbox WHERE body IS NOT NULL")[0][0] == 0


def test_an_smtp_outage_delays_mail_but_loses_none(ep_project, clock, smtp):
    app = app_for(ep_project.root, clock, **smtp_env(smtp))
    outbox = Outbox(app.storage, app.settings, clock)
    client = Client(app)
    smtp.stop()  # the mail server goes down
    for n in range(3):
        assert client.post(signup(submission_id=f"outage-{n:04d}", name=f"Vrijwilliger {n}")).status == 303
    assert client.post(appointment()).status == 303  # sign-ups are still taken
    assert outbox.send_due() == (0, 8)
    state = app.storage.outbox_state()
    assert state.pending == 8 and all(attempts == 1 for _, attempts, _, _ in state.failing)
    assert "Connection refused" in state.failing[0][3] or "ConnectionRefused" in state.failing[0][3]
    clock.advance(seconds=10)
    assert outbox.send_due() == (0, 0)  # backing off: not due yet
    clock.advance(seconds=25)
    assert outbox.send_due() == (0, 8)  # second attempt, still down: next in 60 s
    assert all(attempts == 2 for _, attempts, _, _ in app.storage.outbox_state().failing)
    smtp.start()  # the mail server is back
    assert outbox.send_due() == (0, 0)
    clock.advance(seconds=61)
    assert outbox.send_due() == (8, 0)
    assert app.storage.outbox_state().pending == 0
    subjects = sorted(m["Subject"] for m in smtp.inbox.messages)
    assert subjects.count("Nieuwe aanmelding: Kok voor de buurtsoep") == 3
    assert subjects.count("Je aanmelding: Kok voor de buurtsoep") == 3
    assert subjects.count("Nieuwe vraag voor een afspraak") == 1 and len(subjects) == 8  # each exactly once
    assert {m["To"] for m in smtp.inbox.messages if "aanmelding:" in m["Subject"] and m["To"] != "an@buurtwerk.be"} \
        == {"fatima@example.be"}


def test_backoff_doubles_up_to_the_largest_delay():
    assert [backoff(n, 30, 3600) for n in (1, 2, 3, 4, 8, 20)] == [30, 60, 120, 240, 3600, 3600]


def refuse(smtp, prefix: str, answer: str) -> None:
    """Make the SMTP server refuse the recipients whose address starts with `prefix`, with `answer`."""
    async def handle_rcpt(server, session, envelope, address, rcpt_options):
        if address.startswith(prefix):
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.inbox.handle_RCPT = handle_rcpt
    smtp.stop()
    smtp.start()


def test_a_refused_recipient_does_not_block_the_others(ep_project, clock, smtp):
    refuse(smtp, "fatima", "550 No such user")
    app = app_for(ep_project.root, clock, **smtp_env(smtp))
    assert Client(app).post(signup()).status == 303
    assert Outbox(app.storage, app.settings, clock).send_due() == (1, 1)
    assert [m["To"] for m in smtp.inbox.messages] == ["an@buurtwerk.be"]
    assert app.storage.outbox_state().pending == 1  # kept for a retry


def test_the_outbox_thread_sends_right_after_a_submission_over_http(ep_project, smtp):
    app = app_for(ep_project.root, **smtp_env(smtp))
    app.clock = lambda: dt.datetime.now(UTC)  # real time: the thread waits for real
    stop, wake = start_thread(Outbox(app.storage, app.settings, app.clock), idle_seconds=30)
    app.on_stored = wake.set
    try:
        with serving(app) as url:
            answer = post_form(url + "/aanmelding", signup(), {"Sec-Fetch-Site": "same-origin"})
            assert answer.status == 303
            deadline = time.monotonic() + 10
            while len(smtp.inbox.messages) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        stop.set()
        wake.set()
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["an@buurtwerk.be", "fatima@example.be"]


def test_outbox_command_reports_waiting_mail(ep_project, clock, capsys, monkeypatch):
    for key, value in env(ep_project.root, HH_SMTP_HOST="127.0.0.1", HH_SMTP_PORT=str(free_port())).items():
        monkeypatch.setenv(key, value)
    app = app_for(ep_project.root, clock)
    assert Client(app).post(signup()).status == 303
    assert cli.main(["--project", str(ep_project.root), "outbox", "--send"]) == 0
    out = capsys.readouterr().out
    assert "Sent 0 mail(s); 2 failed" in out and "Outbox: 2 waiting, 0 sent, 0 dead." in out and "mail 1: 1 failed" in out


def test_any_stored_subject_is_sent_one_line_encoded_and_cut(ep_project, clock, smtp):
    """Mails already in the outbox with a hostile subject (every kind of line break, NUL, 5,000 characters of
    Arabic, an emoji) are delivered; the subject is one readable line of at most HEADER_LIMIT characters."""
    app = app_for(ep_project.root, clock, **smtp_env(smtp))
    subject = "Nieuw:\r\nBcc: x@evil.example\u2029\x00" + "متطوع 🍲 " * 625
    app.storage.add_submission(NewSubmission("aanmelding", "hostile", {}, "1.3"),
                               [Mail("an@buurtwerk.be", subject, "Tekst\u2028met\u0085scheiding")], clock())
    assert Outbox(app.storage, app.settings, clock).send_due() == (1, 0)
    [message] = smtp.inbox.messages
    got = message["Subject"]
    assert got.startswith("Nieuw: Bcc: x@evil.example متطوع 🍲 متطوع") and got.endswith("…")
    assert len(got) <= HEADER_LIMIT and "\n" not in got and message["Bcc"] is None
    raw = message.as_bytes()
    assert all(len(line) <= 998 for line in raw.split(b"\n")), "folded as RFC 5322 asks"


def test_a_permanently_refused_mail_becomes_a_dead_letter_and_can_be_retried(ep_project, clock, smtp, capsys,
                                                                              monkeypatch):
    refuse(smtp, "fatima", "550 5.1.1 No such user here")
    app = app_for(ep_project.root, clock, **smtp_env(smtp))
    outbox = Outbox(app.storage, app.settings, clock)
    assert Client(app).post(signup()).status == 303
    for attempt in range(1, PERMANENT_TRIES + 1):
        assert outbox.send_due() == ((1, 1) if attempt == 1 else (0, 1))
        clock.advance(hours=2)
    assert outbox.send_due() == (0, 0), "given up: not tried again"
    state = app.storage.outbox_state()
    [dead] = state.dead
    assert state.pending == 0 and dead.to == "fatima@example.be" and dead.attempts == PERMANENT_TRIES
    assert "550" in dead.reason and "No such user" in dead.reason
    assert dead.subject == "Je aanmelding: Kok voor de buurtsoep"

    for key, value in env(ep_project.root, **smtp_env(smtp)).items():
        monkeypatch.setenv(key, value)
    assert cli.main(["--project", str(ep_project.root), "outbox"]) == 0
    out = capsys.readouterr().out
    assert "Outbox: 0 waiting, 1 sent, 1 dead." in out
    assert f"mail {dead.id} to fatima@example.be, 'Je aanmelding: Kok voor de buurtsoep'" in out
    assert "550 5.1.1 No such user here" in out and "--retry" in out

    del smtp.inbox.handle_RCPT  # the address is fixed: the server takes it now
    smtp.stop()
    smtp.start()
    assert cli.main(["--project", str(ep_project.root), "outbox", "--retry", "999"]) == 1
    assert cli.main(["--project", str(ep_project.root), "outbox", "--retry", str(dead.id), "--send"]) == 0
    out = capsys.readouterr().out
    assert "Queued 1 dead letter(s) again." in out and "Sent 1 mail(s)" in out and "0 dead" in out
    assert [m["To"] for m in smtp.inbox.messages] == ["an@buurtwerk.be", "fatima@example.be"]


def test_a_mail_that_cannot_be_built_is_given_up_and_the_others_still_go(ep_project, clock, smtp):
    app = app_for(ep_project.root, clock, **smtp_env(smtp))
    app.storage.add_submission(NewSubmission("aanmelding", "broken", {}, "1.3"), [
        Mail("an@buurtwerk.be\nBcc: iedereen@example.be", "Kapot", "Een adres met een regeleinde"),
        Mail("an@buurtwerk.be", "Heel", "Gewone tekst")], clock())
    outbox = Outbox(app.storage, app.settings, clock)
    assert outbox.send_due() == (1, 1)
    for _ in range(PERMANENT_TRIES - 1):
        clock.advance(hours=2)
        assert outbox.send_due() == (0, 1)
    [dead] = app.storage.outbox_state().dead
    assert dead.subject == "Kapot" and "not one mail address" in dead.reason
    assert [m["Subject"] for m in smtp.inbox.messages] == ["Heel"]
