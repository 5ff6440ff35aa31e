"""sitemap.xml and robots.txt. `sitemap` and `robots` are pure: absolute URLs in, bytes out.

The sitemap lists the public pages that search engines may index; which ones that are is decided by `indexable`,
from the pages as written. robots.txt points at the sitemap; a development build disallows everything, so a
preview server that is reachable by accident stays out of search results.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from ..files import write_if_changed
from ..settings import Settings
from .page_meta import page_item
from .pages import Page

NOINDEX_RE = re.compile(rb"<meta\s+name=\"robots\"\s+content=\"[^\"]*noindex", re.IGNORECASE)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(urls: list[str]) -> bytes:
    """A sitemap (protocol 0.9) of these absolute URLs, sorted, each once."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in sorted(set(urls))]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(sitemap_url: str, production: bool) -> bytes:
    if not production:
        return b"# Development build: not for search engines.\nUser-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode("utf-8")


def indexable(pages: list[Page], output: Path) -> list[str]:
    """Site paths of the pages search engines may index: not a preview, and the written page does not say
    noindex (expired vacancies, redirects, widgets, 404...)."""
    out = []
    for page in pages:
        if not page.save_as.endswith(".html") or page.template == "404":
            continue
        item = page_item(page)
        if item is not None and item.path in page.context.get("previews", ()):
            continue
        path = output / page.save_as
        if not path.is_file():
            continue
        with path.open("rb") as f:
            head = f.read(8192)
        if not NOINDEX_RE.search(head.split(b"</head>")[0]):
            out.append(page.url)
    return out


def write(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: sitemap.xml of the pages just written, and robots.txt."""
    base = settings.absolute_url
    write_if_changed(output / "sitemap.xml", sitemap([f"{base}/{u}" for u in indexable(prepared.pages, output)]))
    write_if_changed(output / "robots.txt", robots(f"{base}/sitemap.xml", production=bool(settings.site_url)))
