"""The screens the city has, read from signage/screens.yaml and checked like content (file, line, key, fix).

The fields of one screen are defined here with the content schema's `Field` machinery, so `check` reports a
mistake in screens.yaml exactly as it reports one in a vacancy, and `hasselthelpt schema` can publish a JSON
Schema for editors.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


from ..content.loading import ContentError, key_lines, line_of, load_yaml
from ..content.schema import SLUG_RE, THEMES, Field, check_mapping

SCREENS_FILE = "signage/screens.yaml"

CONTENT_KINDS = {
    "vacancies": "Vacatures",
    "events": "Activiteiten uit de agenda",
    "stories": "Verhalen",
}
CONTENT_TYPE_OF = {"vacancies": "vacancy", "events": "event", "stories": "story"}
AUDIENCES = {
    "public": "Iedereen: nooit items met internal: true",
    "staff": "Personeel: ook items met internal: true (die zijn voor de interne kanalen gemaakt)",
}
ORIENTATIONS = {"landscape": "Liggend (breder dan hoog)", "portrait": "Staand (hoger dan breed)"}
FORMATS = {"png": "PNG: scherpe tekst, groter bestand", "jpeg": "JPEG: klein bestand, goed voor foto's"}
LINES = {
    "item": "de korte regel van het item (plaats en tijd, datum, of de eerste zin van het verhaal)",
    "website": "het webadres van HASSELT Helpt (voor wie niet kan scannen, zoals chauffeurs)",
    "none": "geen tweede regel: alleen de titel",
}
STYLES = {
    "primary": "rode achtergrond met witte tekst (opvallend, voor buiten en van ver)",
    "light": "witte achtergrond met donkere tekst en rode accenten (binnen, e-mail)",
}


def _margin(side: str) -> Field:
    return Field(side, "int", f"Marge {side}", f"Pixels at the {side} edge where no text, logo or QR code may "
                 "go (the frame or bezel may hide them).", required=True, minimum=0, maximum=2000, example=40)


SCREEN = (
    Field("label", "text", "Naam", "What the screen is and where it hangs, for people reading the playlists.",
          required=True, max_length=80, example="JCDecaux-zuilen langs de Groene Boulevard"),
    Field("width", "int", "Breedte", "Width of the slide in pixels, as the player shows it.", required=True,
          minimum=100, maximum=8000, example=1080),
    Field("height", "int", "Hoogte", "Height of the slide in pixels.", required=True, minimum=100, maximum=8000,
          example=1920),
    Field("orientation", "choice", "Oriëntatie", "'landscape' (wider than high) or 'portrait' (higher than "
          "wide); must match width and height.", required=True, choices=ORIENTATIONS, example="portrait"),
    Field("safe_margin", "object", "Veilige marge", "Margins in pixels on each side that stay free of text, logo "
          "and QR code. Photos and background colour may run into them.", required=True,
          fields=tuple(_margin(side) for side in ("top", "right", "bottom", "left"))),
    Field("audience", "choice", "Publiek", "'public' (anyone can see it: never staff-only items) or 'staff' "
          "(city staff only: items with internal: true are shown too).", required=True, choices=AUDIENCES,
          example="public"),
    Field("content", "choices", "Inhoud", "What the screen shows: vacancies, events and/or stories.",
          required=True, choices=CONTENT_KINDS, example=["vacancies", "events", "stories"]),
    Field("featured_only", "bool", "Alleen in de kijker", "true: only items with featured: true (and, on staff "
          "screens, staff-only items); false: every open item.", default=True),
    Field("theme", "choice", "Thema", "Optional: only vacancies and stories with this theme.", choices=THEMES),
    Field("slide_duration", "int", "Duur per slide", "Seconds each slide stays on screen.", required=True,
          minimum=4, maximum=3600, example=10),
    Field("max_slides", "int", "Maximum aantal slides", "At most this many slides in the playlist.",
          required=True, minimum=1, maximum=100, example=8),
    Field("qr", "bool", "QR-code", "true: a QR code to the item's page. false where nobody can scan: drivers, "
          "e-mail.", required=True, example=True),
    Field("photo", "bool", "Foto", "true: show the item's photo when it has one.", default=True),
    Field("line", "choice", "Tweede regel", "Below the title: 'item' (a short line about the item), 'website' "
          "(the site's address) or 'none'.", default="item", choices=LINES),
    Field("style", "choice", "Stijl", "'primary' (red background) or 'light' (white background).",
          default="primary", choices=STYLES),
    Field("format", "choice", "Bestandsformaat", "'png' or 'jpeg' (what the player accepts).", required=True,
          choices=FORMATS, example="png"),
    Field("min_text_size", "int", "Kleinste tekst", "Smallest text height in pixels that is still legible at "
          "the viewing distance. Titles shrink down to this size and no further; `check` reports what does not "
          "fit.", required=True, minimum=8, maximum=1000, example=48),
    Field("max_text_size", "int", "Grootste tekst", "Size in pixels of a short title; longer titles shrink.",
          required=True, minimum=8, maximum=2000, example=110),
    Field("title_lines", "int", "Regels voor de titel", "At most this many lines for the title.", default=3,
          minimum=1, maximum=8),
)


@dataclass(frozen=True)
class Screen:
    name: str  # the key in screens.yaml; used in URLs and campaign tags
    label: str
    width: int
    height: int
    orientation: str
    safe_margin: tuple[int, int, int, int]  # top, right, bottom, left
    audience: str
    content: tuple[str, ...]
    featured_only: bool
    theme: str | None
    slide_duration: int
    max_slides: int
    qr: bool
    photo: bool
    line: str
    style: str
    format: str
    min_text_size: int
    max_text_size: int
    title_lines: int

    @property
    def safe_box(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) of the area where text, logo and QR code may go."""
        top, right, bottom, left = self.safe_margin
        return left, top, self.width - right, self.height - bottom

    @property
    def mimetype(self) -> str:
        return "image/png" if self.format == "png" else "image/jpeg"

    @property
    def suffix(self) -> str:
        return ".png" if self.format == "png" else ".jpg"

    def fingerprint(self) -> str:
        """Everything about the screen that shapes a slide, as stable text (part of the slide cache key)."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)


def parse_screens(text: str, rel: str = SCREENS_FILE) -> tuple[dict[str, Screen], list[ContentError]]:
    """Screens from the text of screens.yaml, and every problem found in it."""
    raw, errors = load_yaml(text, rel)
    if errors:
        return {}, errors
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [ContentError(rel, "", "does not hold screens", "Write each screen as 'name:' followed by "
                                 "its keys, indented by two spaces.", 1)]
    lines = key_lines(text)
    screens: dict[str, Screen] = {}
    errors: list[ContentError] = []

    def err(path: str, problem: str, fix: str) -> None:
        errors.append(ContentError(rel, path, problem, fix, line_of(lines, path)))

    for name, body in raw.items():
        name = str(name)
        if not SLUG_RE.match(name):
            err(name, "is not a usable screen name", "Use lowercase letters, digits and hyphens: the name is "
                "part of the players' web addresses.")
            continue
        if not isinstance(body, dict):
            err(name, "has no keys", "Indent the screen's keys (width, height, ...) by two spaces below it.")
            continue
        data, problems = check_mapping(SCREEN, body)
        for path, (what, fix) in problems:
            err(f"{name}.{path}", what, fix)
        if problems:
            continue
        width, height = data["width"], data["height"]
        before = len(errors)
        if (data["orientation"] == "portrait") != (height > width):
            err(f"{name}.orientation", f"is '{data['orientation']}' but the screen is {width}x{height}",
                "Swap width and height, or correct the orientation.")
        m = data["safe_margin"]
        if m["left"] + m["right"] > width * 0.5 or m["top"] + m["bottom"] > height * 0.5:
            err(f"{name}.safe_margin", "leaves less than half of the screen for text",
                "Use smaller margins: they are the edge strips that the frame may hide.")
        if data["min_text_size"] > data["max_text_size"]:
            err(f"{name}.min_text_size", f"({data['min_text_size']}) is larger than max_text_size "
                f"({data['max_text_size']})", "Make min_text_size at most max_text_size.")
        if data["max_text_size"] * 2 > height - m["top"] - m["bottom"]:
            err(f"{name}.max_text_size", f"({data['max_text_size']} px) is too large for a screen of {height} "
                "pixels high", "Use at most half of the height between the margins.")
        if len(errors) > before:
            continue
        screens[name] = Screen(
            name=name, label=data["label"], width=width, height=height, orientation=data["orientation"],
            safe_margin=(m["top"], m["right"], m["bottom"], m["left"]), audience=data["audience"],
            content=tuple(data["content"]), featured_only=data["featured_only"], theme=data["theme"],
            slide_duration=data["slide_duration"], max_slides=data["max_slides"], qr=data["qr"],
            photo=data["photo"], line=data["line"], style=data["style"], format=data["format"],
            min_text_size=data["min_text_size"], max_text_size=data["max_text_size"],
            title_lines=data["title_lines"])
    return screens, errors


def load_screens(root: Path) -> tuple[dict[str, Screen], list[ContentError]]:
    """The screens of a project (none when it has no signage/screens.yaml)."""
    path = root / SCREENS_FILE
    if not path.is_file():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return {}, [ContentError(SCREENS_FILE, "", "is not UTF-8 text", "Save the file as UTF-8 in your editor.")]
    return parse_screens(text)


def screens_json_schema() -> dict:
    """The JSON Schema of screens.yaml, for editors (written by `hasselthelpt schema`)."""
    from ..content.schema import json_object

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://www.hasselt.be/hasselthelpt/schema/screens.schema.json",
        "title": "HASSELT Helpt: schermen (signage/screens.yaml)",
        "type": "object",
        "propertyNames": {"pattern": SLUG_RE.pattern},
        "additionalProperties": json_object(SCREEN),
    }
