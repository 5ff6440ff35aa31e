"""The content model in the form endpoint (issue 18): a sign-up for a one-off task gets the task's calendar file
with its confirmation mail; the vacancy form takes the place and the dates of a task, refuses uninsured volunteers
and archived organisations; an approved submission becomes a vacancy file that `check` accepts."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import icalendar
import pytest
import yaml

from endpoint_testing import Client, Clock, app_for, make_project, signup, vacancy_submission
from hh_testing import organisation, vacancy
from hasselthelpt import brand
from hasselthelpt.content.loading import SafeLoader, load_corpus
from hasselthelpt.endpoint import review
from hasselthelpt.endpoint.mails import build_message
from hasselthelpt.endpoint.storage import UTC

SHIFTS = [{"start": "2027-03-27 10:00", "end": "2027-03-27 12:30"},
          {"start": "2027-03-28 10:00", "end": "2027-03-28 12:30"}]


@pytest.fixture
def ep_project(tmp_path):
    p = make_project(tmp_path)
    p.write("vacancies/paasactie.yaml", vacancy(title="Paaseieren verstoppen", shifts=SHIFTS,
                                                valid_through=dt.date(2027, 6, 30),
                                                contact={"name": "An", "email": "an@buurtwerk.be"}))
    p.write("content/organisations/gestopt.yaml", organisation(name="Gestopt", status="archived"))
    p.write("vacancies/bij-gestopt.yaml", vacancy(organisation="gestopt", valid_through=dt.date(2099, 1, 1)))
    return p


def mails(app) -> list:
    return app.storage.claim_mails(app.clock(), 1, 100)


def test_confirmation_of_a_one_off_task_carries_its_calendar(ep_project):
    app = app_for(ep_project.root, Clock())
    assert Client(app).post(signup(vacancy="paasactie")).status == 303
    to_contact, to_volunteer = mails(app)
    assert to_contact.attachment is None, "the contact gets the sign-up, not the calendar"
    assert "agendabestand" in to_volunteer.body
    message = build_message("HASSELT Helpt <a@hasselthelpt.example>", to_volunteer.to, to_volunteer.subject,
                            to_volunteer.body, None, to_volunteer.attachment)
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    [part] = list(parsed.iter_attachments())
    assert part.get_content_type() == "text/calendar" and part.get_filename() == "paasactie.ics"
    cal = icalendar.Calendar.from_ical(part.get_content())
    starts = [e["DTSTART"].dt for e in cal.walk("VEVENT")]
    assert [s.astimezone(UTC) for s in starts] == [dt.datetime(2027, 3, 27, 9, 0, tzinfo=UTC),
                                                   dt.datetime(2027, 3, 28, 8, 0, tzinfo=UTC)]
    assert all(str(e["SUMMARY"]) == "Paaseieren verstoppen" for e in cal.walk("VEVENT"))


def test_the_calendar_holds_the_coming_dates_and_a_task_closes_after_the_last(ep_project):
    clock = Clock(dt.datetime(2027, 3, 28, 7, 0, tzinfo=UTC))  # the Saturday shift is past
    app = app_for(ep_project.root, clock)
    assert Client(app).post(signup(vacancy="paasactie")).status == 303
    cal = icalendar.Calendar.from_ical(mails(app)[1].attachment[1])
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == ["vacature-paasactie-20270328T1000@hasselthelpt"]
    clock.now = dt.datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
    answer = Client(app).post(signup(vacancy="paasactie"), as_json=True)
    assert answer.status == 400 and "afgelopen" in answer.json()["errors"]["vacancy"]
    assert app.storage.count("aanmelding") == 1


def test_no_calendar_for_a_vacancy_without_dates(ep_project):
    app = app_for(ep_project.root, Clock())
    assert Client(app).post(signup()).status == 303
    assert [m.attachment for m in mails(app)] == [None, None]


def test_archived_organisation_takes_no_sign_ups_and_no_vacancies(ep_project):
    app = app_for(ep_project.root, Clock())
    answer = Client(app).post(signup(vacancy="bij-gestopt"), as_json=True)
    assert answer.status == 400 and "afgelopen" in answer.json()["errors"]["vacancy"]
    answer = Client(app).post(vacancy_submission(organisation="gestopt"), as_json=True)
    assert answer.status == 400 and "organisation" in answer.json()["errors"]


def test_vacancy_form_refuses_uninsured_volunteers_with_the_help_link(ep_project):
    answer = Client(app_for(ep_project.root, Clock())).post(vacancy_submission(insured="nee"), as_json=True)
    assert answer.status == 400
    message = answer.json()["errors"]["insured"]
    assert "verzekerd" in message and brand.ORGANISATION_HELP_URL in message


def test_vacancy_form_wants_an_address_only_at_an_address(ep_project):
    client = Client(app_for(ep_project.root, Clock()))
    answer = client.post(vacancy_submission(**{"place.address": "", "place.deelgemeente": ""}), as_json=True)
    assert answer.status == 400 and {"place.address", "place.deelgemeente"} <= set(answer.json()["errors"])
    at_home = vacancy_submission(location="thuis", **{"place.address": "", "place.deelgemeente": ""})
    assert client.post(at_home, as_json=True).status == 200


def test_vacancy_form_checks_the_dates_of_a_task_per_row(ep_project):
    client = Client(app_for(ep_project.root, Clock()))
    bad = vacancy_submission(**{"shifts.1.start": "2027-03-27T10:00", "shifts.1.end": "2027-03-27T09:00",
                                "shifts.2.start": "morgen", "shifts.2.end": "2027-03-28T12:00"})
    errors = client.post(bad, as_json=True).json()["errors"]
    assert set(errors) == {"shifts.1.end", "shifts.2.start"}
    assert "na het begin" in errors["shifts.1.end"] and "datum met uur" in errors["shifts.2.start"]


def test_an_approved_one_off_task_at_home_is_a_vacancy_file_check_accepts(ep_project):
    app = app_for(ep_project.root, Clock())
    form = vacancy_submission(location="thuis", **{"place.address": "", "place.deelgemeente": "",
                                                   "shifts.0.start": "2027-03-27T10:00",
                                                   "shifts.0.end": "2027-03-27T12:30"})
    assert Client(app).post(form).status == 303
    path = review.approve(app.storage, ep_project.root, 1, dt.date(2026, 11, 27),
                          dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC), "https://www.hasselt.be/hasselthelpt")
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    assert data["location"] == "thuis" and "place" not in data
    assert data["shifts"] == [{"start": "2027-03-27 10:00", "end": "2027-03-27 12:30"}]
    corpus, errors = load_corpus(ep_project.root)
    assert [e for e in errors if e.path == f"vacancies/{path.name}"] == []
    assert corpus.vacancies[path.stem].shifts[0]["start"] == dt.datetime(2027, 3, 27, 10, 0)
