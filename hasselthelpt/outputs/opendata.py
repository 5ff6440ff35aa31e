"""Open data: a versioned JSON export of the open public vacancies, the organisations and the upcoming events,
with its JSON Schema, for partners and apps.

Records are the content model itself (the field names and vocabularies of hasselthelpt.content.schema), minus what is not
for the public: no status or internal flag (only published, public items are exported) and no contact person
unless the content marks it public (`contact_public: true`). The JSON Schema is derived from the same field
definitions. Versioning: the major version is in the path (/open-data/v1/); additions of optional fields raise
the minor `api_version` (1.0 -> 1.1) and stay in v1; renaming, removing or retyping a field starts v2, and v1 keeps
being published beside it for at least a year. docs/open-data.md has the policy; /open-data/ the field list.

Pure: items and URL functions in, dicts out; `write` (in build.CHANNELS) writes them as JSON, and `page` adds the
documentation page (/open-data/) to the site's plan.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Callable

from pathlib import Path

from .. import brand
from ..content import schema
from ..content.facts import upcoming_shifts
from ..content.loading import Item
from ..content.publication import active
from ..content.schema import CONTENT_TYPES, THEMES, Field, field_json_schema
from ..files import write_if_changed
from ..images.photos import ImageSet
from ..settings import TIMEZONE, Settings
from .calendars import AGENDA_ICS
from .feeds import general_feeds, theme_feed
from .pages import Page, url_of

MAJOR = 1
API_VERSION = "1.1"  # 1.1: vacancies' location and shifts (place only for location 'adres'), events' organiser,
# price and accessibility, photo credits
FOLDER = f"open-data/v{MAJOR}"
NOT_EXPORTED = {"status", "internal", "contact_public", "image_alt", "translations", "people", "consent"}


@dataclass(frozen=True)
class Dataset:
    name: str  # file name without .json
    type: str  # content type
    title: str  # Dutch, for the documentation page
    what: str  # which items, in plain Dutch

    @property
    def file(self) -> str:
        return f"{FOLDER}/{self.name}.json"

    @property
    def schema_file(self) -> str:
        return f"{FOLDER}/schema/{self.name}.schema.json"


DATASETS = (
    Dataset("vacancies", "vacancy", "Vacatures", "Alle open vacatures op de publieke site: gepubliceerd, niet "
            "afgelopen en niet alleen voor personeel. Nieuwste eerst."),
    Dataset("organisations", "organisation", "Organisaties", "Alle organisaties en stadsdiensten met een profiel, "
            "op naam."),
    Dataset("events", "event", "Activiteiten", "De activiteiten van de agenda die nog niet voorbij zijn, op "
            "begindatum."),
)

VOCABULARIES = {
    "themes": schema.THEMES, "deelgemeenten": schema.DEELGEMEENTEN, "kinds": schema.KINDS, "when": schema.WHEN,
    "dutch_levels": schema.DUTCH_LEVELS, "expenses": schema.EXPENSES, "talents": schema.TALENTS,
    "organisation_kinds": schema.ORGANISATION_KINDS, "event_kinds": schema.EVENT_KINDS,
}

IMAGE_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["url", "width", "height"],
    "properties": {"url": {"type": "string", "format": "uri"}, "width": {"type": "integer", "minimum": 1},
                   "height": {"type": "integer", "minimum": 1},
                   "alt": {"type": "string", "description": "What the photo shows (alt text)."}},
}


def exported_fields(type_name: str) -> list[Field]:
    return [f for f in CONTENT_TYPES[type_name].fields if f.name not in NOT_EXPORTED]


def _always_there(f: Field) -> bool:
    """Present in every record: required in the content, or filled with a default. (The contact is required in
    the content but only exported when public.)"""
    return f.name != "contact" and (f.required or f.default is not None)


def shifts(items: list[dict]) -> list[dict]:
    """A vacancy's coming shifts as exported: start and end in ISO 8601 with their UTC offset."""
    return [{k: s[k].replace(tzinfo=TIMEZONE).isoformat() for k in ("start", "end")} for s in items]


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    return value


# --- Records ---

ImageOf = Callable[[str | None], dict | None]  # content image path -> {"url", "width", "height"} or None


def record(item: Item, url: str, image_of: ImageOf, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One exported item: id (the file name, stable), url, then its fields in schema order."""
    out: dict[str, Any] = {"id": item.slug, "url": url}
    for f in exported_fields(item.type):
        value = item.data.get(f.name)
        if f.name == "contact":
            if item.data.get("contact_public"):
                out["contact"] = _strip_none(value)
            continue
        if value is None:
            continue
        if f.kind == "image":
            image = image_of(value)
            if image is None:
                continue
            alt = item.data.get("image_alt") if f.name == "image" else f"Logo van {item.data.get('name')}"
            value = {**image, "alt": alt} if alt else image
        elif f.kind == "date":
            value = value.isoformat()
        elif f.kind == "datetime":
            value = value.replace(tzinfo=TIMEZONE).isoformat()
        out[f.name] = _strip_none(value)
        if f.kind == "markdown":
            out[f"{f.name}_html"] = item.html.get(f.name, "")
    return {**out, **(extra or {})}


EXTRA_FIELDS = {  # fields a dataset adds to the model's own
    "organisation": {"open_vacancies": {"type": "integer", "minimum": 0,
                                        "description": "Number of open vacancies in vacancies.json."}},
}


def document(dataset: Dataset, records: list[dict], as_of: dt.date, base_url: str) -> dict[str, Any]:
    return {
        "$schema": f"{base_url}/{dataset.schema_file}",
        "api_version": API_VERSION,
        "as_of": as_of.isoformat(),
        "source": f"{brand.NAME}, Stad Hasselt",
        "documentation": f"{base_url}/open-data/",
        "count": len(records),
        "items": records,
    }


def index(counts: dict[str, int], as_of: dt.date, base_url: str) -> dict[str, Any]:
    return {
        "$schema": f"{base_url}/{FOLDER}/schema/index.schema.json",
        "api_version": API_VERSION,
        "as_of": as_of.isoformat(),
        "source": f"{brand.NAME}, Stad Hasselt",
        "documentation": f"{base_url}/open-data/",
        "datasets": [{"name": d.name, "title": d.title, "description": d.what, "url": f"{base_url}/{d.file}",
                      "schema": f"{base_url}/{d.schema_file}", "count": counts[d.name]} for d in DATASETS],
        "vocabularies": VOCABULARIES,
    }


# --- JSON Schema, derived from the content schema ---

def _field_schema(f: Field) -> dict[str, Any]:
    description = f"{f.label}. {f.help}"
    if f.kind == "image":
        return {**IMAGE_SCHEMA, "description": f"{f.label}: the photo in the largest size the site publishes."}
    if f.kind == "markdown":
        return {"type": "string", "description": f"{description} (Markdown)"}
    if f.kind == "datetime":
        return {"type": "string", "format": "date-time", "description": f"{f.label}, Belgian time with its UTC "
                "offset (ISO 8601)."}
    if f.name == "contact":
        return {**field_json_schema(f), "description": "Contactpersoon. Only present when the organisation "
                "allows it to be public."}
    if f.kind == "list":
        items = {"type": "object", "additionalProperties": False,
                 "properties": {sub.name: _field_schema(sub) for sub in f.fields},
                 "required": [sub.name for sub in f.fields if sub.required]}
        return {"type": "array", "items": items, "description": description}
    return field_json_schema(f)


def record_schema(type_name: str) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": schema.SLUG_RE.pattern,
               "description": "Stable identifier: the file name of the item. Never reused for another item."},
        "url": {"type": "string", "format": "uri", "description": "The item's permanent page on the site."},
    }
    required = ["id", "url"]
    for f in exported_fields(type_name):
        properties[f.name] = _field_schema(f)
        if f.kind == "markdown":
            properties[f"{f.name}_html"] = {"type": "string", "description": f"{f.label}, as HTML."}
        if _always_there(f):
            required.append(f.name)
            if f.kind == "markdown":
                required.append(f"{f.name}_html")
    for name, prop in EXTRA_FIELDS.get(type_name, {}).items():
        properties[name] = prop
        required.append(name)
    return {"type": "object", "additionalProperties": False, "required": required, "properties": properties}


def _envelope(title: str, base_url: str, name: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url}/{FOLDER}/schema/{name}.schema.json",
        "title": title,
        "type": "object",
    }


COMMON = {
    "$schema": {"type": "string", "format": "uri"},
    "api_version": {"type": "string", "pattern": rf"^{MAJOR}\.\d+$",
                    "description": "major.minor; the major version is also in the path."},
    "as_of": {"type": "string", "format": "date", "description": "The day the export was made for."},
    "source": {"type": "string"},
    "documentation": {"type": "string", "format": "uri"},
}


def dataset_schema(dataset: Dataset, base_url: str) -> dict[str, Any]:
    return {
        **_envelope(f"{brand.NAME} open data v{MAJOR}: {dataset.name}", base_url, dataset.name),
        "description": dataset.what,
        "additionalProperties": False,
        "required": ["api_version", "as_of", "count", "items"],
        "properties": {**COMMON, "count": {"type": "integer", "minimum": 0},
                       "items": {"type": "array", "items": record_schema(dataset.type)}},
    }


def index_schema(base_url: str) -> dict[str, Any]:
    vocab = {"type": "object", "additionalProperties": {"type": "string"}}
    return {
        **_envelope(f"{brand.NAME} open data v{MAJOR}: index", base_url, "index"),
        "additionalProperties": False,
        "required": ["api_version", "as_of", "datasets", "vocabularies"],
        "properties": {
            **COMMON,
            "datasets": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["name", "url", "schema", "count"],
                "properties": {"name": {"enum": [d.name for d in DATASETS]}, "title": {"type": "string"},
                               "description": {"type": "string"}, "url": {"type": "string", "format": "uri"},
                               "schema": {"type": "string", "format": "uri"},
                               "count": {"type": "integer", "minimum": 0}}}},
            "vocabularies": {"type": "object", "additionalProperties": False, "required": list(VOCABULARIES),
                             "properties": {name: vocab for name in VOCABULARIES},
                             "description": "The slug -> Dutch label of every value used in the records."},
        },
    }


def field_docs(type_name: str) -> list[dict[str, Any]]:
    """Rows for the documentation page: name, JSON type, always present or not, meaning."""
    rs = record_schema(type_name)
    rows = []
    for name, prop in rs["properties"].items():
        kind = prop.get("type") or ("text (one of a list)" if "enum" in prop else "")
        if prop.get("format"):
            kind = f"{kind} ({prop['format']})"
        if "enum" in prop or prop.get("items", {}).get("enum"):
            kind += ": see vocabularies"
        rows.append({"name": name, "type": kind, "required": name in rs["required"],
                     "description": prop.get("description", "")})
    return rows


def dumps(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def page(common: dict[str, Any]) -> Page:
    """The documentation page of the open data (theme/templates/opendata.html)."""
    datasets = [{"dataset": d, "fields": field_docs(d.type)} for d in DATASETS]
    return Page("open-data/index.html", "opendata", {
        **common, "page_url": "open-data/", "datasets": datasets, "api_version": API_VERSION,
        "opendata_folder": FOLDER, "feed_links": general_feeds(), "agenda_ics": AGENDA_ICS,
        "themes_feeds": [theme_feed(t) for t in THEMES]})


def write(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: the datasets of the live public items, their schemas and the index."""
    corpus, images, today = prepared.corpus, prepared.images, settings.today
    base, live = settings.absolute_url, prepared.publication.live

    def image_of(rel: str | None) -> dict | None:
        found: ImageSet | None = images.get(rel) if rel else None
        if not found:
            return None
        v = found.largest
        return {"url": f"{base}/{v.url}", "width": v.width, "height": v.height}

    def url(item: Item) -> str:
        return f"{base}/{url_of(item)}"

    open_count = {o: 0 for o in corpus.organisations}
    for v in live["vacancy"]:
        open_count[v.organisation] += 1
    records = {
        "vacancies": [record(v, url(v), image_of, {"shifts": shifts(upcoming_shifts(v, today))})
                      for v in live["vacancy"]],
        "organisations": [record(o, url(o), image_of, {"open_vacancies": open_count[o.slug]})
                          for o in sorted(active(corpus.organisations), key=lambda o: (o.name.casefold(), o.slug))],
        "events": [record(e, url(e), image_of) for e in live["event"]],
    }
    for dataset in DATASETS:
        write_if_changed(output / dataset.file, dumps(document(dataset, records[dataset.name], today, base)))
        write_if_changed(output / dataset.schema_file, dumps(dataset_schema(dataset, base)))
    counts = {name: len(rs) for name, rs in records.items()}
    write_if_changed(output / FOLDER / "index.json", dumps(index(counts, today, base)))
    write_if_changed(output / FOLDER / "schema" / "index.schema.json", dumps(index_schema(base)))
