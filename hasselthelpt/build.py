"""The steps of a site build that do not need Pelican, in one pass:

    check_site  load and check the content, the redirects and the screens; apply the publication rules; plan the
                public site's pages (for the printed links) and every screen's slides  -> Checked
    prepare     reuses all of that, derives the images, completes the plan (images, similar vacancies, the
                widget and open-data pages)                                           -> Prepared
    CHANNELS    the outputs besides the HTML pages, each `write(prepared, settings, output)`
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import paper, signage
from .content import plain_dutch
from .content.gone import Gone, check_gone, load_gone
from .content.history import deleted_warnings, read_history, rename_redirects
from .content.links import check_links, load_redirects
from .content.loading import ContentError, Corpus, MarkdownRenderer, check_dates, load_corpus
from .content.publication import Publication
from .images.photos import ImageSet, Job, derive_all
from .outputs import calendars, channel_images, editor, feeds, opendata, press, search, sitemap, staff, widget
from .outputs.pages import REDIRECT, Page, Plan, complete, plan_site
from .settings import Settings
from .signage.output import plan_slides
from .signage.screens import Screen, load_screens
from .signage.select import Slide

IMAGE_FIELDS = {"vacancy": "image", "story": "image", "event": "image", "organisation": "logo"}
LOGO_WIDTHS = (128, 256)  # logos show at about 6em: 1x and 2x screens


class ContentErrors(Exception):
    """Raised when content has errors; its text lists every one, so the build log reads like `check`."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(f"{len(errors)} content error(s):\n" + "\n".join(str(e) for e in errors))


@dataclass
class Checked:
    """Everything `check` learnt that the build needs, so nothing is loaded or worked out twice."""

    corpus: Corpus
    errors: list[ContentError]
    redirects: dict[str, str] = field(default_factory=dict)  # content/redirects.yaml and renames in git
    gone: list[Gone] = field(default_factory=list)  # content/gone.yaml
    screens: dict[str, Screen] = field(default_factory=dict)
    publication: Publication | None = None  # the build's mode (settings.preview)
    public_plan: Plan | None = None  # the production site's pages, without images (for the printed links)
    slides: dict[str, list[Slide]] = field(default_factory=dict)  # screen -> its slides in this build


def check_site(settings: Settings, strict: bool = False, plain: bool = True) -> Checked:
    """All content errors: each file, across files, dates, screens, and printed links against the public site.
    Warnings stay in `corpus.warnings`; with `strict` they count as errors too. `plain`: also the plain-Dutch
    check (warnings for editors; a build, which shows no warnings, leaves it out: about 1 ms per item)."""
    render = MarkdownRenderer(settings.cache_path / "markdown.json")
    corpus, errors = load_corpus(settings.root, render, settings.cache_path / "items.pickle")
    render.save()
    errors += check_dates(corpus, settings.today)
    redirects, redirect_errors = load_redirects(settings.root)
    gone, gone_errors = load_gone(settings.root)
    errors += redirect_errors + gone_errors
    screens, screen_errors = load_screens(settings.root)
    errors += screen_errors
    public = Publication.of(corpus, settings.today, False)
    with_previews = Publication.of(corpus, settings.today, True)
    publication = with_previews if settings.preview else public
    errors += signage.check(corpus, settings, screens, with_previews)  # texts too long for a screen
    errors += press.check(corpus, settings.root)  # press-kit photos that are missing
    errors += paper.check(corpus, settings)  # texts too long for their print format, the short-link ledger
    if plain:  # klare taal: warnings only (and an error for a broken jargon list)
        jargon_errors, plain_warnings = plain_dutch.check(corpus, settings)
        errors += jargon_errors
        corpus.warnings += plain_warnings
    checked = Checked(corpus, errors, redirects, gone, screens, publication)
    if not errors:  # the public site's addresses, as production will have them
        checked.public_plan = plan_site(corpus, public, settings.per_page, redirects, gone)
        # the pages of the site itself: a redirect's page stands at the old address it replaces
        urls = {page.url for page in checked.public_plan.pages if page.template not in (REDIRECT, "gone")}
        history = read_history(settings.root)  # renames become redirects; deletions need one, or a gone entry
        renames = rename_redirects(history, urls, redirects)
        if renames:
            checked.redirects = redirects = {**redirects, **renames}
            checked.public_plan = plan_site(corpus, public, settings.per_page, redirects, gone)
        gone_urls = {entry.url for entry in gone}
        errors += check_gone(gone, urls)
        errors += check_links(settings.root, urls | gone_urls, redirects)
        errors += paper.check_short_links(settings, corpus, urls | gone_urls, redirects)
        corpus.warnings += deleted_warnings(history, urls | gone_urls | set(redirects))
        checked.slides = plan_slides(corpus, screens, settings, publication)
    if strict:
        errors += corpus.warnings
    return checked


def check(settings: Settings, strict: bool = False, plain: bool = True) -> tuple[Corpus, list[ContentError]]:
    """`check_site`'s corpus and errors (the `check` command)."""
    checked = check_site(settings, strict, plain)
    return checked.corpus, checked.errors


def image_jobs(corpus: Corpus, settings: Settings) -> dict[str, Job]:
    """One resize job per distinct image that the site shows."""
    jobs = {}
    cache_dir = settings.cache_path / "images"
    for type_name, field_name in IMAGE_FIELDS.items():
        for item in corpus.of_type(type_name).values():
            rel = item.data.get(field_name)
            if rel and rel not in jobs:
                widths = LOGO_WIDTHS if field_name == "logo" else settings.image_widths
                jobs[rel] = Job(settings.root / "content" / rel, widths, settings.image_quality, cache_dir)
    return jobs


def shown_images(corpus: Corpus, publication: Publication, images: dict[str, ImageSet]) -> dict[str, ImageSet]:
    """The image sets the public output may hold: those of items this build shows (never a photo of a draft
    or a staff-only item), organisation logos, and generated cards. Keys may carry a channel prefix
    ("email:", "share:") before the content path."""
    used, shown = set(), set()
    for type_name, field_name in IMAGE_FIELDS.items():
        for item in corpus.of_type(type_name).values():
            rel = item.data.get(field_name)
            used.add(rel)
            if publication.shows(item):
                shown.add(rel)
    hidden = used - shown
    return {key: s for key, s in images.items() if key.rpartition(":")[2] not in hidden}


@dataclass
class Prepared:
    corpus: Corpus
    images: dict[str, ImageSet]
    pages: list[Page]
    public_images: dict[str, ImageSet]
    publication: Publication  # what this build shows, where (content/publication.py): every output reads it
    screens: dict[str, Screen]
    slides: dict[str, list[Slide]]  # screen name -> its slides (before their staff links, signage.output.placed)


# Outputs besides the HTML pages (feeds, calendars, exports, slides...): each is a function
# (prepared, settings, output folder) -> None that the Pelican plugin calls after writing the pages.
# sitemap.write and search.write_search read the pages as written (Pagefind indexes them); no page reads what a
# channel writes, so `serve` runs them all after the browsers reloaded (incremental.deferring).
# BESIDE: channels that read nothing another channel writes and spend their time in a program of their own
# (Pagefind): they run in a thread while the others run, so a build uses both cores.
CHANNELS: tuple = (feeds.write, calendars.write, sitemap.write, opendata.write, staff.write, signage.write_signage,
                   paper.write_print, press.write_press, editor.write, search.write_search)
BESIDE: tuple = (search.write_search,)


def prepare(settings: Settings) -> Prepared:
    checked = check_site(settings, plain=False)
    if checked.errors:
        raise ContentErrors(checked.errors)
    corpus, publication = checked.corpus, checked.publication
    images = derive_all({**image_jobs(corpus, settings), **channel_images.jobs(corpus, settings)})
    images.update(channel_images.cards(settings))
    plan = checked.public_plan if not settings.preview else plan_site(corpus, publication, settings.per_page,
                                                                        checked.redirects, checked.gone)
    plan = complete(plan, publication, images)
    pages = plan.pages + widget.pages(plan, corpus, publication) + [opendata.page(plan.common)]
    pages += press.pages(corpus, settings, plan.common)
    pages += paper.short_link_pages(corpus, settings, {page.url for page in pages})
    return Prepared(corpus, images, pages, shown_images(corpus, publication, images), publication,
                    checked.screens, checked.slides)
