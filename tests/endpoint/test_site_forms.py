"""The forms as the built site shows them: accessible, working without JavaScript, sending exactly the fields the
endpoint takes (with the schema's vocabularies), and posted as a browser would post them."""

from __future__ import annotations

import posixpath
import re

import pytest

from endpoint_testing import Client, Clock, app_for, make_project
from hh_testing import REPO, TODAY, event, html
from hasselthelpt.content.schema import (DEELGEMEENTEN, DUTCH_LEVELS, EXPENSES, KINDS, MOMENTS, TALENTS, TEXT_KINDS,
    THEMES, WHEN, WHERE)
from hasselthelpt.endpoint.config import ENDPOINT_DEFAULTS
from hasselthelpt.endpoint.forms import FORMS, flat_fields, form_fields
from hasselthelpt.settings import DEFAULTS

PAGES = {"aanmelding": "vacatures/kok/", "afspraak": "afspraak/", "vacature": "vacature-indienen/"}
FILL = {"email": "test@example.be", "tel": "011 23 94 00", "number": "2", "date": "2099-01-31",
        "text": "Een korte tekst", "textarea": "Een langere tekst.\nMet twee regels."}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("site"), full=True)
    project.write("content/events/markt.yaml", event(start="2026-12-04 08:00", end="2026-12-04 12:00",
                                                     place={"name": "Vrijdagmarkt", "address": "Kolonel Dusartplein",
                                                            "deelgemeente": "hasselt-centrum"}))
    return project, project.build(today=TODAY)


def form_of(output, form: str):
    soup = html(output, PAGES[form])
    [element] = soup.select("form[data-hh-form]")
    return soup, element


@pytest.mark.parametrize("form", list(PAGES))
def test_form_posts_to_the_endpoint_without_javascript(site, form):
    _, output = site
    soup, element = form_of(output, form)
    assert element["method"] == "post"
    action = posixpath.normpath(posixpath.join("/" + PAGES[form], element["action"]))
    assert action == DEFAULTS["HH_FORM_ACTION"][0]
    assert element.find("button", type="submit")
    assert element.find("input", attrs={"name": "form"})["value"] == form
    assert element.find("input", attrs={"name": "privacy_version"})["value"] == DEFAULTS["HH_PRIVACY_VERSION"][0]
    script = soup.find("script", src=re.compile(r"theme/js/forms\.js$"))
    assert script is not None and script.has_attr("defer")
    assert (output / "theme" / "js" / "forms.js").is_file()


@pytest.mark.parametrize("form", list(PAGES))
def test_form_sends_exactly_what_the_endpoint_takes(site, form):
    _, output = site
    _, element = form_of(output, form)
    names = {e["name"] for e in element.find_all(["input", "select", "textarea"]) if e.get("name")}
    assert names <= form_fields(form), names - form_fields(form)
    required = {name for name, (f, _) in flat_fields(FORMS[form]).items() if f.required}
    assert required <= names, required - names
    assert {"consent", "website", "token", "submission_id"} <= names


@pytest.mark.parametrize("form, name, vocabulary", [
    ("afspraak", "talents", TALENTS), ("afspraak", "themes", THEMES), ("afspraak", "when", MOMENTS),
    ("afspraak", "deelgemeente", WHERE), ("afspraak", "dutch_level", DUTCH_LEVELS),
    ("vacature", "themes", THEMES), ("vacature", "talents", TALENTS), ("vacature", "when", WHEN),
    ("vacature", "kind", KINDS), ("vacature", "dutch_level", DUTCH_LEVELS), ("vacature", "expenses", EXPENSES),
    ("vacature", "place.deelgemeente", DEELGEMEENTEN)])
def test_choices_come_from_the_schema(site, form, name, vocabulary):
    _, output = site
    _, element = form_of(output, form)
    values = [e["value"] for e in element.find_all(["input", "option"], attrs={"name": name})] or \
             [o["value"] for o in element.find("select", attrs={"name": name}).find_all("option") if o["value"]]
    assert values == list(vocabulary)
    labels = [element.find("label", attrs={"for": e["id"]}).get_text(strip=True)
              for e in element.find_all("input", attrs={"name": name})]
    if labels:
        assert labels == list(vocabulary.values())
        assert element.find("input", attrs={"name": name}).find_parent("fieldset").find("legend").get_text(strip=True)


@pytest.mark.parametrize("form", list(PAGES))
def test_maxlength_is_the_schema_limit(site, form):
    """Every text field of a built form has the limit that the endpoint and `check` enforce (one number)."""
    _, output = site
    _, element = form_of(output, form)
    fields = flat_fields(FORMS[form])
    texts = element.find_all("textarea") + element.find_all("input", type=["text", "email", "tel"])
    texts = [e for e in texts if e["name"] in fields]
    assert len(texts) == len([f for f, _ in fields.values() if f.kind in TEXT_KINDS and f.kind != "slug"])
    for e in texts:
        assert int(e["maxlength"]) == fields[e["name"]][0].max_length, e["name"]


@pytest.mark.parametrize("form", list(PAGES))
def test_every_field_has_a_label(site, form):
    _, output = site
    _, element = form_of(output, form)
    for e in element.find_all(["input", "select", "textarea"]):
        if e.get("type") == "hidden":
            continue
        label = element.find("label", attrs={"for": e.get("id")})
        assert e.get("id") and label and label.get_text(strip=True), e
        if e.get("aria-describedby"):
            for ref in e["aria-describedby"].split():
                assert element.find(id=ref), f"{e['name']}: aria-describedby={ref} points nowhere"
    for fieldset in element.find_all("fieldset"):
        assert fieldset.find("legend").get_text(strip=True)
    ids = [e["id"] for e in element.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids"


@pytest.mark.parametrize("form, autocomplete", [
    ("aanmelding", {"name": "name", "email": "email", "phone": "tel"}),
    ("afspraak", {"name": "name", "email": "email", "phone": "tel"}),
    ("vacature", {"submitter_name": "name", "submitter_email": "email", "organisation": "organization"})])
def test_personal_fields_have_autocomplete(site, form, autocomplete):
    _, output = site
    _, element = form_of(output, form)
    for name, value in autocomplete.items():
        assert element.find(attrs={"name": name})["autocomplete"] == value


def browser_post(element, choose: dict) -> dict:
    """The fields a browser without JavaScript sends: hidden values, required fields filled in, first choices."""
    data: dict = {}
    for e in element.find_all(["input", "select", "textarea"]):
        name, kind = e.get("name"), e.get("type", e.name)
        if not name or name == "website":
            continue
        if name in choose:
            data[name] = choose[name]
        elif kind == "hidden":
            data[name] = e.get("value", "")
        elif kind in ("checkbox", "radio"):
            if e.has_attr("required") and name not in data:
                data[name] = e["value"]
        elif e.name == "select":
            data[name] = e.find_all("option")[1]["value"] if e.has_attr("required") else ""
        elif e.has_attr("required"):
            data[name] = FILL.get(kind, FILL["text"])
    return data


@pytest.mark.parametrize("form, choose", [
    ("aanmelding", {}),
    ("afspraak", {"talents": ["koken", "luisteren"], "when": "avond", "phone": "011 23 94 00"}),
    ("vacature", {"themes": "jeugd", "when": "weekdag", "organisation": "buurtwerk", "contact.email": "a@b.be",
                  "place.address": "Kerkstraat 1, 3510 Kermt", "place.deelgemeente": "kermt"})])
def test_the_built_form_posted_as_a_browser_would(site, form, choose):
    project, output = site
    _, element = form_of(output, form)
    app = app_for(project.root, Clock())
    answer = Client(app).post(browser_post(element, choose))
    assert answer.status == 303, answer.text
    thanks = answer.headers["Location"].strip("/") + "/"
    assert html(output, thanks).find("h1").get_text(strip=True) == "Bedankt!"
    assert app.storage.count(form) == 1


def test_appointment_page_helps_people_who_are_not_online(site):
    _, output = site
    soup = html(output, "afspraak/")
    aside = soup.find("aside")
    text = aside.get_text(" ", strip=True)
    assert "011 00 10 00" in text and "infostand" in text
    assert aside.find("a", href=re.compile(r"agenda/markt/$")) and "vrijdag 4 december 2026" in text


def test_forms_are_linked_from_every_page(site):
    _, output = site
    footer = html(output, "").find("footer")
    hrefs = [a["href"] for a in footer.find_all("a")]
    assert any(h.endswith("/afspraak/") for h in hrefs) and any(h.endswith("/vacature-indienen/") for h in hrefs)


def test_sample_pages_link_to_the_forms():
    pages = REPO / "content" / "pages"
    assert "(../vacature-indienen/)" in (pages / "voor-organisaties.md").read_text(encoding="utf-8")
    for name in ("nieuwe-hasselaar", "veelgestelde-vragen", "over-hasselt-helpt"):
        assert "(../afspraak/)" in (pages / f"{name}.md").read_text(encoding="utf-8")


def test_the_privacy_text_states_the_version_the_forms_store():
    text = (REPO / "content" / "pages" / "privacy.md").read_text(encoding="utf-8")
    assert f"Versie {DEFAULTS['HH_PRIVACY_VERSION'][0]}," in text


@pytest.mark.parametrize("key", list(ENDPOINT_DEFAULTS))
def test_every_endpoint_setting_is_documented_for_operators(key):
    operators = (REPO / "docs" / "operators.md").read_text(encoding="utf-8")
    assert re.search(rf"\b{key}\b", operators), f"{key} is not in docs/operators.md"
