"""Search and the matcher: the search page's filters, what each page tells the search index, and the build step
that writes the index (Pagefind) and the matcher's data.

Search runs in the browser on a static index that Pagefind builds from the written pages (`write_search`, in
build.CHANNELS, runs the `pagefind` binary from the pagefind[bin] package over the output folder). Only open
vacancies, organisations and stories are indexed: their templates mark the text with `data-pagefind-body`, and
Pagefind then skips every page without it. The templates also give each page its filters
(`data-pagefind-filter`, from `search_filters.filters_of`), its sort keys (`data-pagefind-sort`: `nieuw` = publication
date, `sluit` = closing date) and the facts a result shows (`data-pagefind-meta`). The search page
(theme/templates/search.html, theme/static/js/search.js) asks Pagefind's JavaScript API for results and counts;
without JavaScript it points to the server-rendered filter pages.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from ..files import kept, sync_folder, write_if_changed
from ..incremental import run_program
from .matcher import features_of, matcher_data

SEARCH_URL = "zoeken/"
MATCHER_URL = "matcher/"
MATCHER_DATA = "matcher/data.json"
PAGEFIND_FOLDER = "pagefind"
# The pages Pagefind reads: item pages of these sections (listings and filter pages lie deeper, or have no body).
INDEXED_SECTIONS = ("vacatures", "organisaties", "verhalen")
PAGEFIND_GLOB = "{" + ",".join(INDEXED_SECTIONS) + "}/*/index.html"
# A word on every indexed page (in an attribute, not shown): searching it lists every page. Pagefind answers an
# empty search by fetching every chunk of its word index (2 MB for the city), but this word only its own chunk,
# so browsing with filters alone stays small. Nobody types it; search.js uses it when the search box is empty.
SEARCH_ALL = "zzhhalles"
# Files of the Pagefind bundle this site never loads (its ready-made UIs, the highlighter, and the WebAssembly
# for pages in no known language: every page is indexed as Dutch). Removed after indexing.
PAGEFIND_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                   "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
                   "wasm.unknown.pagefind")


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
        result = run_program([*cmd, "--output-path", fresh])  # serve's next edit stops it
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
