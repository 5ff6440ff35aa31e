"""The web editor's configuration (hasselthelpt/editor_config.py) against the schema: every field of every content
type is in the editor with the widget of its kind, `required` as the schema says, every enumerated value with its
Dutch label, the schema's default, a Dutch hint, and a pattern that accepts what `check` accepts and refuses what
is too long. The editor writes the folders and formats content loading reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hasselthelpt import editor_config, security
from hasselthelpt.content.schema import CONTENT_TYPES, check_value
from hasselthelpt.editor_hints import HINTS, hint
from hasselthelpt.outputs import editor as editor_output
from hasselthelpt.settings import SettingsError, from_pelican

WIDGETS = {"text": "string", "markdown": "markdown", "int": "number", "amount": "number", "bool": "boolean",
           "date": "datetime", "datetime": "datetime", "choice": "select", "choices": "select", "slug": "string",
           "email": "string", "phone": "string", "url": "string", "image": "image", "object": "object",
           "list": "list"}
REPO = Path(__file__).resolve().parents[1]
TEXT_KINDS = ("text", "markdown", "slug", "email", "phone", "url", "image")


def settings(tmp_path, **keys):
    return from_pelican({"PATH": str(tmp_path / "content"), **keys})


@pytest.fixture
def config(tmp_path):
    return yaml.safe_load(editor_config.config_yaml(settings(tmp_path)))


def fields_of(ctype):
    return list(ctype.fields) + ([ctype.body] if ctype.body else [])


def pairs(schema_fields, editor_fields, type_name, path="", optional=False):
    """(schema field, editor field, path, inside an optional group) for every field at every depth; fails on a
    missing or extra field."""
    by_name = {f["name"]: f for f in editor_fields}
    assert [f["name"] for f in editor_fields] == [f.name for f in schema_fields], f"{type_name} {path}: field order"
    for f in schema_fields:
        yield f, by_name[f.name], path + f.name, optional
        if f.fields:
            inner = optional or (f.kind == "object" and not f.required)
            yield from pairs(f.fields, by_name[f.name]["fields"], type_name, path + f.name + ".", inner)


def test_every_content_type_is_a_collection_writing_the_files_check_reads(config):
    collections = {c["name"]: c for c in config["collections"]}
    assert set(editor_config.COLLECTIONS) == set(CONTENT_TYPES), "a content type the editor does not offer"
    for type_name, (name, _) in editor_config.COLLECTIONS.items():
        ctype, c = CONTENT_TYPES[type_name], collections[name]
        assert c["folder"] == ctype.folder and "." + c["extension"] == ctype.suffix
        assert c["format"] == ("frontmatter" if ctype.body else "yaml")
        assert c["label_singular"] == ctype.label
        if ctype.body:
            assert c["fields"][-1]["name"] == "body" == ctype.body.name, "Decap puts the field 'body' below the ---"


def test_every_schema_field_has_its_widget_required_options_and_default(config):
    collections = {c["name"]: c for c in config["collections"]}
    checked = 0
    for type_name, (name, _) in editor_config.COLLECTIONS.items():
        ctype = CONTENT_TYPES[type_name]
        for f, e, path, optional in pairs(fields_of(ctype), collections[name]["fields"], type_name):
            where = f"{type_name}.{path}"
            checked += 1
            assert e["label"] == f.label, where
            # Decap checks the required fields of an optional group left empty: there `check` does it
            assert e["required"] is (f.required and not optional), where
            widget = "relation" if f.refers else WIDGETS[f.kind]
            assert e["widget"] == widget, where
            if f.refers:
                target = editor_config.COLLECTIONS[f.refers][0]
                assert e["collection"] == target and e["value_field"] == "{{slug}}", where
            if f.kind in ("choice", "choices"):
                assert [(o["value"], o["label"]) for o in e["options"]] == list(f.choices.items()), where
                assert e.get("multiple", False) is (f.kind == "choices"), where
            if f.kind == "choices" and f.required:
                assert e["min"] == 1, where
            if f.default not in (None, [], "") and f.kind not in ("object", "list"):
                assert e["default"] == f.default, where
            if f.kind == "bool":
                assert e["default"] == (f.default or False), where
            if f.kind == "int":
                assert (e["min"], e["max"], e["value_type"]) == (f.minimum, f.maximum, "int"), where
            if f.kind == "list" and f.max_items:
                assert e["max"] == f.max_items, where
            if f.kind == "date":
                assert e["format"] == "YYYY-MM-DD" and e["time_format"] is False, where
            if f.kind == "datetime":
                assert e["format"] == "YYYY-MM-DD HH:mm", where
            if f.kind == "markdown":
                assert e["editor_components"] == [], "no images or code blocks inside a text: " + where
            if f.max_length is not None and not f.refers:
                assert e["pattern"][0].startswith("^(?="), f"{where}: no length limit"
    assert checked > 100


def test_every_field_has_a_dutch_hint_and_no_hint_is_left_over():
    used = set()
    for type_name, ctype in CONTENT_TYPES.items():
        def walk(fields, path=""):
            for f in fields:
                key = path + f.name
                assert hint(type_name, key), f"no Dutch hint for {type_name}.{key} in hasselthelpt/editor_hints.py"
                used.update({key, f"{type_name}:{key}"})
                walk(f.fields, key + ".")
        walk(fields_of(ctype))
    assert set(HINTS) <= used, f"hints for fields the schema does not have: {sorted(set(HINTS) - used)}"


def _examples(f):
    return {"email": ["vrijwilligers@hasselt.be", "A.B@Example.BE"], "phone": ["011 23 94 00", "+32 11 23 94 00"],
            "url": ["https://www.hasselt.be"], "slug": ["stad-hasselt"], "image": ["images/a.jpg", "images/B.PNG"],
            "text": ["Kok voor de buurtsoep"], "markdown": ["Een **tekst**.\n\nMet twee alinea's."]}.get(f.kind, [])


def test_each_pattern_accepts_what_check_accepts_and_refuses_what_it_refuses(config):
    """Decap compiles the pattern as a JavaScript RegExp; the patterns use only syntax both languages read alike."""
    collections = {c["name"]: c for c in config["collections"]}
    tried = 0
    for type_name, (name, _) in editor_config.COLLECTIONS.items():
        for f, e, path, _ in pairs(fields_of(CONTENT_TYPES[type_name]), collections[name]["fields"], type_name):
            if "pattern" not in e:
                assert f.kind not in TEXT_KINDS or f.refers or f.max_length is None, f"{type_name}.{path}"
                continue
            regex = re.compile(e["pattern"][0])
            for value in _examples(f):
                assert check_value(f, value)[1] == [] and regex.search(value), f"{type_name}.{path}: {value!r}"
                tried += 1
            if f.max_length:
                long = "a" * (f.max_length + 1)
                assert check_value(f, long)[1] and not regex.search(long), f"{type_name}.{path}: too long"
            wrong = {"email": "geen adres", "phone": "bel me", "url": "www.hasselt.be", "slug": "Stad Hasselt",
                     "image": "images/a.gif"}.get(f.kind)
            if wrong:
                assert check_value(f, wrong)[1] and not regex.search(wrong), f"{type_name}.{path}: {wrong!r}"
            assert e["pattern"][1], "a message for the editor"
    assert tried > 30


def test_production_uses_the_editorial_workflow_and_development_the_local_backend(tmp_path):
    production = editor_config.config(settings(tmp_path))
    assert production["publish_mode"] == "editorial_workflow" and "local_backend" not in production
    assert production["locale"] == "nl"
    assert production["media_folder"] == "content/images" and production["public_folder"] == "images"
    local = editor_config.config(settings(tmp_path), local="http://127.0.0.1:8081/api/v1")
    assert local["local_backend"]["url"] == "http://127.0.0.1:8081/api/v1" and "publish_mode" not in local


def test_the_backend_is_a_setting_and_is_checked(tmp_path):
    forgejo = {"name": "forgejo", "repo": "stad/hasselthelpt", "api_root": "https://git.hasselt.be/api/v1",
               "app_id": "abc"}
    assert editor_config.config(settings(tmp_path, HH_EDITOR_BACKEND=forgejo))["backend"] == forgejo
    with pytest.raises(editor_config.EditorConfigError, match="name"):
        editor_config.config(settings(tmp_path, HH_EDITOR_BACKEND={"name": "svn", "repo": "x"}))
    with pytest.raises(editor_config.EditorConfigError, match="repo"):
        editor_config.config(settings(tmp_path, HH_EDITOR_BACKEND={"name": "gitlab"}))
    with pytest.raises(SettingsError):
        settings(tmp_path, HH_EDITOR_BACKENDS={})


def test_the_editor_page_loads_decap_from_the_site_and_the_site_stylesheet_for_previews(tmp_path):
    s = settings(tmp_path, SITEURL="https://www.hasselt.be/hasselthelpt", THEME=str(REPO / "theme"))
    page = editor_output.index_html(s, editor_output.site_root(s))
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["https://www.hasselt.be/hasselthelpt/admin/decap-cms.js",
                       "https://www.hasselt.be/hasselthelpt/theme/js/admin-preview.js"]
    assert 'data-site-css="https://www.hasselt.be/hasselthelpt/theme/css/site.css"' in page
    assert 'lang="nl"' in page and "unpkg" not in page and "cdn" not in page.lower()
    files = {p.name for p in editor_output.decap_files(editor_output.decap_folder(s))}
    assert "decap-cms.js" in files and not any(n.endswith(".map") for n in files)
    assert any(n.endswith(".wasm") for n in files), "the chunks and WebAssembly Decap loads beside itself"


def test_the_editor_has_its_own_security_policy_and_the_site_keeps_its_own():
    editor_csp = security.headers("/hasselthelpt/admin/", "/hasselthelpt")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval';" in editor_csp, "only the editor's own files"
    assert "'unsafe-eval'" not in security.SITE_CSP
    assert "frame-ancestors 'none'" in editor_csp
    assert security.headers("/hasselthelpt/vacatures/", "/hasselthelpt")["Content-Security-Policy"] == security.SITE_CSP
    assert "unsafe-inline" not in security.SITE_CSP.split("style-src")[1].split(";")[0]


def test_the_error_list_links_each_content_file_to_its_entry_in_the_editor():
    from hasselthelpt.editor_dev import editor_link

    for type_name, (collection, _) in editor_config.COLLECTIONS.items():
        ctype = CONTENT_TYPES[type_name]
        link = editor_link(f"{ctype.folder}/x-y{ctype.suffix}")
        assert link == f"/admin/#/collections/{collection}/entries/x-y", type_name
    assert editor_link("content/redirects.yaml") is None and editor_link("signage/screens.yaml") is None


def test_every_field_that_names_another_file_says_which_type_so_the_editor_offers_a_list():
    def walk(fields):
        for f in fields:
            yield f
            yield from walk(f.fields)

    slugs = [(name, f) for name, ctype in CONTENT_TYPES.items() for f in walk(ctype.fields) if f.kind == "slug"]
    assert slugs, "the schema has fields that name other files"
    for name, f in slugs:
        assert f.refers in CONTENT_TYPES, f"{name}.{f.name}: set Field.refers to the content type it names"
