"""The open-data export: valid against the JSON Schema it publishes, derived from the content schema, the same
items as the site, and no personal contact data unless the content marks it public."""

from __future__ import annotations

import json

import jsonschema
import pytest

from channel_site import OPEN_PUBLIC_VACANCIES, build
from hh_testing import html
from hasselthelpt.cli import pelican_settings
from hasselthelpt.content.schema import CONTENT_TYPES
from hasselthelpt.outputs import opendata
from hasselthelpt.settings import DEFAULTS

FILES = ("index", "vacancies", "organisations", "events")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory, "opendata")


@pytest.fixture(scope="module")
def prod_url(site) -> str:
    return pelican_settings(site.project.root / "publishconf.py")["SITEURL"]


def load(output, name: str) -> dict:
    return json.loads((output / "open-data/v1" / f"{name}.json").read_text(encoding="utf-8"))


def published_schema(output, name: str) -> dict:
    return json.loads((output / "open-data/v1/schema" / f"{name}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["dev", "prod"])
@pytest.mark.parametrize("name", FILES)
def test_export_validates_against_its_published_schema(site, kind, name):
    output = getattr(site, kind)
    data, schema = load(output, name), published_schema(output, name)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, "\n".join(errors)
    assert data["$schema"] == schema["$id"]
    assert data["api_version"].startswith("1.")


def test_the_schema_is_strict(site):
    schema = published_schema(site.prod, "vacancies")
    data = load(site.prod, "vacancies")
    data["items"][0]["internal"] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data = load(site.prod, "vacancies")
    del data["items"][0]["valid_through"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_schema_is_derived_from_the_content_schema():
    for dataset in opendata.DATASETS:
        props = opendata.record_schema(dataset.type)["properties"]
        for f in CONTENT_TYPES[dataset.type].fields:
            assert (f.name in props) == (f.name not in opendata.NOT_EXPORTED), (dataset.name, f.name)
            if f.kind == "choice" and f.name in props:
                assert props[f.name]["enum"] == list(f.choices), f.name


def test_same_items_as_the_site(site, prod_url):
    vacancies = load(site.prod, "vacancies")
    assert [v["id"] for v in vacancies["items"]] == OPEN_PUBLIC_VACANCIES
    assert vacancies["count"] == len(OPEN_PUBLIC_VACANCIES)
    kok = vacancies["items"][1]
    assert kok["url"] == f"{prod_url}/vacatures/kok/"
    assert kok["valid_through"] == "2027-06-30" and kok["place"]["deelgemeente"] == "kermt"
    assert kok["description_html"].startswith("<p>Je kookt <em>samen</em>")
    assert kok["image"]["url"].startswith(f"{prod_url}/img/") and kok["image"]["alt"] == "Een pot soep"
    assert (site.prod / kok["image"]["url"].removeprefix(prod_url + "/")).is_file()
    events = load(site.prod, "events")
    assert [e["id"] for e in events["items"]] == ["markt", "feest"]
    assert events["items"][0]["start"] == "2026-12-04T08:00:00+01:00"
    orgs = load(site.prod, "organisations")
    assert [o["id"] for o in orgs["items"]] == ["buurtwerk", "dierenhulp"]
    assert {o["id"]: o["open_vacancies"] for o in orgs["items"]} == {"buurtwerk": 1, "dierenhulp": 1}
    index = load(site.prod, "index")
    assert {d["name"]: d["count"] for d in index["datasets"]} == {"vacancies": 2, "organisations": 2, "events": 2}
    assert all(d["url"].startswith(f"{prod_url}/open-data/v1/") for d in index["datasets"])
    assert index["vocabularies"]["themes"]["dieren"] == "Dieren"


def test_no_personal_contact_data_unless_public(site):
    for kind in ("dev", "prod"):
        output = getattr(site, kind)
        text = "".join((output / "open-data/v1" / f"{n}.json").read_text(encoding="utf-8") for n in FILES)
        for private in ("an.peeters@example.be", "0470 12 34 56", "An Peeters", "an@example.be"):
            assert private not in text, private
        vacancies = {v["id"]: v for v in load(output, "vacancies")["items"]}
        assert "contact" not in vacancies["kok"]
        assert vacancies["hond"]["contact"] == {"name": "Onthaal Dierenhulp", "email": "info@dierenhulp.example"}
        orgs = {o["id"]: o for o in load(output, "organisations")["items"]}
        assert "contact" not in orgs["buurtwerk"] and orgs["dierenhulp"]["contact"]["phone"] == "011 22 33 44"
        for record in vacancies.values():
            assert "internal" not in record and "status" not in record and "contact_public" not in record


def test_development_export_uses_the_development_address(site):
    base = DEFAULTS["HH_DEV_SITE_URL"][0]
    assert load(site.dev, "vacancies")["items"][0]["url"].startswith(base + "/vacatures/")
    assert load(site.dev, "index")["documentation"] == f"{base}/open-data/"


def test_documentation_page(site):
    page = html(site.prod, "open-data/")
    text = page.find("main").get_text(" ")
    for dataset in opendata.DATASETS:
        table = page.find("h3", id=dataset.name).find_next("table")
        names = [code.get_text() for code in table.select("tbody td:first-child code")]
        assert names == list(opendata.record_schema(dataset.type)["properties"]), dataset.name
    assert "v2" in text and "versie" in text.lower()
    links = {a["href"] for a in page.find_all("a", href=True)}
    assert any(href.endswith("/open-data/v1/index.json") for href in links)
    assert any(href.endswith("/open-data/v1/schema/vacancies.schema.json") for href in links)
    footer = html(site.prod, "").find("footer")
    assert footer.find("a", href=lambda h: h and h.endswith("/open-data/")) is not None
