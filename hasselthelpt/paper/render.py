"""HTML to PDF: the templates in theme/templates/print/ rendered with Jinja, then laid out by WeasyPrint.

A PDF is cached under cache/print/ by a hash of its HTML, the digests of the images it shows (remembered by
file state, as the site's photos are: an unchanged photo is not read) and the renderer's version, so a build
lays out only the documents whose content changed (WeasyPrint takes 0.05-0.15 s of a core per document; a cache
hit is a file link).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

import jinja2
import segno

from .. import brand, jinja
from ..files import write_if_changed
from ..images.photos import SourceDigests
from ..incremental import remembered
from .formats import A3_SCALE, FORMATS

THEME = Path(__file__).resolve().parents[2] / "theme"
TEMPLATES = THEME / "templates" / "print"
RENDER_VERSION = "1"  # raise when a change of this module changes the PDFs


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(jinja.FILTERS)
    env.globals.update(jinja.GLOBALS)
    env.globals.update(FORMATS=FORMATS, FONT_DIR=brand.FONT_DIR.as_uri(), qr=qr_data_uri)
    return env


def qr_data_uri(url: str) -> str:
    """The QR code as an SVG image: vector, so it prints sharp at any size. Error level M, like the slides.
    Kept in cache/print/qr.json (see `qr_cache`): segno's search for the best mask costs 25 ms a code."""
    if url in _QR:
        return _QR[url]
    _QR[url] = segno.make(url, error="m", micro=False).svg_data_uri(border=4, dark=brand.COLOURS["ink"])
    return _QR[url]


_QR: dict[str, str] = {}


@contextlib.contextmanager
def qr_cache(cache_dir: Path):
    """Load the QR codes made by earlier builds, and save them with the new ones (keyed by URL and segno's
    version: the same URL always gives the same picture)."""
    path = cache_dir / f"qr-{version('segno')}.json"
    if path.is_file():
        _QR.update(json.loads(path.read_text(encoding="utf-8")))
    known = len(_QR)
    yield
    if len(_QR) != known:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_QR, sort_keys=True), encoding="utf-8")


def page_scale(size: str) -> float:
    return A3_SCALE if size == "a3" else 1.0


def render_html(template: str, templates: str, **context) -> str:
    """A print format's HTML. `templates` is the digest of the print templates (incremental.folder_digest of
    TEMPLATES, taken once per build): with it, an unchanged document's HTML is remembered between builds."""
    return _render_html(template, templates, **context)


@remembered("print-html", compress=True)
def _render_html(template: str, templates: str, **context) -> str:
    return _env().get_template(f"{template}.html").render(**context)


_ENV: list[jinja2.Environment] = []


def _env() -> jinja2.Environment:
    if not _ENV:
        _ENV.append(environment())
    return _ENV[0]


@functools.lru_cache(maxsize=1)
def _weasyprint_version() -> str:
    return version("weasyprint")  # reads the package's metadata: once, not once per document


def cache_key(html: str, images: list[bytes]) -> str:
    """The key of a document's PDF: its HTML, the digests of the images it shows, the renderer's version."""
    h = hashlib.sha256(f"{RENDER_VERSION}\0{_weasyprint_version()}\0{html}".encode())
    for digest in images:
        h.update(digest)
    return h.hexdigest()


def pdf(html: str, images: list[Path], cache_dir: Path) -> Path:
    """The PDF of the HTML, from the cache or laid out now. `images`: the files the HTML shows (file:// URIs)."""
    return pdfs([(html, images)], cache_dir, remember=False)[0]


def pdfs(documents: list[tuple[str, list[Path]]], cache_dir: Path, remember: bool = True) -> list[Path]:
    """`pdf` for many documents (HTML, images), the ones not in the cache laid out on every core: a cold
    city-scale build prints hundreds. `remember`: keep the images' digests for the next build (the build's
    documents; not one document's, which would drop the others')."""
    digests = SourceDigests(cache_dir / "sources.json" if remember else None)
    paths = [cache_dir / f"{cache_key(html, [digests.of(p) for p in images])}.pdf" for html, images in documents]
    digests.save()
    missing = list({path: (html, path) for (html, _), path in zip(documents, paths) if not path.is_file()}.values())
    if len(missing) < 4:  # starting workers (each loads Pango) costs more than a few documents take
        for job in missing:
            _lay_out(job)
    else:
        with ProcessPoolExecutor() as pool:  # one worker per core
            list(pool.map(_lay_out, missing, chunksize=4))
    return paths


def _lay_out(job: tuple[str, Path]) -> None:
    # A character no print font has (any alphabet may come in) is drawn as a box with a WeasyPrint warning, which
    # a production build's fatal warnings would turn into a failed build; errors (a missing image) still count.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    import weasyprint  # imported here: loading Pango costs half a second, and a warm build may not need it

    html, cached = job
    data = weasyprint.HTML(string=html, base_url=str(THEME / "static")).write_pdf(
        pdf_identifier=cached.stem[:32].encode(), uncompressed_pdf=False, font_config=_fonts())
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(cached)


@functools.cache
def _fonts():
    """One font configuration per process: every document loads the same brand fonts (@font-face), and loading
    them again for each took a quarter of a poster's layout time; the PDFs are the same bytes."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def publish(source: Path, target: Path) -> None:
    write_if_changed(target, source.read_bytes())
