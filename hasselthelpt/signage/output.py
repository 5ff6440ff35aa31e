"""What the players pull, per screen: the slides, a playlist (JSON), a Media RSS feed and a slideshow page.

```
signage/<screen>/index.html     slideshow for players that show a web page (full screen, crossfade, offline)
signage/<screen>/playlist.json  Anthias-style assets: name, uri, mimetype, start_date, end_date, duration, play_order
signage/<screen>/feed.xml       Media RSS for BrightSign, Xibo and the like (media:content, dcterms:valid)
signage/<screen>/<slide>        the slides; the name holds a hash of the bytes, so a changed slide is a new file
```
Public screens are written below the site's output folder; staff screens (they may show staff-only items) into
the staff folder beside it, which is never part of the public site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from email.utils import format_datetime
from pathlib import Path

import jinja2

from .. import brand
from ..content.characters import xml_safe
from ..content.loading import ContentError, Corpus, item_error, key_lines
from ..content.publication import Publication
from ..files import link_into, write_if_changed
from ..incremental import Memo
from ..jinja import environment
from ..settings import Settings
from . import shaping
from .render import Job, run_jobs, slide_key, slide_layout
from .screens import SCREENS_FILE, Screen
from .select import CAMPAIGN, Slide, select, site_address

log = logging.getLogger(__name__)

FOLDER = "signage"
PLAYLIST, FEED, SLIDESHOW = "playlist.json", "feed.xml", "index.html"
SLIDESHOW_TEMPLATE, INDEX_TEMPLATE = "signage_slideshow.html", "signage_index.html"  # in theme/templates/
CROSSFADE_MS = 1000
MEDIA_NS = "http://search.yahoo.com/mrss/"
DCTERMS_NS = "http://purl.org/dc/terms/"
ATOM_NS = "http://www.w3.org/2005/Atom"
DEV_SITE_URL = "http://127.0.0.1:8000"


# --- Addresses ---------------------------------------------------------------------------------------------------

def site_url(settings: Settings) -> str:
    """The public site's absolute address: SITEURL in production, the local preview server in development."""
    return (getattr(settings, "absolute_url", "") or settings.site_url or DEV_SITE_URL).rstrip("/")


@dataclass(frozen=True)
class Place:
    """Where a screen's files go and under which address players find them."""

    folder: Path  # signage/<screen>/ below the public output or the staff folder
    url: str  # its absolute address, without a trailing slash


def place_of(screen: Screen, settings: Settings, output: Path) -> Place:
    if screen.audience == "staff":
        return Place(settings.staff_folder(output) / FOLDER / screen.name,
                     f"{settings.staff_base_url(output)}/{FOLDER}/{screen.name}")
    return Place(output / FOLDER / screen.name, f"{site_url(settings)}/{FOLDER}/{screen.name}")


def slides_of(corpus: Corpus, screen: Screen, settings: Settings, output: Path, limit: bool = True,
              publication: Publication | None = None) -> list[Slide]:
    """A screen's slides, with their links for where the screen's files go."""
    slides = select(corpus, screen, settings.today, settings.preview, site_url(settings), limit=limit,
                    publication=publication)
    return placed(slides, screen, settings, output)


def placed(slides: list[Slide], screen: Screen, settings: Settings, output: Path) -> list[Slide]:
    """Staff-only items link to their entry on the staff page (they have no public page)."""
    if screen.audience != "staff":
        return slides
    staff = settings.staff_base_url(output)
    out = []
    for s in slides:
        if s.internal:
            link = (f"{staff}/?utm_source=signage&utm_medium={screen.name}&utm_campaign={CAMPAIGN}"
                    f"#{s.type}-{s.slug}")
            s = replace(s, link=link, qr_url=link if s.qr_url else None)
        out.append(s)
    return out


def plan_slides(corpus: Corpus, screens: dict[str, Screen], settings: Settings,
                publication: Publication) -> dict[str, list[Slide]]:
    """The slides of every screen for this build (before `placed`): made once, in `check`."""
    return {name: select(corpus, screen, settings.today, settings.preview, site_url(settings),
                         publication=publication) for name, screen in screens.items()}


def fallback_slide(screen: Screen, settings: Settings) -> Slide:
    """The brand slide a slideshow shows when every item has expired before the next build."""
    base = site_url(settings)
    link = f"{base}/?utm_source=signage&utm_medium={screen.name}&utm_campaign={CAMPAIGN}"
    start = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    line = {"none": "", "website": f"Meer info: {site_address(base)}"}.get(
        screen.line, f"Kijk wat bij jou past op {site_address(base)}")
    return Slide(screen=screen.name, type="brand", slug="hasselt-helpt", path="", kickers=(brand.TAGLINE,),
                 title="Word vrijwilliger in Hasselt", line=line, line_field=None,
                 qr_url=link if screen.qr else None, link=link, photo=None, start=start,
                 end=dt.datetime(9999, 1, 1, tzinfo=dt.timezone.utc), internal=False)


# --- Check -------------------------------------------------------------------------------------------------------

def check(corpus: Corpus, settings: Settings, screens: dict[str, Screen],
          with_previews: Publication) -> list[ContentError]:
    """Every item whose text does not fit a screen that would show it (drafts and future items included, from
    `with_previews`, so they are caught before they are published), and a min_text_size too large for a screen's
    own brand slide. Mistakes in signage/screens.yaml itself come from `load_screens`."""
    errors: list[ContentError] = []
    output = settings.root / "output"
    preview_settings = replace(settings, preview=True)
    lines = key_lines((settings.root / SCREENS_FILE).read_text(encoding="utf-8")) if screens else {}
    seen: set[tuple[str, str]] = set()
    # Laying out a slide is pure (slide, screen, code): the last check's answers are kept for unchanged slides.
    memo = Memo(settings.cache_path / "memo" / "signage-check.pickle")

    def problems(slide: Slide, screen: Screen) -> list:
        return memo.get(Memo.key("layout", slide, screen), lambda: slide_layout(slide, screen).problems)

    def missing(text: str, bold: bool) -> list[str]:
        return memo.get(Memo.key("glyphs", text, bold), lambda: shaping.missing(text, bold))

    for screen in screens.values():
        brand_slide = fallback_slide(screen, settings)
        if problems(brand_slide, screen):
            key = f"{screen.name}.min_text_size"
            errors.append(ContentError(SCREENS_FILE, key, f"({screen.min_text_size} px) is too large for a screen "
                                       f"of {screen.width}x{screen.height}: even its own slide '{brand_slide.title}' "
                                       "does not fit", "Use a smaller min_text_size, or smaller safe margins.",
                                       lines.get(key)))
        for slide in slides_of(corpus, screen, preview_settings, output, limit=False, publication=with_previews):
            item = corpus.of_type(slide.type)[slide.slug]
            errors += _glyph_errors(item, slide, seen, missing)
            for field, problem, fix in problems(slide, screen):
                errors.append(item_error(item, field, problem, fix))
    memo.save()
    return errors


def _glyph_errors(item, slide: Slide, seen: set[tuple[str, str]], missing=shaping.missing) -> list[ContentError]:
    """A character that no font of the slides has would be an empty box on every screen: one error per field
    (not per screen), naming the characters."""
    errors = []
    for field, text, bold in (("title", slide.title, True), (slide.line_field, slide.line, False)):
        if not field or (item.path, field) in seen:
            continue
        missing_here = missing(text, bold)
        if missing_here:
            seen.add((item.path, field))
            errors.append(item_error(
                item, field, f"has {'a character' if len(missing_here) == 1 else 'characters'} that the screens cannot "
                f"draw: {', '.join(shaping.describe(ch) for ch in missing_here[:5])}",
                f"Remove or replace {'it' if len(missing_here) == 1 else 'them'}: the slides' fonts have "
                f"{', '.join(shaping.SCRIPTS[:-1])} and {shaping.SCRIPTS[-1]} (screen '{slide.screen}' shows this "
                "item)."))
    return errors


# --- Rendering (cached) ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Made:
    """A slide whose image exists: in the cache, and soon in the screen's folder under `name`."""

    slide: Slide
    file: Path  # the cache file
    name: str  # <type>-<slug>-<hash of the bytes>.<ext>
    size: int  # bytes


def make(wanted: list[tuple[Screen, Slide]], root: Path, cache_dir: Path, workers: int | None = None
         ) -> tuple[list[Made], int]:
    """Render what is not in the cache (in parallel), then name every slide by its bytes. Returns the slides
    and how many were rendered."""
    photos: dict[str, bytes] = {}
    todo: dict[Path, Job] = {}
    files = []
    for screen, slide in wanted:
        photo = None
        if slide.photo:
            if slide.photo not in photos:
                photos[slide.photo] = (root / "content" / slide.photo).read_bytes()
            photo = photos[slide.photo]
        target = cache_dir / f"{slide_key(slide, screen, photo)}{screen.suffix}"
        if not target.is_file() and target not in todo:
            todo[target] = Job(slide, screen, root / "content" / slide.photo if slide.photo else None, target)
        files.append(target)
    run_jobs(list(todo.values()), workers)
    made = []
    for (screen, slide), file in zip(wanted, files):
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:12]
        made.append(Made(slide, file, f"{slide.type}-{slide.slug}-{digest}{screen.suffix}", len(data)))
    return made, len(todo)


# --- The files players read --------------------------------------------------------------------------------------

def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def assets(screen: Screen, made: list[Made], place: Place) -> list[dict]:
    return [{
        "asset_id": Path(m.name).stem,
        "name": m.slide.title,
        "uri": f"{place.url}/{m.name}",
        "mimetype": screen.mimetype,
        "start_date": _iso(m.slide.start),
        "end_date": _iso(m.slide.end),
        "duration": screen.slide_duration,
        "play_order": order,
        "is_enabled": 1,
        "width": screen.width,
        "height": screen.height,
        "file_size": m.size,
        "link": m.slide.link,
    } for order, m in enumerate(made)]


def playlist(screen: Screen, made: list[Made], place: Place) -> bytes:
    """The Anthias-style playlist: players skip an asset outside its start_date..end_date by themselves."""
    items = assets(screen, made, place)
    version = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()[:12]
    doc = {
        "screen": screen.name, "label": screen.label, "width": screen.width, "height": screen.height,
        "orientation": screen.orientation, "audience": screen.audience, "slide_duration": screen.slide_duration,
        "version": version, "feed": f"{place.url}/{FEED}", "slideshow": f"{place.url}/{SLIDESHOW}",
        "assets": items,
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def media_rss(screen: Screen, made: list[Made], place: Place, site: str) -> bytes:
    """RSS 2.0 with Media RSS: each item a media:content (url, type, fileSize, duration, width, height) and
    dcterms:valid with its window; the guid is the file name, which changes when the slide's bytes change."""
    ET.register_namespace("media", MEDIA_NS)
    ET.register_namespace("dcterms", DCTERMS_NS)
    ET.register_namespace("atom", ATOM_NS)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    for tag, text in (("title", f"{brand.NAME} – {screen.label}"), ("link", f"{site}/"),
                      ("description", f"Slides van {brand.NAME} voor {screen.label} ({screen.width}x"
                                      f"{screen.height})."),
                      ("language", "nl-be"), ("ttl", "15")):
        ET.SubElement(channel, tag).text = text
    ET.SubElement(channel, f"{{{ATOM_NS}}}link", {"href": f"{place.url}/{FEED}", "rel": "self",
                                                  "type": "application/rss+xml"})
    for m in made:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = m.slide.title
        ET.SubElement(item, "link").text = m.slide.link
        ET.SubElement(item, "description").text = m.slide.line or m.slide.title
        ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = f"{screen.name}/{m.name}"
        ET.SubElement(item, "pubDate").text = format_datetime(m.slide.start)
        ET.SubElement(item, f"{{{MEDIA_NS}}}content", {
            "url": f"{place.url}/{m.name}", "type": screen.mimetype, "medium": "image",
            "fileSize": str(m.size), "duration": str(screen.slide_duration),
            "width": str(screen.width), "height": str(screen.height)})
        ET.SubElement(item, f"{{{DCTERMS_NS}}}valid").text = (
            f"start={_iso(m.slide.start)}; end={_iso(m.slide.end)}; scheme=W3C-DTF")
    ET.indent(rss)
    xml = ET.tostring(rss, encoding="utf-8", xml_declaration=True).decode("utf-8")
    return (xml_safe(xml) + "\n").encode("utf-8")  # ElementTree would write the characters XML forbids


SLIDESHOW_JS = """
(function () {
  var slides = [].slice.call(document.querySelectorAll("img.slide"));
  var fallback = document.getElementById("fallback");
  var version = document.body.getAttribute("data-version");
  var current = null, index = -1, layer = 1;
  function live(el) {  // the player's own clock: an item past its end drops out before the next build
    var now = Date.now();
    return Date.parse(el.getAttribute("data-start")) <= now && now < Date.parse(el.getAttribute("data-end"));
  }
  function show(el) {
    if (el === current) return;
    var previous = current;
    el.style.zIndex = ++layer;  // the new slide fades in on top; the old one stays until it is covered
    el.className += " on";
    current = el;
    if (previous) setTimeout(function () { previous.className = previous.className.replace(" on", ""); },
                             %(fade)d + 100);
  }
  function next() {
    for (var step = 1; step <= slides.length; step++) {
      var i = (index + step) %% slides.length;
      if (live(slides[i])) {
        index = i;
        show(slides[i]);
        setTimeout(next, 1000 * Number(slides[i].getAttribute("data-duration")));
        return;
      }
    }
    show(fallback);
    setTimeout(next, 60000);
  }
  function refresh() {  // a new build: reload, but only when the server answers (offline, keep playing)
    if (!window.fetch) return;
    fetch("%(playlist)s", {cache: "no-store"}).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) { if (p && p.version && p.version !== version) location.reload(); })
      .catch(function () {});
  }
  window.addEventListener("load", function () { next(); setInterval(refresh, 15 * 60 * 1000); });
})();
"""


# The slideshow's script and style, the same on every screen: security.py allows exactly these by their hash.
SLIDESHOW_SCRIPT = SLIDESHOW_JS % {"fade": CROSSFADE_MS, "playlist": PLAYLIST}
SLIDESHOW_STYLE = f"""
html, body {{ margin: 0; width: 100%; height: 100%; overflow: hidden; background: {brand.COLOURS["paper"]};
  cursor: none; }}
body.primary {{ background: {brand.COLOURS["primary"]}; }}
img {{ position: fixed; inset: 0; width: 100%; height: 100%; object-fit: contain; opacity: 0;
      transition: opacity {CROSSFADE_MS}ms ease-in-out; }}
img.on {{ opacity: 1; }}
"""
INDEX_STYLE = f"""body {{ font-family: sans-serif; margin: 2em; color: {brand.COLOURS["ink"]}; }}
th, td {{ text-align: left; padding: .3em .8em; }}"""


def slideshow(env: jinja2.Environment, screen: Screen, made: list[Made], fallback: Made, version: str) -> bytes:
    """A full-screen page that shows the slides in turn with a crossfade (theme/templates/signage_slideshow.html).
    Everything is in the page or next to it: once loaded (all images are in the page, so the browser preloads
    them) it needs no network."""
    slides = [{"name": m.name, "title": m.slide.title, "start": _iso(m.slide.start), "end": _iso(m.slide.end)}
              for m in made]
    return env.get_template(SLIDESHOW_TEMPLATE).render(
        screen=screen, slides=slides, fallback=fallback.name, version=version, style=SLIDESHOW_STYLE,
        script=SLIDESHOW_SCRIPT).encode("utf-8")


def index_page(env: jinja2.Environment, rows: list[tuple[Screen, Place]], title: str) -> bytes:
    """An overview for the signage operator: every screen with the three addresses a player can use."""
    return env.get_template(INDEX_TEMPLATE).render(
        title=title, screens=[s for s, _ in rows], style=INDEX_STYLE,
        files={"slideshow": SLIDESHOW, "playlist": PLAYLIST, "feed": FEED}).encode("utf-8")


def _publish(made: list[Made], folder: Path) -> None:
    """Put the slides in the screen's folder (hard links to the cache where possible) and remove old ones."""
    folder.mkdir(parents=True, exist_ok=True)
    keep = {m.name for m in made} | {PLAYLIST, FEED, SLIDESHOW}
    for old in folder.iterdir():  # precompressed copies (publish.py) go with their file
        if old.name.removesuffix(".gz").removesuffix(".br") not in keep and old.is_file():
            old.unlink()
    for m in made:
        link_into(m.file, folder / m.name)


def write_signage(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: the slides and the playlists of every screen in signage/screens.yaml (the screens
    and their slides as `check` found them: prepared.screens, prepared.slides)."""
    screens = prepared.screens
    if not screens:
        return
    per_screen = {name: placed(prepared.slides[name], screen, settings, output) for name, screen in screens.items()}
    wanted = [(screens[name], s) for name, slides in per_screen.items() for s in slides]
    wanted += [(screen, fallback_slide(screen, settings)) for screen in screens.values()]
    made, rendered = make(wanted, settings.root, settings.cache_path / FOLDER)
    by_screen: dict[str, list[Made]] = {name: [] for name in screens}
    fallbacks: dict[str, Made] = {}
    for (screen, slide), m in zip(wanted, made):
        if slide.type == "brand":
            fallbacks[screen.name] = m
        else:
            by_screen[screen.name].append(m)
    rows: dict[str, list[tuple[Screen, Place]]] = {"public": [], "staff": []}
    env = environment(settings.templates)
    for name, screen in screens.items():
        place = place_of(screen, settings, output)
        slides = by_screen[name]
        _publish(slides + [fallbacks[name]], place.folder)
        data = playlist(screen, slides, place)
        write_if_changed(place.folder / PLAYLIST, data)
        write_if_changed(place.folder / FEED, media_rss(screen, slides, place, site_url(settings)))
        write_if_changed(place.folder / SLIDESHOW, slideshow(env, screen, slides, fallbacks[name],
                                                             json.loads(data)["version"]))
        rows[screen.audience].append((screen, place))
    if rows["public"]:
        write_if_changed(output / FOLDER / "index.html", index_page(env, rows["public"], f"{brand.NAME}: schermen"))
    if rows["staff"]:
        write_if_changed(settings.staff_folder(output) / FOLDER / "index.html",
                         index_page(env, rows["staff"], f"{brand.NAME}: schermen voor het personeel"))
    log.info("Signage: %d slides for %d screens; %d rendered, the rest from the cache.", len(made), len(screens),
             rendered)
