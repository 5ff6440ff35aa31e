"""Test helpers: small project trees in tmp_path that build with the real theme, plugin and settings, factories of
minimal valid content, and HTML parsing.

They live here rather than in conftest.py so that test modules can import them: `from conftest import ...` would
find whichever conftest.py pytest loaded last (tests/browser/ has its own)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from PIL import Image

from hasselthelpt import settings as hh_settings
from hasselthelpt.build import check
from hasselthelpt.cli import build_site, pelican_settings
from hasselthelpt.content import sanitise

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-27"  # the date the sample content and the tests are written against


class Project:
    """A throwaway project folder: the repo's settings, theme and plugins, plus the content a test writes."""

    def __init__(self, root: Path):
        self.root = root
        for name in ("pelicanconf.py", "publishconf.py"):
            shutil.copy(REPO / name, root / name)
        for name in ("theme", "plugins"):
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        (root / "content").mkdir(exist_ok=True)
        (root / "vacancies").mkdir(exist_ok=True)

    def write(self, rel: str, data: dict | str, body: str | None = None) -> Path:
        """Write a content file: a dict becomes YAML (front matter when body is given), a str is written as is."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, dict):
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            if body is not None:
                text = f"---\n{text}---\n{body}"
        else:
            text = data
        path.write_text(text, encoding="utf-8")
        return path

    def image(self, rel: str, size=(1600, 1067), mode="RGB", colour=(200, 80, 90)) -> Path:
        path = self.root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new(mode, size, colour).save(path)
        return path

    def photo(self, rel: str, size=(1600, 1067)) -> Path:
        """A detailed (not flat) JPEG, so resizing and encoding have real work to do."""
        path = self.root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        grey = Image.effect_mandelbrot(size, (-2.0, -1.2, 1.0, 1.2), 64)
        Image.merge("RGB", (grey, grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT), Image.linear_gradient("L")
                            .resize(size))).save(path, "JPEG", quality=95)
        return path

    def settings(self, production: bool = False, today: str = TODAY) -> hh_settings.Settings:
        conf = self.root / ("publishconf.py" if production else "pelicanconf.py")
        return hh_settings.from_pelican(pelican_settings(conf, HH_TODAY=today))

    def check(self, today: str = TODAY):
        """The content errors, as `hasselthelpt check` reports them."""
        return check(self.settings(today=today))[1]

    def build(self, production: bool = False, today: str = TODAY) -> Path:
        return build_site(self.root, production, self.root / "output", HH_TODAY=today)


# Minimal valid content, for tests that change one field at a time.
def organisation(**changes) -> dict:
    data = {"name": "Buurtwerk Test", "kind": "organisatie", "summary": "Wij helpen buren.",
            "description": "Een **organisatie** in Kermt.\n", "themes": ["buurt-en-samenleven"],
            "contact": {"name": "An", "email": "an@example.be"}}
    return {**data, **changes}


def vacancy(**changes) -> dict:
    data = {"title": "Kok voor de buurtsoep", "organisation": "buurtwerk", "summary": "Kook mee.",
            "description": "Je kookt *samen*.\n", "themes": ["buurt-en-samenleven"], "talents": ["koken"],
            "kind": "structureel", "time_commitment": "3 uur per week", "when": ["weekdag"],
            "place": {"address": "Kerkstraat 1, 3510 Kermt", "deelgemeente": "kermt"}, "dutch_level": "basis",
            "expenses": "geen", "mileage_allowance": False, "insured": True,
            "contact": {"name": "An", "email": "an@example.be"},
            "publish_from": dt.date(2026, 10, 1), "valid_through": dt.date(2027, 6, 30)}
    return {**data, **changes}


def story(**changes) -> dict:
    """Front matter of a story; the photo (images/stories/foto.jpg) must be written with project.photo()."""
    data = {"title": "Samen koken in Kermt", "date": dt.date(2026, 11, 1), "summary": "An kookt mee.",
            "image": "images/stories/foto.jpg", "image_alt": "Twee vrijwilligers aan het fornuis"}
    return {**data, **changes}


def event(**changes) -> dict:
    data = {"title": "Infostand op de markt", "kind": "markt", "summary": "Kom langs.",
            "description": "Met **koffie**.\n", "start": "2026-12-04 08:00", "end": "2026-12-04 12:00",
            "place": {"address": "Grote Markt 1, 3500 Hasselt", "deelgemeente": "hasselt-centrum"}}
    return {**data, **changes}


def press(**changes) -> dict:
    """Front matter of a press release (content/press/<slug>.md)."""
    data = {"title": "Beurs zoekt vrijwilligers", "date": dt.date(2026, 11, 1), "summary": "Veertig organisaties."}
    return {**data, **changes}


def page(**changes) -> dict:
    """Front matter of a static page (content/pages/<slug>.md)."""
    data = {"title": "Over ons", "summary": "Wie we zijn."}
    return {**data, **changes}


# A small portrait screen for the tests' signage/screens.yaml; `screens_yaml(qr=False, ...)` changes keys.
TEST_SCREEN = {"label": "Testzuil", "width": 540, "height": 960, "orientation": "portrait",
               "safe_margin": {"top": 40, "right": 36, "bottom": 48, "left": 36}, "audience": "public",
               "content": ["vacancies", "events", "stories"], "slide_duration": 10, "max_slides": 4, "qr": True,
               "format": "jpeg", "min_text_size": 24, "max_text_size": 56, "title_lines": 5}


def screens_yaml(**changes) -> str:
    """signage/screens.yaml with the one test screen 'zuil'."""
    return yaml.safe_dump({"zuil": {**TEST_SCREEN, **changes}}, sort_keys=False, allow_unicode=True)


def every_field(fields, prefix: str = ""):
    """(dotted path, Field) of every schema field, nested ones ('place.address', 'translations.lang') included."""
    for f in fields:
        yield prefix + f.name, f
        yield from every_field(f.fields, f"{prefix}{f.name}.")


def html(output: Path, url: str) -> BeautifulSoup:
    """The parsed page at a site URL such as 'vacatures/kok/' ('' is the home page)."""
    path = output / url / "index.html" if not url.endswith(".html") else output / url
    assert path.is_file(), f"{url} was not built ({path} is missing)"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def executable_parts(html: str) -> list[str]:
    """Everything in an HTML fragment that could run script, load from elsewhere or restyle the page: elements off
    the sanitiser's allow-list, event handlers and style, URLs with another scheme than http(s), mailto and tel
    (after the control characters and spaces a browser ignores), images from other sites, ids that are not
    footnotes'."""
    found = []
    for el in BeautifulSoup(html, "html.parser").find_all(True):
        if el.name not in sanitise.TAGS:
            found.append(f"<{el.name}>")
        for name, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "xlink:href"):
                found.append(f"{el.name}[{name}]")
            if name in ("href", "src"):
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", squeezed)
                if scheme and scheme.group(1) not in sanitise.URL_SCHEMES:
                    found.append(f"{el.name}[{name}={value!r}]")
                if el.name == "img" and (scheme or squeezed.startswith("//")):
                    found.append(f"img from another site: {value!r}")
            if name == "id" and not value.startswith("fn"):
                found.append(f"{el.name}[id={value!r}]")
    return found
