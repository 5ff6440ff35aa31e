"""Jinja2 filters and globals for the theme: Dutch dates and the vocabularies' labels, without a system locale,
and the direction of user text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from . import brand
from .content import facts, schema
from .content.direction import dir_attr, isolate
from .endpoint.alerts import facets as alert_facets
from .endpoint.forms import FORMS, flat_fields

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def nl_date(value: dt.date, weekday: bool = False) -> str:
    """'4 december 2026', or 'vrijdag 4 december 2026'."""
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} {text}" if weekday else text


def nl_time(value: dt.datetime) -> str:
    return f"{value.hour}.{value.minute:02d} uur" if value.minute else f"{value.hour} uur"


def nl_period(start: dt.datetime, end: dt.datetime) -> str:
    """'vrijdag 4 december 2026 van 8 uur tot 12 uur', or across days 'van ... tot ...'."""
    if start.date() == end.date():
        return f"{nl_date(start, weekday=True)}, van {nl_time(start)} tot {nl_time(end)}"
    return f"van {nl_date(start, weekday=True)} {nl_time(start)} tot {nl_date(end, weekday=True)} {nl_time(end)}"


def yes_no(value: bool) -> str:
    return "ja" if value else "nee"


# dir_attr: `<h1{{ v.title | dir_attr }}>` marks right-to-left text; isolate: `{{ o.name | isolate }}` inside a
# Dutch sentence (hasselthelpt/content/direction.py)
FILTERS = {"nl_date": nl_date, "nl_time": nl_time, "nl_period": nl_period, "yes_no": yes_no, "dir_attr": dir_attr,
           "isolate": isolate, "euro": facts.euro}

GLOBALS = {
    "BRAND": brand,
    "BRAND_CSS": brand.css_variables(),
    "LOGO_SVG": brand.logo_svg(),
    "THEMES": schema.THEMES,
    "DEELGEMEENTEN": schema.DEELGEMEENTEN,
    "WHERE": schema.WHERE,
    "MOMENTS": schema.MOMENTS,
    "LOCATIONS": schema.LOCATIONS,
    "ONE_OFF_LABEL": schema.ONE_OFF_LABEL,
    "FORM_LIST_ROWS": schema.FORM_LIST_ROWS,
    "KINDS": schema.KINDS,
    "WHEN": schema.WHEN,
    "DUTCH_LEVELS": schema.DUTCH_LEVELS,
    "EXPENSES": schema.EXPENSES,
    "TALENTS": schema.TALENTS,
    "ORGANISATION_KINDS": schema.ORGANISATION_KINDS,
    "EVENT_KINDS": schema.EVENT_KINDS,
    "LANGUAGES": schema.LANGUAGES,
    "RIGHT_TO_LEFT": schema.RIGHT_TO_LEFT,
    "TRANSLATION_NOTES": schema.TRANSLATION_NOTES,
    # What items mean beyond their fields (hasselthelpt/content/facts.py), for the templates.
    "where_label": facts.where_label,
    "where_short": facts.where_short,
    "upcoming_shifts": facts.upcoming_shifts,
    "next_shift": facts.next_shift,
    "photo_credit": facts.photo_credit,
    "price_label": facts.price_label,
    "organiser_name": facts.organiser_name,
    "accessibility_label": facts.accessibility_label,
    "LABELS": {t.name: {f.name: f.label for f in t.fields} for t in schema.CONTENT_TYPES.values()},
    # form -> field name -> the schema's length limit: the forms' maxlength (theme/templates/_forms.html)
    # The vacancy-alert form's filters (theme/templates/_alert.html): the search page's, less type and age.
    "alert_facets": lambda: [f for f in alert_facets().values() if f["key"] != "leeftijd"],
    "MAXLENGTH": {form: {name: f.max_length for name, (f, _) in flat_fields(fields).items() if f.max_length}
                  for form, fields in FORMS.items()},
}


def environment(templates: Path) -> jinja2.Environment:
    """The theme's templates with these filters and globals, for pages written outside Pelican's writer."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env
