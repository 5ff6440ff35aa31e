"""The steps of a site build that do not need Pelican: load and check content, derive images, plan pages."""

from __future__ import annotations

from dataclasses import dataclass

from .content import ContentError, Corpus, check_dates, load_corpus
from .images import ImageSet, Job, derive_all
from .settings import Settings
from .site import Page, plan_site

IMAGE_FIELDS = {"vacancy": "image", "story": "image", "event": "image", "organisation": "logo"}
LOGO_WIDTHS = (128, 256)  # logos show at about 6em: 1x and 2x screens


class ContentErrors(Exception):
    """Raised when content has errors; its text lists every one, so the build log reads like `check`."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(f"{len(errors)} content error(s):\n" + "\n".join(str(e) for e in errors))


def check(settings: Settings) -> tuple[Corpus, list[ContentError]]:
    corpus, errors = load_corpus(settings.root)
    return corpus, errors + check_dates(corpus, settings.today)


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


@dataclass
class Prepared:
    corpus: Corpus
    images: dict[str, ImageSet]
    pages: list[Page]


def prepare(settings: Settings) -> Prepared:
    corpus, errors = check(settings)
    if errors:
        raise ContentErrors(errors)
    images = derive_all(image_jobs(corpus, settings))
    pages = plan_site(corpus, settings.today, settings.preview, settings.per_page, images)
    return Prepared(corpus, images, pages)
