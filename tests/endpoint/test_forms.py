"""The endpoint's three forms through the WSGI app: happy paths, and every kind of bad input refused with a 4xx,
a clear Dutch message and nothing stored."""

from __future__ import annotations

import json

import pytest

from endpoint_testing import Client, app_for, appointment, signup, vacancy_submission
from hasselthelpt.content.schema import CONTENT_TYPES
from hasselthelpt.endpoint.forms import FORMS, VACANCY_FIELDS, dutch_problem


@pytest.fixture
def app(ep_project, clock):
    return app_for(ep_project.root, clock)


@pytest.fixture
def client(app):
    return Client(app)


def stored(app) -> int:
    return app.storage.count()


def queued(app) -> list[tuple[str, str]]:
    return [(m.to, m.subject) for m in app.storage.claim_mails(app.clock(), 1, 100)]


def test_signup_without_javascript_is_stored_then_redirected(app, client):
    answer = client.post(signup())
    assert answer.status == 303
    assert answer.headers["Location"] == "/bedankt/"
    [record] = app.storage.records()
    assert record.kind == "aanmelding" and record.vacancy == "kok"
    assert record.data["name"] == "Fatima El Amrani" and record.data["message"] == "Ik kook graag.\nVooral soep."
    assert record.email == "fatima@example.be" and record.phone == "0470123456"
    assert record.privacy_version == "1.2"
    assert queued(app) == [("an@buurtwerk.be", "Nieuwe aanmelding: Kok voor de buurtsoep"),
                           ("fatima@example.be", "Je aanmelding: Kok voor de buurtsoep")]


def test_signup_with_javascript_gets_json(app, client):
    answer = client.post(signup(), as_json=True)
    assert answer.status == 200
    data = answer.json()
    assert data == {"ok": True, "message": data["message"]}
    assert "An neemt binnen een week contact" in data["message"]
    assert app.storage.records()[0].data["email"] == "fatima@example.be"


def test_signup_for_a_vacancy_without_mail_goes_to_the_matchers(app, client):
    assert client.post(signup(vacancy="chauffeur")).status == 303
    to = [to for to, _ in queued(app)]
    assert to == ["matchers@hasselt.example", "fatima@example.be"]


def test_appointment_request(app, client):
    answer = client.post(appointment())
    assert answer.status == 303 and answer.headers["Location"] == "/afspraak/bedankt/"
    [record] = app.storage.records(kind="afspraak")
    assert record.data["talents"] == ["creatief", "talen"] and record.data["when"] == ["weekend", "avond"]
    assert record.data["deelgemeente"] == "kuringen" and record.data["languages"] == "Oekraïens, Engels"
    assert [to for to, _ in queued(app)] == ["matchers@hasselt.example", "olena@example.be"]


def test_appointment_by_phone_only(app, client):
    assert client.post(appointment(email="", phone="011 23 94 00")).status == 303
    assert [to for to, _ in queued(app)] == ["matchers@hasselt.example"]  # no address to confirm to


def test_vacancy_submission_waits_for_review(app, client):
    answer = client.post(vacancy_submission())
    assert answer.status == 303 and answer.headers["Location"] == "/vacature-indienen/bedankt/"
    [record] = app.storage.records(kind="vacature")
    assert record.status == "pending"
    vacancy = record.data["vacancy"]
    assert vacancy["title"] == "Helper bij de fietsherstelling" and vacancy["volunteers_needed"] == 3
    assert vacancy["place"] == {"name": None, "address": "Kerkstraat 1, 3510 Kermt", "deelgemeente": "kermt"}
    assert vacancy["mileage_allowance"] is False and vacancy["insured"] is True
    assert vacancy["valid_through"] == "2099-06-30" and vacancy["min_age"] == 16
    assert record.contact_email == "fietsen@buurtwerk.be"
    assert [to for to, _ in queued(app)] == ["review@hasselt.example", "els@buurtwerk.be"]


def test_vacancy_submission_from_a_new_organisation(app, client):
    assert client.post(vacancy_submission(organisation="", organisation_name="Fietsclub Kermt")).status == 303
    assert app.storage.records()[0].data["organisation_name"] == "Fietsclub Kermt"


def test_json_body_is_accepted(app, client):
    body = json.dumps({**signup(), "under_18": True}).encode()
    answer = client.request("POST", "/aanmelding", body, {"Accept": "application/json"}, "application/json")
    assert answer.status == 200, answer.text
    assert app.storage.records()[0].data["under_18"] is True


BAD = [  # id, form data, status, field with an error (or None), words of the message
    ("no-name", signup(name=""), 400, "name", "Vul dit in"),
    ("bad-email", signup(email="fatima-at-example"), 400, "email", "geen e-mailadres"),
    ("email-header-injection", signup(email="f@example.be\r\nBcc: all@example.be"), 400, "email", "e-mailadres"),
    ("email-with-brackets", signup(email="x<y>@example.be"), 400, "email", "e-mailadres"),
    ("name-header-injection", signup(name="Fatima\r\nBcc: all@example.be"), 400, "name", "op één regel"),
    ("control-character", signup(message="hallo\x00"), 400, "message", "speciale tekens"),
    ("bad-phone", signup(phone="bel me"), 400, "phone", "geen telefoonnummer"),
    ("message-too-long", signup(message="x" * 2001), 400, "message", "te lang"),
    ("unknown-vacancy", signup(vacancy="bestaat-niet"), 400, "vacancy", "bestaat niet"),
    ("expired-vacancy", signup(vacancy="oud"), 400, "vacancy", "afgelopen"),
    ("no-consent", signup(consent=None), 400, "consent", "toestemming"),
    ("honeypot", signup(website="http://spam.example"), 400, "website", "Laat dit veld leeg"),
    ("unknown-form", signup(form="bestelling"), 400, None, "formulier kennen we niet"),
    ("unknown-field", {**signup(), "admin": "1"}, 400, None, "onbekend veld"),
    ("field-twice", {**signup(), "name": ["A", "B"]}, 400, "name", "twee keer"),
    ("no-privacy-version", signup(privacy_version=None), 400, None, "Laad de pagina opnieuw"),
    ("bad-submission-id", signup(submission_id="<script>"), 400, None, "Laad de pagina opnieuw"),
    ("appointment-unreachable", appointment(email="", phone=""), 400, "email", "e-mailadres of je telefoonnummer"),
    ("appointment-bad-talent", appointment(talents=["koken", "hacken"]), 400, "talents", "uit de lijst"),
    ("appointment-bad-place", appointment(deelgemeente="brussel"), 400, "deelgemeente", "uit de lijst"),
    ("vacancy-no-theme", vacancy_submission(themes=None), 400, "themes", "minstens één"),
    ("vacancy-bad-kind", vacancy_submission(kind="altijd"), 400, "kind", "uit de lijst"),
    ("vacancy-no-address", vacancy_submission(place__address=""), 400, "place.address", "Vul dit in"),
    ("vacancy-no-place", vacancy_submission(place__address="", place__deelgemeente=""), 400, "place.deelgemeente",
     "Kies een mogelijkheid"),
    ("vacancy-past-date", vacancy_submission(valid_through="2020-01-01"), 400, "valid_through", "toekomst"),
    ("vacancy-not-a-date", vacancy_submission(valid_through="volgend jaar"), 400, "valid_through", "geen datum"),
    ("vacancy-bad-number", vacancy_submission(volunteers_needed="veel"), 400, "volunteers_needed", "getal"),
    ("vacancy-number-out-of-range", vacancy_submission(min_age="5"), 400, "min_age", "van 12 tot 99"),
    ("vacancy-insured-unanswered", vacancy_submission(insured=None), 400, "insured", "ja of nee"),
    ("vacancy-title-too-long", vacancy_submission(title="x" * 91), 400, "title", "maximaal 90"),
    ("vacancy-description-of-60000-characters", vacancy_submission(description="Een lange tekst " * 3750), 400,
     "description", "60000 tekens. Er mogen er maximaal 5000 zijn"),
    ("signup-name-too-long", signup(name="Fatima " * 20), 400, "name", "maximaal 100"),
    ("appointment-message-too-long", appointment(message="x" * 2001), 400, "message", "maximaal 2000"),
    ("title-with-line-separator", vacancy_submission(title="Kok\u2028Bcc: iedereen"), 400, "title", "op één regel"),
    ("title-with-next-line", vacancy_submission(title="Kok\u0085voor de soep"), 400, "title", "op één regel"),
    ("name-with-bidi-override", signup(name="Fatima \u202eeb.elpmaxe"), 400, "name", "speciale tekens"),
    ("summary-with-zero-width-space", vacancy_submission(summary="Help\u200b buren."), 400, "summary",
     "onzichtbare"),
    ("description-with-c1-control", vacancy_submission(description="Koffie\x9b!"), 400, "description",
     "speciale tekens"),
    ("vacancy-unknown-organisation", vacancy_submission(organisation="onbekend"), 400, "organisation", "lijst"),
    ("vacancy-no-organisation", vacancy_submission(organisation=""), 400, "organisation_name", "organisatie"),
    ("vacancy-contact-unreachable", vacancy_submission(contact__email=""), 400, "contact.email", "contactpersoon"),
]


@pytest.mark.parametrize("fields, status, field, words", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_in_dutch_and_not_stored(app, client, fields, status, field, words):
    answer = client.post(fields, as_json=True)
    assert answer.status == status, answer.text
    data = answer.json()
    assert data["ok"] is False
    text = data["message"] + " " + " ".join(data["errors"].values())
    assert words.lower() in text.lower(), text
    if field:
        assert field in data["errors"], data["errors"]
        assert data["labels"].get(field) or field in ("website",)
    assert stored(app) == 0 and queued(app) == []
    html = client.post(fields)  # the same without JavaScript: an error page in Dutch
    assert html.status == status and html.headers["Content-Type"].startswith("text/html")
    assert '<html lang="nl">' in html.text and "Dat lukte niet" in html.text
    assert stored(app) == 0


def test_a_lone_surrogate_in_a_json_body_is_refused(app, client):
    body = json.dumps(signup(message="hallo \ud800")).encode()  # JSON can carry half a character
    answer = client.request("POST", "/aanmelding", body, {"Accept": "application/json"}, "application/json")
    assert answer.status == 400 and "speciale tekens" in answer.json()["errors"]["message"]
    assert stored(app) == 0


def test_every_error_at_once(client):
    data = client.post(signup(name="", email="x", consent=None), as_json=True).json()
    assert set(data["errors"]) == {"name", "email", "consent"}


def test_body_too_large(app, client):
    answer = client.post(signup(message="x" * 70_000), as_json=True)
    assert answer.status == 413 and "te lang" in answer.json()["message"]
    assert stored(app) == 0


def test_body_not_utf8(app, client):
    answer = client.request("POST", "/aanmelding", b"form=aanmelding&name=\xff\xfe", {"Sec-Fetch-Site": "same-origin"},
                            "application/x-www-form-urlencoded")
    assert answer.status == 400 and "niet gelezen" in answer.text


@pytest.mark.parametrize("body, kind, status", [(b"<xml/>", "text/xml", 415), (b"[1, 2]", "application/json", 400),
                                               (b"{not json", "application/json", 400)])
def test_unreadable_bodies(app, client, body, kind, status):
    answer = client.request("POST", "/aanmelding", body, {"Accept": "application/json"}, kind)
    assert answer.status == status and "niet gelezen" in answer.json()["message"]
    assert stored(app) == 0


def test_unknown_address_and_wrong_method(client):
    assert client.request("GET", "/bestaat-niet").status == 404
    answer = client.request("GET", "/aanmelding")
    assert answer.status == 405 and answer.headers["Allow"] == "POST"


def test_health(client):
    answer = client.request("GET", "/health").json()
    assert answer["ok"] is True and answer["outbox"] == {"pending": 0, "failing": 0, "dead": 0}
    assert "release" not in answer  # no HH_RELEASES


def test_a_storage_failure_is_a_503_not_a_thank_you(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(app.storage, "add_submission", broken)
    answer = client.post(signup(), as_json=True)
    assert answer.status == 503 and "niet bewaren" in answer.json()["message"]
    assert client.post(signup()).status == 503


def test_dutch_message_for_every_field_kind_of_the_vacancy():
    """The submission form is checked with the vacancy schema: every kind it uses has a Dutch message."""
    kinds = {f.kind for f in VACANCY_FIELDS} | {s.kind for f in VACANCY_FIELDS for s in f.fields}
    for f in [*VACANCY_FIELDS, *(s for f in VACANCY_FIELDS for s in f.fields)]:
        if f.kind not in ("object", "list"):
            assert dutch_problem(f, None) and dutch_problem(f, "???")
    assert kinds <= {"text", "markdown", "choices", "choice", "int", "bool", "date", "datetime", "email", "phone",
                     "object", "list"}


def test_the_submission_form_is_the_vacancy_content_model():
    asked = {f.name for f in VACANCY_FIELDS}
    assert all(f in FORMS["vacature"] for f in VACANCY_FIELDS)
    vacancy = {f.name for f in CONTENT_TYPES["vacancy"].fields}
    assert vacancy - asked == {"organisation", "publish_from", "image", "image_alt", "image_credit", "image_licence",
                              "status", "internal", "featured"}
