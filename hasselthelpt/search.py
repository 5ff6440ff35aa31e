"""Search and the matcher: the search page's filters, what each page tells the search index, and the build step
that writes the index (Pagefind) and the matcher's data.

Search runs in the browser on a static index that Pagefind builds from the written pages (`write_search`, in
build.CHANNELS, runs the `pagefind` binary from the pagefind[bin] package over the output folder). Only open
vacancies, organisations and stories are indexed: their templates mark the text with `data-pagefind-body`, and
Pagefind then skips every page without it. The templates also give each page its filters
(`data-pagefind-filter`, from `filters_of` below), its sort keys (`data-pagefind-sort`: `nieuw` = publication
date, `sluit` = closing date) and the facts a result shows (`data-pagefind-meta`). The search page
(theme/templates/search.html, theme/static/js/search.js) asks Pagefind's JavaScript API for results and counts;
without JavaScript it points to the server-rendered filter pages.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

from .facts import kinds_of, where_key
from .files import kept, sync_folder, write_if_changed
from .matching import features_of, matcher_data
from .schema import DUTCH_LEVELS, KINDS, ONE_OFF, ONE_OFF_LABEL, THEMES, WHEN, WHERE

SEARCH_URL = "zoeken/"
MATCHER_URL = "matcher/"
MATCHER_DATA = "matcher/data.json"
PAGEFIND_FOLDER = "pagefind"
# The pages Pagefind reads: item pages of these sections (listings and filter pages lie deeper, or have no body).
INDEXED_SECTIONS = ("vacatures", "organisaties", "verhalen")
PAGEFIND_GLOB = "{" + ",".join(INDEXED_SECTIONS) + "}/*/index.html"
DEFAULT_MIN_AGE = 16
# A word on every indexed page (in an attribute, not shown): searching it lists every page. Pagefind answers an
# empty search by fetching every chunk of its word index (2 MB for the city), but this word only its own chunk,
# so browsing with filters alone stays small. Nobody types it; search.js uses it when the search box is empty.
SEARCH_ALL = "zzhhalles"
# Files of the Pagefind bundle this site never loads (its ready-made UIs, the highlighter, and the WebAssembly
# for pages in no known language: every page is indexed as Dutch). Removed after indexing.
PAGEFIND_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                   "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
                   "wasm.unknown.pagefind")

TYPES = {"vacature": "Vacatures", "organisatie": "Organisaties", "verhaal": "Verhalen"}
TYPE_OF = {"vacancy": "vacature", "organisation": "organisatie", "story": "verhaal"}
WHEELCHAIR = {"ja": "Toegankelijk met een rolstoel"}


def age_groups(min_ages: Iterable[int]) -> list[tuple[int, int | None]]:
    """Age groups from the minimum ages that occur (and 16, the default): (from, to) with to None for the last.
    Within one group every vacancy is open to everyone or to no one, so the age filter is exact."""
    bounds = sorted({DEFAULT_MIN_AGE, *min_ages})
    return [(low, bounds[i + 1] - 1 if i + 1 < len(bounds) else None) for i, low in enumerate(bounds)]


def age_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} jaar of ouder"
    if high == low:
        return f"{low} jaar"
    if high == low + 1:
        return f"{low} of {high} jaar"
    return f"{low} tot {high} jaar"


def filters_of(item, groups: list[tuple[int, int | None]]) -> list[tuple[str, str]]:
    """The (filter, value) pairs of an item page in the search index. Values are slugs (no colon or comma to
    trip Pagefind's attribute syntax); the search page shows their labels."""
    out = [("type", TYPE_OF[item.type])]
    out += [("thema", t) for t in item.themes or ()]
    if item.type == "organisation":
        if item.deelgemeente:
            out.append(("deelgemeente", item.deelgemeente))
        return out
    if item.type != "vacancy":
        return out
    out.append(("deelgemeente", where_key(item)))
    out += [("soort", kind) for kind in kinds_of(item)]
    out += [("wanneer", w) for w in item.when]
    out.append(("nederlands", item.dutch_level))
    out += [("leeftijd", str(low)) for low, _ in groups if low >= item.min_age]
    if item.wheelchair_accessible:
        out.append(("rolstoel", "ja"))
    return out


def search_facets(groups: list[tuple[int, int | None]]) -> list[dict]:
    """The search page's filter groups: Pagefind filter name, legend, control, options (value -> label)."""
    kinds = {**{k: k.capitalize() for k in KINDS}, ONE_OFF: ONE_OFF_LABEL}
    return [
        {"key": "type", "legend": "Wat zoek je?", "control": "checkbox", "options": TYPES},
        {"key": "thema", "legend": "Thema", "control": "checkbox", "options": THEMES},
        {"key": "deelgemeente", "legend": "Waar", "control": "checkbox", "options": WHERE},
        {"key": "soort", "legend": "Soort vrijwilligerswerk", "control": "checkbox", "options": kinds,
         "hint": "Structureel: op vaste momenten, voor langere tijd. Occasioneel: af en toe. Eenmalig: één "
                 "keer, op een vaste datum."},
        {"key": "wanneer", "legend": "Wanneer", "control": "checkbox", "options": WHEN},
        {"key": "nederlands", "legend": "Hoeveel Nederlands vraagt het werk?", "control": "checkbox",
         "options": DUTCH_LEVELS},
        {"key": "leeftijd", "legend": "Je leeftijd", "control": "radio",
         "hint": "Dan zie je alleen vacatures die je op jouw leeftijd mag doen.",
         "options": {"": "Maakt niet uit", **{str(low): age_label(low, high) for low, high in groups}}},
        {"key": "rolstoel", "legend": "Toegankelijkheid", "control": "checkbox", "options": WHEELCHAIR},
    ]


def write_search(prepared, settings, output: Path) -> None:
    """build.CHANNELS entry: the matcher's data (the live public vacancies), then the search index over the pages
    just written."""
    corpus = prepared.corpus
    vacancies = [features_of(v, corpus.organisations[v.organisation].name, settings.today)
                 for v in prepared.publication.live["vacancy"]]
    data = json.dumps(matcher_data(vacancies), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    write_if_changed(output / MATCHER_DATA, (data + "\n").encode("utf-8"))
    run_pagefind(output, settings.cache_path / "pagefind")


def pagefind_executable() -> str:
    from pagefind.service import get_executable  # the binary of the pagefind[bin] package

    exe = get_executable()
    if exe is None:
        raise RuntimeError("The pagefind binary is missing: install the project again (pip install -e .), "
                           "which brings pagefind[bin].")
    return str(exe)


def _pagefind_command(output: Path) -> list[str]:
    return [pagefind_executable(), "--site", str(output), "--glob", PAGEFIND_GLOB, "--force-language", "nl",
            "--silent"]


def _source_key(output: Path, cmd: list[str]) -> str:
    """A hash of what Pagefind would read: the pages it indexes, its binary and its options."""
    digest = hashlib.sha256()
    exe = Path(cmd[0]).stat()
    digest.update(json.dumps([cmd[1:], exe.st_size, exe.st_mtime_ns]).encode())
    for section in INDEXED_SECTIONS:
        for page in sorted((output / section).glob("*/index.html")):
            digest.update(page.relative_to(output).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(page.read_bytes()).digest())
    return digest.hexdigest()


def run_pagefind(output: Path, cache_dir: Path | None = None) -> Path:
    """Index the written site into output/pagefind/: Pagefind writes a fresh bundle beside the output, which then
    replaces the old one file by file (only files whose bytes differ are written, stale ones removed).
    With `cache_dir`, an index whose pages have not changed since the last run into this output is kept as it
    is: Pagefind takes seconds at city scale, and its filter files are not byte-for-byte the same on every run."""
    bundle = output / PAGEFIND_FOLDER
    cmd = _pagefind_command(output)
    stamp = key = None
    if cache_dir is not None:
        key = _source_key(output, cmd)
        stamp = cache_dir / (hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16] + ".key")
        if (bundle / "pagefind-entry.json").is_file() and stamp.is_file() and stamp.read_text() == key:
            kept(bundle)
            return bundle
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=output.parent) as fresh:
        result = subprocess.run([*cmd, "--output-path", fresh], capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"Pagefind could not index {output} (exit {result.returncode}):\n{result.stdout}\n"
                               f"{result.stderr}")
        for name in PAGEFIND_UNUSED:
            (Path(fresh) / name).unlink(missing_ok=True)
        sync_folder(Path(fresh), bundle)
    if stamp is not None:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(key)
    return bundle
