"""The embeddable widget: a small page per organisation and per theme listing its open vacancies
(theme/templates/widget.html), for partners to show in an iframe. `pages` adds them to the site's plan."""

from __future__ import annotations

from .. import brand
from ..content.loading import Item
from ..content.publication import Publication
from ..content.schema import THEMES
from .pages import Page, Plan, by_organisation, url_of

WIDGET_COUNT = 10  # vacancies a widget lists before "bekijk alle"


def pages(plan: Plan, corpus, publication: Publication) -> list[Page]:
    vacancies = publication.live["vacancy"]
    out = []

    def add(url: str, title: str, intro: str, items: list[Item], more_url: str) -> None:
        out.append(Page(f"{url}index.html", "widget", {
            **plan.common, "page_url": url, "widget_title": title, "widget_intro": intro,
            "vacancies": items[:WIDGET_COUNT], "total": len(items), "more_url": more_url}))

    per_org = by_organisation(vacancies)
    for org in sorted(corpus.organisations.values(), key=lambda o: o.slug):
        add(f"widget/organisatie/{org.slug}/", f"Vrijwilligerswerk bij {org.name}",
            f"Open vacatures van {org.name} op {brand.NAME}.", per_org.get(org.slug, []), url_of(org))
    for theme, label in THEMES.items():
        add(f"widget/thema/{theme}/", f"Vrijwilligerswerk: {label.lower()}",
            f"Open vacatures in Hasselt voor het thema {label.lower()}.",
            [v for v in vacancies if theme in v.themes], f"vacatures/thema/{theme}/")
    return out
