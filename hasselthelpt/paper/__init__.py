"""Print: posters, the market-stall list, the welcome-pack page and staff-magazine pages, as PDFs from the
theme's HTML and CSS (theme/templates/print/), with QR codes to short addresses (/k/<code>/).

plan (what is printed, pure) -> short_links (the ledger content/short-links.yaml, the redirect pages) ->
render (Jinja + WeasyPrint, cached by content) -> the staff folder's drukwerk/ with an index page for the team.
What the build calls: `check` (texts that do not fit, the ledger), `short_link_pages` (in build.prepare) and
`write_print` (in build.CHANNELS).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.loading import ContentError, Corpus, item_error
from ..files import write_if_changed
from ..incremental import folder_digest
from ..jinja import environment
from ..outputs.pages import Page, redirect_page, url_of
from ..settings import Settings
from . import render
from .formats import FORMATS, misfit
from .plan import Entry, PrintPlan, print_plan, printable
from .short_links import ShortLink, append_ledger, assign, check_ledger, load_ledger, redirect_paths

FOLDER = "drukwerk"  # below the staff folder
SIZES = ("a4", "a3")


@dataclass(frozen=True)
class PrintedLink:
    """A short address as a template shows it: typed (no https://, no www.) and as the QR code's URL."""
    link: ShortLink
    absolute: str

    @property
    def display(self) -> str:
        return self.absolute.split("://", 1)[-1].removeprefix("www.").rstrip("/")


def check(corpus: Corpus, settings: Settings) -> list[ContentError]:
    """Every printable item whose text does not fit its format (drafts too: caught before printing), and a
    ledger that was edited by hand. Measured lines are kept in cache/print/fit.json by text and box: a build
    measures only the texts that changed."""
    errors = []
    cache_file = settings.cache_path / "print" / "fit.json"
    cache = json.loads(cache_file.read_text(encoding="utf-8")) if cache_file.is_file() else {}
    known = len(cache)
    for item, name in printable(corpus):
        fmt = FORMATS[name]
        for field_name, box in fmt.boxes.items():
            text = plain_text(item, field_name)
            if not text:
                continue
            key = hashlib.sha256(f"fit-3\0{box}\0{text}".encode()).hexdigest()[:24]  # fit-N: raise when misfit changes
            if key not in cache:
                cache[key] = misfit(text, box)
            if cache[key]:
                problem, fix = cache[key]
                errors.append(item_error(item, field_name, f"{problem} on the {fmt.label.lower()} ({name})", fix))
    if len(cache) != known:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(cache, sort_keys=True), encoding="utf-8")
    return errors + load_ledger(settings.root, settings.short_links_state)[1]


def plain_text(item, field_name: str) -> str:
    if field_name == "body":
        from ..content.sanitise import plain_text as text_of

        blocks = re.split(r"</(?:p|h[1-6]|li|blockquote)>", item.html.get("body", ""))
        return "\n\n".join(text for text in (text_of(block).strip() for block in blocks) if text)
    return str(item.data.get(field_name) or "")


def check_short_links(settings: Settings, corpus: Corpus, page_urls: set[str], redirects: dict[str, str]
                      ) -> list[ContentError]:
    """Every printed code leads to a page: a public one, or one whose file is still there (a draft again, or
    dated later: the code works again once it is back)."""
    files = {url_of(item) for name in ("vacancy", "event", "story") for item in corpus.of_type(name).values()}
    return check_ledger(load_ledger(settings.root, settings.short_links_state)[0], page_urls | files, redirects)


def links_for(plan: PrintPlan, settings: Settings) -> dict[tuple[str, str], ShortLink]:
    """The code of every printed entry; new ones are appended to the ledger (commit it with the content)."""
    ledger, errors = load_ledger(settings.root, settings.short_links_state)
    if errors:
        raise ValueError("\n".join(str(e) for e in errors))
    new = assign(ledger, [(e.url, e.bron) for e in plan.entries()], settings.today)
    append_ledger(settings.root, new, settings.short_links_state)
    return {(link.url, link.bron): link for link in ledger + new}


def short_link_pages(corpus: Corpus, settings: Settings, page_urls: set[str]) -> list[Page]:
    """The redirect page of every code in the ledger whose page this build has (old codes too: they are on
    paper; a code of a page not online yet, or again, waits), after adding the codes of what this build prints."""
    links_for(print_plan(corpus, settings.today), settings)
    pages = []
    for link in load_ledger(settings.root, settings.short_links_state)[0]:
        if link.url not in page_urls:
            continue
        for path in redirect_paths(link):
            pages.append(redirect_page(path, link.target))
    return pages


@dataclass(frozen=True)
class Document:
    file: str  # below drukwerk/
    kind: str  # a FORMATS key
    title: str
    html: str
    images: tuple[Path, ...] = ()


def documents(corpus: Corpus, settings: Settings) -> list[Document]:
    plan = print_plan(corpus, settings.today)
    links = links_for(plan, settings)

    def link(entry: Entry) -> PrintedLink:
        code = links[(entry.url, entry.bron)]
        return PrintedLink(code, f"{settings.absolute_url}/{code.path}")

    common = {"orgs": corpus.organisations, "templates": folder_digest(render.TEMPLATES)}
    docs = []
    for entry in plan.posters:
        for size in SIZES:
            docs.append(Document(f"affiches/{entry.item.type}-{entry.item.slug}-{size}.pdf", "poster",
                                 f"{entry.title} ({size.upper()})", render.render_html(
                                     "poster", fmt=FORMATS["poster"], s=render.page_scale(size), entry=entry,
                                     link=link(entry), **common)))
    groups = [(theme, [(e, link(e)) for e in group]) for theme, group in plan.stall]
    docs.append(Document(f"markt-{plan.stall_day.isoformat()}.pdf", "stall",
                         f"Vacatures voor de infostand van {plan.stall_day:%d-%m-%Y}",
                         render.render_html("stall", fmt=FORMATS["stall"], s=1, day=plan.stall_day, groups=groups,
                                            **common)))
    docs.append(Document("welkomstpakket.pdf", "welcome", "Welkomstpakket Nieuwe Hasselaar (A5)",
                         render.render_html("welcome", fmt=FORMATS["welcome"], s=1,
                                            entries=[(e, link(e)) for e in plan.welcome], **common)))
    for entry in plan.magazine:
        photo = settings.root / "content" / entry.item.image
        docs.append(Document(f"personeelsblad/{entry.item.slug}.pdf", "magazine", entry.title, render.render_html(
            "magazine", fmt=FORMATS["magazine"], s=1, entry=entry, link=link(entry), photo=photo.as_uri(),
            **common), (photo,)))
    return docs


def write_print(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: the PDFs and their index page in the staff folder (never below the public site:
    the team prints from the intranet)."""
    folder = settings.staff_folder(output) / FOLDER
    with render.qr_cache(settings.cache_path / "print"):
        docs = documents(prepared.corpus, settings)
    made = render.pdfs([(doc.html, list(doc.images)) for doc in docs], settings.cache_path / "print")
    for doc, path in zip(docs, made):
        render.publish(path, folder / doc.file)
    ledger = load_ledger(settings.root, settings.short_links_state)[0]
    write_if_changed(folder / "index.html", index_page(docs, ledger, settings).encode("utf-8"))


def index_page(docs: list[Document], ledger: list[ShortLink], settings: Settings) -> str:
    """The intranet page (theme/templates/print_index.html): every PDF by kind, then every short address ever
    printed (they must keep working)."""
    sections = [(fmt.label, [d for d in docs if d.kind == name]) for name, fmt in FORMATS.items()]
    return environment(settings.templates).get_template("print_index.html").render(
        sections=[(label, found) for label, found in sections if found], ledger=ledger, today=settings.today,
        site_url=settings.absolute_url)


__all__ = ["check", "check_short_links", "short_link_pages", "write_print", "FORMATS"]
