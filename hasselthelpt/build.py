"""The steps of a site build that do not need Pelican: load and check content, derive images, plan pages."""

from __future__ import annotations

from dataclasses import dataclass

from . import channels, paper, plain_dutch, press, search, signage
from .content import ContentError, Corpus, MarkdownRenderer, check_dates, load_corpus
from .images import ImageSet, Job, derive_all
from .links import check_links, load_redirects
from .settings import Settings
from .site import Page, is_visible, plan_site

IMAGE_FIELDS = {"vacancy": "image", "story": "image", "event": "image", "organisation": "logo"}
LOGO_WIDTHS = (128, 256)  # logos show at about 6em: 1x and 2x screens


class ContentErrors(Exception):
    """Raised when content has errors; its text lists every one, so the build log reads like `check`."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(f"{len(errors)} content error(s):\n" + "\n".join(str(e) for e in errors))


def check(settings: Settings, strict: bool = False, plain: bool = True) -> tuple[Corpus, list[ContentError]]:
    """All content errors: each file, across files, dates, and printed links against the public site.
    Warnings stay in `corpus.warnings`; with `strict` they count as errors too. `plain`: also the plain-Dutch
    check (warnings for editors; a build, which shows no warnings, leaves it out: about 1 ms per item)."""
    render = MarkdownRenderer(settings.cache_path / "markdown.json")
    corpus, errors = load_corpus(settings.root, render)
    render.save()
    errors += check_dates(corpus, settings.today)
    redirects, redirect_errors = load_redirects(settings.root)
    errors += redirect_errors
    errors += signage.check(corpus, settings)  # signage/screens.yaml, and texts too long for a screen
    errors += press.check(corpus, settings.root)  # press-kit photos that are missing
    errors += paper.check(corpus, settings)  # texts too long for their print format, the short-link ledger
    if plain:  # klare taal: warnings only (and an error for a broken jargon list)
        jargon_errors, plain_warnings = plain_dutch.check(corpus, settings)
        errors += jargon_errors
        corpus.warnings += plain_warnings
    if not errors:  # the public site's addresses, as production will have them
        public = plan_site(corpus, settings.today, False, settings.per_page, {}, {}, with_similar=False)
        errors += check_links(settings.root, {page.url for page in public}, redirects)
        errors += paper.check_short_links(settings, corpus, {page.url for page in public}, redirects)
    if strict:
        errors += corpus.warnings
    return corpus, errors


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


def shown_images(corpus: Corpus, settings: Settings, images: dict[str, ImageSet]) -> dict[str, ImageSet]:
    """The image sets the public output may hold: those of items this build shows (never a photo of a draft
    or a staff-only item), organisation logos, and generated cards. Keys may carry a channel prefix
    ("email:", "share:") before the content path."""
    used, shown = set(), set()
    for type_name, field_name in IMAGE_FIELDS.items():
        for item in corpus.of_type(type_name).values():
            rel = item.data.get(field_name)
            used.add(rel)
            if type_name == "organisation" or is_visible(item, settings.today, settings.preview):
                shown.add(rel)
    hidden = used - shown
    return {key: s for key, s in images.items() if key.rpartition(":")[2] not in hidden}


@dataclass
class Prepared:
    corpus: Corpus
    images: dict[str, ImageSet]
    pages: list[Page]
    public_images: dict[str, ImageSet]


# Outputs besides the HTML pages (feeds, calendars, exports, slides...): each is a function
# (prepared, settings, output folder) -> None that the Pelican plugin calls after writing the pages.
# search.write_search comes last: Pagefind indexes the pages written before it.
CHANNELS: tuple = (channels.write_channels, signage.write_signage, paper.write_print, press.write_press,
                    search.write_search)


def prepare(settings: Settings) -> Prepared:
    corpus, errors = check(settings, plain=False)
    if errors:
        raise ContentErrors(errors)
    images = derive_all({**image_jobs(corpus, settings), **channels.channel_image_jobs(corpus, settings)})
    images.update(channels.card_images(settings))
    redirects = load_redirects(settings.root)[0]
    pages = plan_site(corpus, settings.today, settings.preview, settings.per_page, images, redirects)
    pages += paper.short_link_pages(corpus, settings, channels._common(pages), {page.url for page in pages})
    pages += press.pages(corpus, settings, channels._common(pages))
    pages = channels.extend_pages(pages, corpus, settings, images)
    return Prepared(corpus, images, pages, shown_images(corpus, settings, images))
