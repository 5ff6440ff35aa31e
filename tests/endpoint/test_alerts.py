"""Vacancy alerts end to end, with a real SMTP server (aiosmtpd) and a controlled clock: subscribe, nothing
before the double opt-in, confirm, the digest with only new matching vacancies and never twice, and both
ways to stop (the List-Unsubscribe one-click POST, and the link)."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlencode, urlsplit

import pytest

from endpoint_testing import FAR, SECRET, Client, env, settings
from hh_testing import vacancy
from hasselthelpt import cli
from hasselthelpt.content.loading import load_corpus
from hasselthelpt.endpoint import alerts, digest
from hasselthelpt.endpoint.app import create_app
from hasselthelpt.endpoint.outbox import Outbox

SITE = "https://hasselthelpt.example"


def alert_form(**changes) -> dict:
    data = {"form": "alert", "email": "Mila@Example.be", "frequency": "week", "thema": ["buurt-en-samenleven"],
            "deelgemeente": ["kermt"], "website": "", "consent": "ja", "privacy_version": "1.2", "token": "",
            "submission_id": ""}
    return {**data, **changes}


@pytest.fixture
def alert_app(ep_project, clock, smtp, storage):
    extra = {"HH_SMTP_HOST": "127.0.0.1", "HH_SMTP_PORT": str(smtp.port)}
    return create_app(settings(ep_project.root, **extra), storage=storage, clock=clock)


def send(app, clock) -> int:
    return Outbox(app.storage, app.settings, clock).send_due()[0]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def link(message, route: str) -> tuple[str, str]:
    """(path below the mount point, query) of the mail's link to this route."""
    url = re.search(rf"https?://\S+/api/alert/{route}\?t=[\w.]+", text_of(message)).group(0)
    parts = urlsplit(url)
    return parts.path.removeprefix("/api"), parts.query


def run_digest(app, root, clock) -> dict:
    corpus, errors = load_corpus(root)
    assert not errors
    return digest.run(app.storage, corpus, app.settings.secret, SITE, "http://127.0.0.1:8000/api", clock())


def confirmed(app, ep_project, clock, smtp) -> Client:
    client = Client(app)
    assert client.post(alert_form()).status == 200
    assert send(app, clock) == 1
    path, query = link(smtp.inbox.messages[-1], "bevestig")
    assert client.request("POST", path, query=query, headers={"Sec-Fetch-Site": "same-origin"}).status == 200
    return client


def test_subscribe_confirm_digest_and_one_click_stop(alert_app, ep_project, clock, smtp):
    app, client = alert_app, Client(alert_app)
    answer = client.post(alert_form())
    assert answer.status == 200 and "Kijk in je mailbox" in answer.text
    assert send(app, clock) == 1
    [confirmation] = smtp.inbox.messages
    assert confirmation["To"] == "mila@example.be" and confirmation["Subject"].startswith("Bevestig")
    assert "Buurt en samenleven" in text_of(confirmation) or "Thema" in text_of(confirmation)
    assert confirmation.get_body(("html",)) is not None

    # A matching vacancy appears, but nothing is sent before the confirmation.
    ep_project.write("vacancies/nieuw-kermt.yaml", vacancy(title="Nieuw in Kermt", valid_through=FAR,
                                                           publish_from=dt.date(2026, 11, 29)))
    clock.advance(days=1)
    assert run_digest(app, ep_project.root, clock)["due"] == 0
    assert send(app, clock) == 0

    # The link's GET shows a page with a button (scanners that follow links confirm nothing); POST confirms.
    path, query = link(confirmation, "bevestig")
    page = client.request("GET", path, query=query)
    assert page.status == 200 and 'method="post"' in page.text
    assert alerts.subscriptions(app.storage)[0].confirmed_at is None
    answer = client.request("POST", path, query=query, headers={"Sec-Fetch-Site": "same-origin"})
    assert answer.status == 200 and "bevestigd" in answer.text
    assert alerts.subscriptions(app.storage)[0].confirmed_at is not None
    # The page it answers with changes the subscription (its forms carry the manage token, not this one).
    action = re.search(r'action="/api(/alert/beheer)\?(t=[\w.]+)"', answer.text)
    assert action and action.group(2) != query
    assert client.request("POST", action.group(1), b"frequency=week", {"Sec-Fetch-Site": "same-origin"},
                          "application/x-www-form-urlencoded", action.group(2)).status == 200

    ep_project.write("vacancies/nieuw-kermt.yaml", vacancy(title="Nieuw in Kermt", valid_through=FAR,
                                                           publish_from=dt.date(2026, 11, 30)))
    ep_project.write("vacancies/nieuw-kuringen.yaml", vacancy(
        title="Nieuw in Kuringen", valid_through=FAR, publish_from=dt.date(2026, 11, 30),
        place={"address": "Markt 1, 3511 Kuringen", "deelgemeente": "kuringen"}))
    clock.advance(days=3)
    assert run_digest(app, ep_project.root, clock)["due"] == 0  # a week after the confirmation, not sooner
    clock.advance(days=4)
    assert run_digest(app, ep_project.root, clock) == {"due": 1, "mails": 1, "expired": 0}
    assert run_digest(app, ep_project.root, clock) == {"due": 0, "mails": 0, "expired": 0}  # idempotent
    assert send(app, clock) == 1
    mail = smtp.inbox.messages[-1]
    text = text_of(mail)
    assert "Nieuw in Kermt" in text and f"{SITE}/vacatures/nieuw-kermt/" in text
    assert "Kuringen" not in text and "Kok voor de buurtsoep" not in text  # other place; published before
    assert f"{SITE}/zoeken/?thema=buurt-en-samenleven&deelgemeente=kermt" in text or \
        f"{SITE}/zoeken/?deelgemeente=kermt&thema=buurt-en-samenleven" in text
    html_part = mail.get_body(("html",)).get_content()
    assert f'<a href="{SITE}/vacatures/nieuw-kermt/">Nieuw in Kermt</a>' in html_part
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop_url = mail["List-Unsubscribe"].strip().strip("<>")
    assert stop_url.startswith("http://127.0.0.1:8000/api/alert/stop?t=")

    # A week with nothing new: no mail, and the vacancy already sent never comes again.
    clock.advance(days=7)
    assert run_digest(app, ep_project.root, clock) == {"due": 1, "mails": 0, "expired": 0}
    assert send(app, clock) == 0

    # RFC 8058: the mail program posts from its own server, without the site's origin.
    parts = urlsplit(stop_url)
    answer = client.request("POST", parts.path.removeprefix("/api"), b"List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded", query=parts.query)
    assert answer.status == 200 and "gestopt" in answer.text
    assert alerts.subscriptions(app.storage) == []
    assert client.request("GET", parts.path.removeprefix("/api"), query=parts.query).status == 404


def test_stop_by_the_link_and_change_frequency(alert_app, ep_project, clock, smtp):
    app = alert_app
    client = confirmed(app, ep_project, clock, smtp)
    confirmation = smtp.inbox.messages[-1]
    # The confirmation page is the manage page; its links use the manage token.
    sub = alerts.subscriptions(app.storage)[0]
    manage = alerts.links(app.settings.secret, "http://x/api", sub)
    query = urlsplit(manage["manage"]).query
    page = client.request("GET", "/alert/beheer", query=query)
    assert page.status == 200 and 'value="week" checked' in page.text
    body = urlencode({"frequency": "maand"}).encode()
    same = {"Sec-Fetch-Site": "same-origin"}
    assert client.request("POST", "/alert/beheer", body, same, "application/x-www-form-urlencoded",
                          query).status == 200
    assert alerts.subscriptions(app.storage)[0].frequency == "maand"
    # A token for confirming does not stop, and a changed token does nothing.
    _, confirm_query = link(confirmation, "bevestig")
    assert client.request("GET", "/alert/stop", query=confirm_query).status == 404
    assert client.request("GET", "/alert/stop", query=query[:-1] + ("0" if query[-1] != "0" else "1")).status == 404
    # The link: a page with one button, then POST.
    page = client.request("GET", "/alert/stop", query=query)
    assert page.status == 200 and "Stop deze alert" in page.text
    assert alerts.subscriptions(app.storage)
    assert client.request("POST", "/alert/stop", b"", same, "application/x-www-form-urlencoded",
                          query).status == 200
    assert alerts.subscriptions(app.storage) == []


def test_guards_apply_to_subscribing(alert_app, clock):
    client = Client(alert_app)
    assert client.post(alert_form(website="http://spam.example")).status == 400
    assert client.post(alert_form(), headers={"Sec-Fetch-Site": "cross-site"}).status == 403
    assert client.post(alert_form(consent="")).status == 400
    assert client.post(alert_form(email="geen-adres")).status == 400
    assert client.post(alert_form(thema=["bestaat-niet"])).status == 400
    answer = client.post(alert_form(), as_json=True)
    assert answer.status == 200 and answer.json()["ok"]
    assert len(alerts.subscriptions(alert_app.storage)) == 1
    client.post(alert_form(), as_json=True)  # the same alert again: one subscription, a new confirmation
    assert len(alerts.subscriptions(alert_app.storage)) == 1


def test_rate_limit_applies(ep_project, clock):
    app = create_app(settings(ep_project.root, HH_RATE_LIMIT="2/600"), clock=clock)
    client = Client(app)
    assert [client.post(alert_form()).status for _ in range(3)] == [200, 200, 429]


def test_unconfirmed_alerts_expire(alert_app, ep_project, clock, smtp):
    app, client = alert_app, Client(alert_app)
    client.post(alert_form())
    clock.advance(days=alerts.CONFIRM_DAYS, hours=1)
    assert run_digest(app, ep_project.root, clock)["expired"] == 1
    assert alerts.subscriptions(app.storage) == []
    assert send(app, clock) == 0  # the confirmation, never sent, went with it


def test_erasure_and_export_cover_alerts(alert_app, ep_project, clock, smtp):
    from hasselthelpt.endpoint.exports import export

    app = alert_app
    confirmed(app, ep_project, clock, smtp)
    text, count = export(app.storage, "json", "alert", None, "cli", clock())
    [row] = json.loads(text)
    assert count == 1 and row["email"] == "mila@example.be" and row["filter.deelgemeente"] == ["kermt"]
    counts = app.storage.erase(clock(), email="MILA@example.be")
    assert counts["alerts"] == 1 and counts["mails"] == 1
    assert alerts.subscriptions(app.storage) == []


def test_digest_command_with_now(ep_project, clock, smtp, monkeypatch, capsys):
    for key, value in env(ep_project.root, HH_SITE_URL=SITE).items():
        monkeypatch.setenv(key, value)
    app = create_app(settings(ep_project.root, HH_SITE_URL=SITE, HH_SMTP_HOST="127.0.0.1",
                              HH_SMTP_PORT=str(smtp.port)), clock=clock)
    confirmed(app, ep_project, clock, smtp)
    ep_project.write("vacancies/nieuw.yaml", vacancy(title="Nieuw", valid_through=FAR,
                                                     publish_from=dt.date(2026, 12, 1)))
    args = ["--project", str(ep_project.root), "digest", "--now", "2026-12-04T09:00"]
    assert cli.main(args) == 0
    assert "1 mail(s) queued" in capsys.readouterr().out
    assert cli.main(args) == 0
    assert "0 mail(s) queued" in capsys.readouterr().out
    clock.advance(days=7)  # the mails are due from --now on
    assert send(app, clock) == 1
    assert "/api/alert/stop?t=" in smtp.inbox.messages[-1]["List-Unsubscribe"]


def test_matching_is_the_search_filters():
    facets = frozenset({("thema", "jeugd"), ("deelgemeente", "kermt"), ("soort", "structureel")})
    assert digest.matches({}, facets)
    assert digest.matches({"thema": ["jeugd", "sport"]}, facets)  # any value within a filter
    assert not digest.matches({"thema": ["jeugd"], "deelgemeente": ["kuringen"]}, facets)  # all filters
    assert alerts.next_day("maand", dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert alerts.next_day("week", dt.date(2027, 1, 31)) == dt.date(2027, 2, 7)
    token = alerts.sign(SECRET.encode(), "manage", 5, "a@b.be")
    assert alerts.token_id(SECRET.encode(), "manage", token, lambda i: "a@b.be") == 5
    assert alerts.token_id(SECRET.encode(), "manage", token, lambda i: "c@d.be") is None
    assert alerts.token_id(SECRET.encode(), "confirm", token, lambda i: "a@b.be") is None


def test_a_digest_shows_at_most_max_items_and_links_the_full_list():
    sub = alerts.Subscription(3, "a@b.be", {"thema": ["jeugd"]}, "maand", dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc),
                              None, dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    items = [digest.NewVacancy(f"v{i}", f"Vacature {i}", "Org", dt.date(2026, 11, 20), frozenset())
             for i in range(digest.MAX_ITEMS + 2)]
    urls = alerts.links(SECRET.encode(), f"{SITE}/api", sub)
    mail = digest.digest_mail(sub, items, SITE, urls, "Thema: Jeugd")
    assert mail.body.count(f"{SITE}/vacatures/v") == digest.MAX_ITEMS and "nog 2" in mail.body
    assert f"{SITE}/zoeken/?thema=jeugd" in mail.body and mail.html.count("<li>") == digest.MAX_ITEMS
    assert mail.subject == f"{digest.MAX_ITEMS + 2} nieuwe vacatures bij HASSELT Helpt"
    assert ("List-Unsubscribe", f"<{urls['stop']}>") in mail.headers and "elke maand" in mail.body
    assert digest.full_list_url(SITE, {"organisatie": ["buurtwerk"]}) == f"{SITE}/organisaties/buurtwerk/"
