"""The review queue on the command line: list, show, approve (a vacancy file that `hasselthelpt check` accepts)
and reject (the reason mailed to the organisation, through a real SMTP server)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from endpoint_testing import Client, app_for, env, make_project, signup, vacancy_submission
from hasselthelpt import cli
from hasselthelpt.content.loading import SafeLoader
from hasselthelpt.endpoint.outbox import Outbox
from hasselthelpt.endpoint.storage import UTC


@pytest.fixture
def project(tmp_path, monkeypatch, smtp):
    p = make_project(tmp_path, full=True)
    for key, value in env(p.root, HH_SMTP_HOST="127.0.0.1", HH_SMTP_PORT=str(smtp.port)).items():
        monkeypatch.setenv(key, value)
    return p


@pytest.fixture
def app(project, smtp):
    return app_for(project.root, lambda: dt.datetime.now(UTC), HH_SMTP_HOST="127.0.0.1", HH_SMTP_PORT=str(smtp.port))


def run(project, capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--project", str(project.root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_approve_writes_a_vacancy_that_passes_check(project, app, capsys, smtp):
    assert Client(app).post(vacancy_submission()).status == 303
    code, out, _ = run(project, capsys, "review", "list")
    assert code == 0 and "Helper bij de fietsherstelling" in out and "[buurtwerk]" in out
    code, out, _ = run(project, capsys, "review", "show", "1")
    assert code == 0 and "Submitted by Els Peeters <els@buurtwerk.be>" in out and "title: Helper bij" in out

    code, out, err = run(project, capsys, "review", "approve", "1")
    assert code == 0, err
    path = project.root / "vacancies" / "helper-bij-de-fietsherstelling.yaml"
    assert "wrote vacancies/helper-bij-de-fietsherstelling.yaml" in out
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    assert data["organisation"] == "buurtwerk" and data["themes"] == ["buurt-en-samenleven"]
    assert data["description"] == "Je helpt **elke zaterdag**.\n\nKoffie!"
    assert data["valid_through"] == "2099-06-30" and data["volunteers_needed"] == 3
    assert data["place"] == {"address": "Kerkstraat 1, 3510 Kermt", "deelgemeente": "kermt"}
    assert "min_age" not in data and "status" not in data  # defaults stay out of the file
    assert run(project, capsys, "check")[0] == 0  # the content model accepts it, with the other files

    assert app.storage.get(1).status == "approved" and app.storage.get(1).decision == "helper-bij-de-fietsherstelling"
    code, _, err = run(project, capsys, "review", "approve", "1")
    assert code == 1 and "already approved" in err
    assert run(project, capsys, "review", "list")[1].startswith("No vacancies waiting")

    Outbox(app.storage, app.settings, app.clock).send_due()
    [online] = [m for m in smtp.inbox.to("els@buurtwerk.be") if "online" in m["Subject"]]
    assert "https://www.hasselt.be/hasselthelpt/vacatures/helper-bij-de-fietsherstelling/" in online.get_content()

    fresh = app_for(project.root, lambda: dt.datetime.now(UTC))  # after a restart the new vacancy takes sign-ups
    assert Client(fresh).post(signup(vacancy="helper-bij-de-fietsherstelling")).status == 303


def test_a_new_organisation_must_exist_before_approval(project, app, capsys):
    assert Client(app).post(vacancy_submission(organisation="", organisation_name="Fietsclub Kermt")).status == 303
    code, out, _ = run(project, capsys, "review", "show", "1")
    assert "(new) Fietsclub Kermt" in out and "hasselthelpt new organisation fietsclub-kermt" in out
    code, _, err = run(project, capsys, "review", "approve", "1")
    assert code == 1 and "'fietsclub-kermt' does not exist" in err
    assert not list((project.root / "vacancies").glob("helper*"))
    code, _, err = run(project, capsys, "review", "approve", "1", "--organisation", "buurtwerk", "--slug", "fietsen")
    assert code == 0, err
    assert (project.root / "vacancies" / "fietsen.yaml").is_file()
    assert run(project, capsys, "check")[0] == 0


def test_reject_mails_the_reason(project, app, capsys, smtp):
    assert Client(app).post(vacancy_submission()).status == 303
    code, _, err = run(project, capsys, "review", "reject", "1", "--reason", "Vrijwilligers moeten verzekerd zijn.")
    assert code == 0, err
    assert app.storage.get(1).status == "rejected"
    assert not list((project.root / "vacancies").glob("helper*"))
    Outbox(app.storage, app.settings, app.clock).send_due()
    [mail] = [m for m in smtp.inbox.to("els@buurtwerk.be") if "online" not in m["Subject"]
              and "Bedankt voor je vacature" in m.get_content()]
    assert "Vrijwilligers moeten verzekerd zijn." in mail.get_content()
    code, _, err = run(project, capsys, "review", "reject", "1", "--reason", "nog eens")
    assert code == 1 and "already rejected" in err


def test_review_of_something_that_is_not_there(project, app, capsys):
    code, _, err = run(project, capsys, "review", "approve", "42")
    assert code == 1 and "no vacancy submission 42" in err


def test_show_warns_about_markup_and_lists_every_link(project, app, capsys):
    hostile = ("Help ons <script>alert(1)</script> op [onze site](https://buurtwerk.example/fietsen) of "
               "[klik](javascript:alert(1)).\n\n<img src=x onerror=alert(1)>\n\nMail [ons](mailto:els@buurtwerk.be).")
    assert Client(app).post(vacancy_submission(description=hostile)).status == 303
    code, out, _ = run(project, capsys, "review", "show", "1")
    assert code == 0
    assert "WARNING: this submission holds HTML or links that will NOT be shown as such" in out
    assert "description: HTML <script> (shown as text); HTML <img> (shown as text); the link " \
           "'javascript:alert(1)'" in out
    links = out.split("Links in the text:", 1)[1].split("\n\n", 1)[0].split()
    assert links == ["https://buurtwerk.example/fietsen", "mailto:els@buurtwerk.be"]
    clean = Client(app).post(vacancy_submission(title="Fietsenmaker"))
    assert clean.status == 303
    code, out, _ = run(project, capsys, "review", "show", "2")
    assert "WARNING" not in out and "Links in the text: none" in out
