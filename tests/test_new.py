"""`hasselthelpt new`: a documented template per content type, that passes `check` once filled in as is."""

from __future__ import annotations

import re

import pytest
import yaml

from hh_testing import every_field, organisation
from hasselthelpt import cli
from hasselthelpt.content.loading import split_front_matter
from hasselthelpt.content.schema import CONTENT_TYPES

TITLES = {  # a colon, quotes and an accent: the title must be quoted correctly in the YAML
    "vacancy": 'Kok: soep voor "buren" in Kiewit',
    "organisation": "Buurtwerk: Café Samen",
    "story": "Fatima's moestuin: een verhaal",
    "event": "Ontbijt: #vrijwilligers",
    "page": "Over: HASSELT Helpt",
    "press": "Persbericht: 200 \"vrijwilligers\" gezocht",
}


def title_field(type_name: str) -> str:
    """The field that holds what `--title` gives: 'title', or 'name' for an organisation."""
    names = {f.name for f in CONTENT_TYPES[type_name].fields}
    return "title" if "title" in names else "name"


def run_new(project, type_name: str, slug: str, title: str | None = None) -> int:
    argv = ["--project", str(project.root), "new", type_name, slug]
    return cli.main(argv + (["--title", title] if title else []))


def path_of(project, type_name: str, slug: str):
    ctype = CONTENT_TYPES[type_name]
    return project.root / ctype.folder / f"{slug}{ctype.suffix}"


def fields_of(text: str, type_name: str) -> dict:
    if CONTENT_TYPES[type_name].suffix == ".md":
        parts = split_front_matter(text)
        assert parts is not None, "the new Markdown file has no front matter"
        text = parts[0]
        assert parts[1].strip(), "the new Markdown file has no body text"
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("type_name", list(CONTENT_TYPES))
def test_new_writes_a_documented_file_with_the_title(project, type_name):
    assert run_new(project, type_name, "nieuw-item", TITLES[type_name]) == 0
    path = path_of(project, type_name, "nieuw-item")
    text = path.read_text(encoding="utf-8")
    data = fields_of(text, type_name)
    assert data[title_field(type_name)] == TITLES[type_name]
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    for name, f in every_field(CONTENT_TYPES[type_name].fields):
        assert any(f.label in c and f.help in c for c in comments), f"field {name} is not explained in a comment"
        if f.required and "." not in name:
            assert name in data, f"required field {name} has no value in the template"


@pytest.mark.parametrize("type_name", [t for t in CONTENT_TYPES if CONTENT_TYPES[t].suffix == ".yaml"])
def test_new_yaml_points_editors_to_the_json_schema(project, type_name):
    assert run_new(project, type_name, "nieuw-item") == 0
    path = path_of(project, type_name, "nieuw-item")
    match = re.search(r"yaml-language-server: \$schema=(\S+)", path.read_text(encoding="utf-8"))
    assert match, "no $schema comment for the YAML editor extension"
    assert (path.parent / match.group(1)).resolve() == (project.root / "schema" / f"{type_name}.schema.json")


@pytest.mark.parametrize("type_name", ["vacancy", "organisation", "event", "page"])
def test_new_file_passes_check(project, type_name):
    org_slug = CONTENT_TYPES["vacancy"].field("organisation").example  # the organisation the template names
    if type_name != "organisation":
        project.write(f"content/organisations/{org_slug}.yaml", organisation())
    assert run_new(project, type_name, "nieuw-item", TITLES[type_name]) == 0
    assert project.check() == []


def test_new_without_title_keeps_the_example(project):
    assert run_new(project, "vacancy", "kok") == 0
    data = fields_of(path_of(project, "vacancy", "kok").read_text(encoding="utf-8"), "vacancy")
    assert data["title"] == CONTENT_TYPES["vacancy"].field("title").example


def test_new_refuses_to_overwrite(project, capsys):
    path = project.write("vacancies/kok.yaml", "title: mijn werk\n")
    assert run_new(project, "vacancy", "kok", "Iets anders") == 1
    assert path.read_text(encoding="utf-8") == "title: mijn werk\n"
    assert "kok.yaml" in capsys.readouterr().err


def test_new_refuses_a_name_that_is_not_a_slug(project):
    with pytest.raises(SystemExit) as exc:
        run_new(project, "vacancy", "Kok Soep")
    assert exc.value.code == 2
    assert not (project.root / "vacancies" / "Kok Soep.yaml").exists()
