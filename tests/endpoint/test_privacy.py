"""Privacy: exports for coaches only with the token (CSV safe against formula injection), every export and
erasure logged, the retention purge and the erasure of one person, over HTTP and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from endpoint_testing import EXPORT_TOKEN, Client, Clock, app_for, appointment, env, signup, vacancy_submission
from hasselthelpt import cli
from hasselthelpt.endpoint.exports import safe_cell
from hasselthelpt.endpoint.storage import UTC, fingerprint, open_storage


@pytest.fixture
def clock():
    """Now: the command-line purge compares with the real time."""
    return Clock(dt.datetime.now(UTC))


@pytest.fixture
def app(ep_project, clock):
    app = app_for(ep_project.root, clock, HH_EXPORT_TOKEN=EXPORT_TOKEN)
    client = Client(app)
    assert client.post(signup(name="=HYPERLINK(\"http://evil.example\",\"klik\")", submission_id="sign-up-1")).status == 303
    assert client.post(signup(name="Jan", email="jan@example.be", phone="+32 470 00 00 00",
                              message="-2+3", submission_id="sign-up-2")).status == 303
    assert client.post(appointment(name="@Olena")).status == 303
    return app


def export(client: Client, token: str | None = EXPORT_TOKEN, query: str = "format=csv") -> object:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.request("GET", "/export", headers={**headers, "Accept": "text/csv"}, query=query)


def test_export_needs_the_token(app):
    client = Client(app)
    for token in (None, "wrong", EXPORT_TOKEN + "x"):
        answer = export(client, token)
        assert answer.status == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert "geen toegang" in answer.text and "Fatima" not in answer.text
    refused = [d for _, action, d in app.storage.audit_log() if action == "export-refused"]
    assert len(refused) == 3


def test_guessing_the_token_is_slowed_down(ep_project, clock):
    app = app_for(ep_project.root, clock, HH_EXPORT_TOKEN=EXPORT_TOKEN, HH_RATE_LIMIT="3/60")
    client = Client(app)
    assert [export(client, f"guess-{n}").status for n in range(5)] == [401, 401, 401, 429, 429]
    assert len([a for _, a, _ in app.storage.audit_log() if a == "export-refused"]) == 5


def test_without_a_configured_token_there_are_no_exports(ep_project, clock):
    app = app_for(ep_project.root, clock)
    answer = export(Client(app), "anything")
    assert answer.status == 403 and "Exports staan uit" in answer.text


def test_csv_export_is_safe_for_spreadsheets_and_logged(app):
    answer = export(Client(app), query="format=csv&kind=aanmelding")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="hasselthelpt-aanmelding-')
    assert answer.headers["Cache-Control"] == "no-store"
    text = answer.body.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["kind"] for r in rows] == ["aanmelding", "aanmelding"]
    assert rows[0]["name"] == "'=HYPERLINK(\"http://evil.example\",\"klik\")"
    assert rows[1]["phone"] == "'+32 470 00 00 00" and rows[1]["message"] == "'-2+3"
    assert rows[1]["privacy_version"] == "1.2" and rows[1]["email"] == "jan@example.be"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())
    [(_, action, detail)] = [e for e in app.storage.audit_log() if e[1] == "export"]
    assert detail == {"format": "csv", "kind": "aanmelding", "since": None, "count": 2, "via": "http"}


def test_json_export(app):
    answer = export(Client(app), query="format=json&kind=afspraak")
    data = json.loads(answer.body)
    assert [d["name"] for d in data] == ["@Olena"]  # JSON is no spreadsheet: kept as it is
    assert data[0]["talents"] == ["creatief", "talen"]


@pytest.mark.parametrize("query", ["format=xls", "kind=alles", "since=gisteren"])
def test_export_with_bad_parameters(app, query):
    answer = export(Client(app), query=query)
    assert answer.status == 400


def test_safe_cell():
    assert [safe_cell(v) for v in ("=1+2", "+32", "-", "@x", "\tx", "\rx", "gewoon", None, True, ["a", "b"])] == \
        ["'=1+2", "'+32", "'-", "'@x", "'\tx", "'\rx", "gewoon", "", "ja", "a, b"]


def test_purge_and_erase_from_the_command_line(app, ep_project, clock, monkeypatch, capsys):
    for key, value in env(ep_project.root).items():
        monkeypatch.setenv(key, value)
    root = str(ep_project.root)
    assert cli.main(["--project", root, "erase", "--email", "FATIMA@example.be"]) == 0
    assert "Erased 1 submission(s)" in capsys.readouterr().out
    storage = open_storage(app.settings.database)
    assert [r.data["name"] for r in storage.records()] == ["Jan", "@Olena"]
    assert cli.main(["--project", root, "erase", "--phone", "0470 00 00 00"]) == 0
    assert [r.data["name"] for r in storage.records()] == ["@Olena"]
    erasures = [d for _, action, d in storage.audit_log() if action == "erase"]
    assert erasures[0]["email"] == fingerprint("fatima@example.be") and erasures[0]["submissions"] == 1
    assert "fatima" not in json.dumps([d for _, _, d in storage.audit_log()]).lower()
    assert cli.main(["--project", root, "erase"]) == 2

    # The submissions were made just now: a purge keeps them; with 0 days it does not.
    assert cli.main(["--project", root, "purge"]) == 0
    assert storage.count() == 1
    assert cli.main(["--project", root, "purge", "--days", "0"]) == 0
    assert "Deleted 1 submission(s)" in capsys.readouterr().out.splitlines()[-1]
    assert storage.count() == 0 and storage.outbox_state().pending == 0
    assert [a for _, a, _ in storage.audit_log()][-2:] == ["purge", "purge"]


def test_export_from_the_command_line_is_logged(app, ep_project, monkeypatch, tmp_path):
    for key, value in env(ep_project.root).items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "export.csv"
    assert cli.main(["--project", str(ep_project.root), "export", "--kind", "vacature", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("\ufeffid,kind,")
    log = [d for _, action, d in open_storage(app.settings.database).audit_log() if action == "export"]
    assert log == [{"format": "csv", "kind": "vacature", "since": None, "count": 0, "via": "cli"}]


def test_vacancy_submission_erased_by_its_contact_address(ep_project, clock):
    app = app_for(ep_project.root, clock)
    assert Client(app).post(vacancy_submission()).status == 303
    assert app.storage.erase(clock(), email="fietsen@buurtwerk.be")["submissions"] == 1
    assert app.storage.count() == 0
