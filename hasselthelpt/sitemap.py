"""sitemap.xml and robots.txt. Pure: absolute URLs in, bytes out.

The sitemap lists the public pages that search engines may index; which ones that are is decided by the channel
(hasselthelpt.channels.indexable), from the pages as written. robots.txt points at the sitemap; a development
build disallows everything, so a preview server that is reachable by accident stays out of search results.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

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
