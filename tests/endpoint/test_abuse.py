"""Abuse defences: minimum fill time (signed tokens), idempotent submissions, the per-client rate limit, the
cross-site check, mail header injection."""

from __future__ import annotations

import datetime as dt

import pytest

from endpoint_testing import Client, app_for, appointment, settings, signup
from hasselthelpt.endpoint import create_app
from hasselthelpt.endpoint.guard import FormTokens, RateLimiter, client_address, cross_site
from hasselthelpt.endpoint.mails import build_message


@pytest.fixture
def app(ep_project, clock):
    return app_for(ep_project.root, clock)


def token_of(client: Client) -> str:
    answer = client.request("GET", "/formtoken", headers={"Accept": "application/json"})
    assert answer.status == 200 and answer.headers["Cache-Control"] == "no-store"
    data = answer.json()
    assert data["min_seconds"] == 3
    return data["token"]


def test_a_form_sent_too_fast_is_refused(app, clock):
    client = Client(app)
    token = token_of(client)
    clock.advance(seconds=1)
    answer = client.post(signup(token=token), as_json=True)
    assert answer.status == 400 and "heel snel" in answer.json()["message"]
    assert app.storage.count() == 0
    clock.advance(seconds=3)  # a person who waits a moment gets through with the same token
    assert client.post(signup(token=token), as_json=True).status == 200


def test_without_a_valid_token_the_form_is_accepted_leniently(app, clock):
    """No JavaScript (no token), a tampered token, a token of another key or a day old: accepted; the
    honeypot, rate limit and cross-site check still apply."""
    client = Client(app)
    other = FormTokens(b"another key", lambda: clock().timestamp()).issue()
    old = token_of(client)
    clock.advance(hours=25)
    fresh = token_of(client)
    for n, token in enumerate(["", fresh[:-1] + ("0" if fresh[-1] != "0" else "1"), other, old, "v1.x.y"]):
        answer = client.post(signup(token=token, submission_id=f"lenient-{n}"), as_json=True)
        assert answer.status == 200, (token, answer.text)
    assert app.storage.count() == 5


def test_tokens_unit():
    now = [1000.0]
    tokens = FormTokens(b"k", lambda: now[0])
    token = tokens.issue()
    assert tokens.age(token) == 0
    now[0] += 10
    assert tokens.age(token) == 10
    assert FormTokens(b"other", lambda: now[0]).age(token) is None
    now[0] += 2 * 24 * 3600
    assert tokens.age(token) is None


def test_the_same_submission_sent_twice_is_stored_once(app):
    client = Client(app)
    first = client.post(signup(submission_id="0d8c5a52-5c11-4a59-9a47-2a7d0f6f2f11"), as_json=True).json()
    again = client.post(signup(submission_id="0d8c5a52-5c11-4a59-9a47-2a7d0f6f2f11"), as_json=True).json()
    assert first["ok"] and again["ok"] and first["message"] == again["message"]
    assert app.storage.count() == 1
    assert len(app.storage.claim_mails(app.clock(), 1, 100)) == 2  # mails of the first only


def test_without_javascript_an_identical_repost_is_stored_once(app):
    client = Client(app)
    assert client.post(appointment()).status == 303
    assert client.post(appointment()).status == 303  # back button, send again
    assert client.post(appointment(message="Nog iets")).status == 303  # a different request is a new one
    assert app.storage.count() == 2


def test_rate_limit_per_client(ep_project, clock):
    app = app_for(ep_project.root, clock, HH_RATE_LIMIT="3/60")
    alice, bob = Client(app, "10.0.0.1"), Client(app, "10.0.0.2")
    for n in range(3):
        assert alice.post(signup(submission_id=f"alice-{n:04d}")).status == 303
    refused = alice.post(signup(submission_id="alice-0004"), as_json=True)
    assert refused.status == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Wacht 1 minuut" in refused.json()["message"] and "Bel ons" in refused.json()["message"]
    assert alice.post(signup(submission_id="alice-0005")).status == 429  # also without JavaScript
    assert bob.post(signup(submission_id="bob-00001")).status == 303  # another client is not affected
    assert app.storage.count() == 4
    clock.advance(seconds=61)
    assert alice.post(signup(submission_id="alice-0006")).status == 303


def test_rate_limit_counts_refused_posts_too(ep_project, clock):
    app = app_for(ep_project.root, clock, HH_RATE_LIMIT="2/60")
    client = Client(app)
    assert client.post(signup(email="x")).status == 400
    assert client.post(signup(email="y")).status == 400
    assert client.post(signup()).status == 429


def test_the_rate_limit_is_shared_by_every_process_on_one_database(storage, ep_project, clock):
    """Two endpoints (two workers, or two instances on one PostgreSQL) count one client together, and the
    database keeps only a fingerprint of the address."""
    first, second = (create_app(settings(ep_project.root, HH_RATE_LIMIT="3/60"), storage=storage, clock=clock)
                     for _ in range(2))
    a, b = Client(first, "10.0.0.7"), Client(second, "10.0.0.7")
    assert [c.post(signup(submission_id=f"shared-{n:04d}")).status for n, c in enumerate((a, b, a, b))] == [
        303, 303, 303, 429]
    assert Client(second, "10.0.0.8").post(signup(submission_id="other-0001")).status == 303
    with storage.transaction(write=False) as cur:
        clients = {row[0] for row in cur.all("SELECT client FROM rate_limit_hits")}
    assert len(clients) == 2 and not any("10.0.0" in c for c in clients)
    clock.advance(seconds=61)
    assert b.post(signup(submission_id="shared-0005")).status == 303
    assert storage.forget_rate_hits(clock() + dt.timedelta(seconds=1)) == 2  # the late one and 10.0.0.8's


def test_rate_limiter_forgets_the_oldest_clients():
    limiter = RateLimiter(1, 60, clock=lambda: 0.0)
    limiter.MAX_CLIENTS = 3
    for n in range(5):
        assert limiter.hit(f"c{n}") == 0
    assert limiter.hit("c4") > 0 and limiter.hit("c0") == 0


def test_client_address_behind_trusted_proxies():
    environ = {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    assert client_address(environ, 0) == "10.0.0.9"
    assert client_address(environ, 1) == "203.0.113.7"  # the address our one proxy saw; the rest is hearsay
    assert client_address({"REMOTE_ADDR": "10.0.0.9"}, 1) == "10.0.0.9"


@pytest.mark.parametrize("headers, allowed", [
    ({"Sec-Fetch-Site": "same-origin"}, True),
    ({"Sec-Fetch-Site": "none"}, True),
    ({"Sec-Fetch-Site": "cross-site"}, False),
    ({"Sec-Fetch-Site": "same-site"}, False),
    ({"Sec-Fetch-Site": "cross-site", "Origin": "https://www.hasselt.be"}, True),  # HH_SITE_URL's origin
    ({"Origin": "http://127.0.0.1:8000"}, True),  # older browsers: the Origin matches the Host
    ({"Origin": "https://evil.example"}, False),
    ({"Origin": "null"}, False),
    ({}, True),  # no browser headers at all: not a form on another site (curl, a test)
])
def test_cross_site_check(ep_project, clock, headers, allowed):
    app = app_for(ep_project.root, clock, HH_SITE_URL="https://www.hasselt.be/hasselthelpt")
    headers = {"Sec-Fetch-Site": None, **headers}
    answer = Client(app).request("POST", "/aanmelding", _body(signup()),
                                 {k: v for k, v in {**headers, "Accept": "application/json"}.items() if v},
                                 "application/x-www-form-urlencoded")
    if allowed:
        assert answer.status == 200, answer.text
        assert app.storage.count() == 1
    else:
        assert answer.status == 403
        assert "alleen versturen vanaf de website" in answer.json()["message"]
        assert app.storage.count() == 0


def test_cross_site_unit_allowed_origins():
    assert cross_site({"HTTP_ORIGIN": "https://a.example", "HTTP_SEC_FETCH_SITE": "cross-site"}, ("https://a.example",)) is False
    assert cross_site({"HTTP_ORIGIN": "https://b.example", "HTTP_HOST": "a.example"}, ()) is True


def test_thank_you_redirect_follows_the_site_url(ep_project, clock):
    app = app_for(ep_project.root, clock, HH_SITE_URL="https://www.hasselt.be/hasselthelpt/")
    answer = Client(app).post(signup())
    assert answer.headers["Location"] == "https://www.hasselt.be/hasselthelpt/bedankt/"


@pytest.mark.parametrize("field", ["To", "Reply-To", "From"])
@pytest.mark.parametrize("tail", ["\r\nBcc: everyone@example.be", " Bcc: everyone@example.be", ", x@y.be",
                                  "\u2028"])
def test_an_address_header_is_one_address_or_refused(field, tail):
    values = {"From": "HASSELT Helpt <a@b.be>", "To": "c@d.be", "Subject": "Hallo", "Reply-To": "e@f.be"}
    values[field] += tail
    with pytest.raises(ValueError, match="not one mail address"):
        build_message(values["From"], values["To"], values["Subject"], "tekst", values["Reply-To"])


def test_a_subject_with_line_breaks_becomes_one_line_and_adds_no_header():
    msg = build_message("a@b.be", "c@d.be", "Hallo\r\nBcc: everyone@example.be\u2028\u0085\x00!", "tekst")
    assert msg["Subject"] == "Hallo Bcc: everyone@example.be !" and msg["Bcc"] is None
    assert sorted(msg.keys()) == ["Content-Transfer-Encoding", "Content-Type", "Date", "From", "MIME-Version",
                                  "Message-ID", "Subject", "To"]


def _body(fields: dict) -> bytes:
    from urllib.parse import urlencode

    return urlencode(fields, doseq=True).encode()
