"""`serve`'s quick render: after an edit of content files, the edited items' own pages are made again at once from
the last build's plan, before the incremental build that follows (hasselthelpt/worker.py). The editor sees the
changed page within a fraction of a second; the listings, the other pages that show the item, the feeds and the
search index follow with that build, which also replaces the quick page should it make other bytes. The same idea
as Hugo's fast render mode, in development only.

Only an edit that leaves an item where it stood is rendered quickly: still without errors in its file, on the same
page with the same template (visible, open, marked as preview or not, staff-only or not, an event still past or
still to come), with the same organisation, photo, archived state and menu place. Anything else (a new or deleted file, a theme or settings change, an item
that becomes a draft or closes) waits for the build, as does every edit while the site shows errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .build import IMAGE_FIELDS, Prepared
from .content.facts import midnight
from .content.loading import MarkdownRenderer, load_file
from .content.publication import Publication, is_archived, is_internal, is_open, is_preview, is_visible
from .content.reading import Item
from .content.schema import CONTENT_TYPES
from .files import write_if_changed
from .outputs.pages import Page, url_of
from .settings import Settings


@dataclass(frozen=True)
class LastBuild:
    """What the quick render needs of the last good build in this process."""

    prepared: Prepared
    settings: Settings
    output: Path
    render: Callable[[Page], bytes]  # a page of the plan -> its file's bytes (the Pelican plugin's renderer)


_last: LastBuild | None = None


def remember(last: LastBuild) -> None:
    global _last
    _last = last


def forget() -> None:
    """Let the last build go before the next one starts (the process would hold two builds' memory)."""
    global _last
    _last = None


def render_changed(paths: Iterable[str]) -> list[str]:
    """Render the own pages of the items in these changed files (absolute names) again, and return the pages
    written (below the output folder): none, unless every changed file that still exists holds an item of the last
    build that keeps its standing (above)."""
    last = _last
    if last is None:
        return []
    root = os.path.realpath(last.settings.root)
    corpus = last.prepared.corpus
    items = {item.path: item for name in CONTENT_TYPES for item in corpus.of_type(name).values()}
    pages = {page.save_as: page for page in last.prepared.pages}
    quick = []
    for path in sorted(set(paths)):
        rel = Path(os.path.relpath(os.path.realpath(path), root)).as_posix()
        old = items.get(rel)
        if old is None and not os.path.exists(path):
            continue  # an editor's temporary file, gone again
        page = pages.get(url_of(old) + "index.html") if old else None
        key = next((k for k, value in page.context.items() if value is old), None) if page else None
        if key is None:
            return []
        new, errors = load_file(CONTENT_TYPES[old.type], Path(path), last.settings.root, MarkdownRenderer())
        if new is None or any(not e.warning for e in errors):
            return []
        new.organisation_archived = old.organisation_archived  # set across files, by the checks
        if not same_standing(old, new, last.prepared.publication):
            return []
        quick.append(Page(page.save_as, page.template, {**page.context, key: new}))
    for page in quick:
        write_if_changed(last.output / page.save_as, last.render(page))
    return [page.save_as for page in quick]


def same_standing(old: Item, new: Item, publication: Publication) -> bool:
    """Whether the edited item stays on the same page, made from the same template and the same other items."""
    today, preview = publication.today, publication.preview
    image = IMAGE_FIELDS.get(old.type)
    if is_visible(old, today, preview) != is_visible(new, today, preview):
        return False
    if is_preview(old, today) != is_preview(new, today) or is_internal(old) != is_internal(new):
        return False
    if image and old.data.get(image) != new.data.get(image):
        return False
    if old.type == "vacancy":
        return is_open(old, today) == is_open(new, today) and old.organisation == new.organisation
    if old.type == "story":
        return (old.vacancy, old.organisation) == (new.vacancy, new.organisation)
    if old.type == "organisation":
        return is_archived(old) == is_archived(new)
    if old.type == "event":  # its page says whether it is over
        return (old.end < midnight(today)) == (new.end < midnight(today))
    if old.type == "page":  # the menu of every page
        return (old.menu, old.menu_title) == (new.menu, new.menu_title)
    return True
