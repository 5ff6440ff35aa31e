"""The benchmark corpus as projects for the peers: plain Pelican 4 and Hugo. Both get the same documents (one list,
made once from the corpus), each in its own format: Pelican's 'Key: value' metadata, Hugo's YAML front matter.

Vacancies, stories and events are dated documents with a category and tags; organisations are undated pages.
The story photos are hard-linked into each project as static files (copied into the output, not resized).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from hasselthelpt.content.schema import EVENT_KINDS, TALENTS, THEMES


@dataclass(frozen=True)
class Document:
    section: str  # folder, and Hugo's section: vacatures, verhalen, agenda, organisaties
    slug: str  # the file name in the corpus, without extension
    title: str
    date: dt.date | dt.datetime | None  # None: an undated page (organisations)
    summary: str
    category: str | None
    tags: tuple[str, ...]
    body: str  # Markdown


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: the corpus is large


def _front_matter(path: Path) -> tuple[dict, str]:
    head, body = path.read_text(encoding="utf-8")[4:].split("\n---\n", 1)
    return yaml.load(head, Loader=_LOADER), body


def _yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def documents(corpus: Path) -> list[Document]:
    """Every document the peers build, from the corpus (sorted, so the same corpus gives the same list)."""
    content, docs = corpus / "content", []
    for path in sorted((corpus / "vacancies").glob("*.yaml")):
        v = _yaml(path)
        tags = tuple([THEMES[t] for t in v["themes"]] + [TALENTS[t] for t in v.get("talents", [])])
        docs.append(Document("vacatures", path.stem, v["title"], v["publish_from"], v["summary"],
                             THEMES[v["themes"][0]], tags, v["description"]))
    for path in sorted((content / "stories").glob("*.md")):
        s, body = _front_matter(path)
        image = f"![{s['image_alt']}](/{s['image']})\n\n"  # the photo as a static file, at the site root
        docs.append(Document("verhalen", path.stem, s["title"], s["date"], s["summary"], "Verhalen",
                             tuple(THEMES[t] for t in s.get("themes", [])), image + body))
    for path in sorted((content / "events").glob("*.yaml")):
        e = _yaml(path)
        docs.append(Document("agenda", path.stem, e["title"], dt.datetime.strptime(e["start"], "%Y-%m-%d %H:%M"),
                             e["summary"], "Agenda", (EVENT_KINDS[e["kind"]],), e["description"]))
    for path in sorted((content / "organisations").glob("*.yaml")):
        o = _yaml(path)
        docs.append(Document("organisaties", path.stem, o["name"], None, o["summary"], None, (), o["description"]))
    return docs


def _link_images(corpus: Path, target: Path) -> None:
    """Hard links: cheap, and the cached corpus is never written through them."""
    shutil.copytree(corpus / "content" / "images", target, copy_function=os.link)


def _reset(project: Path) -> None:
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)


# --- Plain Pelican ---------------------------------------------------------------------------------------------

PELICAN_SETTINGS = '''# Plain Pelican 4: default theme (notmyidea), default feeds, no plugins.
AUTHOR = "Stad Hasselt"
SITENAME = "HASSELT Helpt (plain Pelican)"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Brussels"
DEFAULT_LANG = "nl"
# As the baseline of docs/perf-notes: with 654 pages in the menu every page lists them all (quadratic build).
DISPLAY_PAGES_ON_MENU = False
'''


def _pelican_text(doc: Document) -> str:
    body = doc.body.replace("](/images/", "]({static}/images/")
    fields = {"Title": doc.title, "Date": doc.date, "Category": doc.category, "Tags": ", ".join(doc.tags),
              "Slug": doc.slug, "Summary": doc.summary}
    meta = "".join(f"{k}: {' '.join(str(v).split())}\n" for k, v in fields.items() if v not in (None, ""))
    return meta + "\n" + body


def write_pelican(docs: list[Document], corpus: Path, project: Path) -> None:
    """Dated documents as articles, organisations as pages (content/pages/)."""
    _reset(project)
    content = project / "content"
    _link_images(corpus, content / "images")
    (project / "pelicanconf.py").write_text(PELICAN_SETTINGS)
    for doc in docs:
        folder = content / (doc.section if doc.date else "pages")
        folder.mkdir(exist_ok=True)
        (folder / f"{doc.slug}.md").write_text(_pelican_text(doc), encoding="utf-8")


def pelican_command(pelican: Path, project: Path) -> list[str]:
    return [str(pelican), str(project / "content"), "-s", str(project / "pelicanconf.py"),
            "-o", str(project / "output")]


# --- Hugo --------------------------------------------------------------------------------------------------------

# buildFuture: Pelican publishes future dates too (a few vacancies and most events are dated after today).
HUGO_CONFIG = '''baseURL = "http://localhost/"
languageCode = "nl"
pluralizeListTitles = false
title = "HASSELT Helpt (Hugo)"
buildFuture = true
'''

# Minimal layouts: a page shell with the sections in the menu, a page, a list (home, sections, taxonomies and
# terms all fall back to it). RSS comes from Hugo's built-in template for every list page.
HUGO_LAYOUTS = {
    "baseof.html": '''<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
''',
    "single.html": '''{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ if not .Date.IsZero }}
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ end }}
{{ .Content }}
{{ with .GetTerms "categories" }}
<p>Categorie: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ end }}
{{ with .GetTerms "tags" }}<p>Tags: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
</article>{{ end }}
''',
    "list.html": '''{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>
{{ end }}</ul>{{ end }}
''',
}


def _hugo_text(doc: Document) -> str:
    meta = {"title": doc.title, "date": doc.date, "summary": doc.summary,
            "categories": [doc.category] if doc.category else None, "tags": list(doc.tags) or None}
    head = yaml.safe_dump({k: v for k, v in meta.items() if v is not None}, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n{doc.body}"


def write_hugo(docs: list[Document], corpus: Path, project: Path) -> None:
    """One section per kind of document below content/, the photos below static/, the layouts above."""
    _reset(project)
    (project / "hugo.toml").write_text(HUGO_CONFIG)
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text)
    _link_images(corpus, project / "static" / "images")
    for doc in docs:
        folder = project / "content" / doc.section
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{doc.slug}.md").write_text(_hugo_text(doc), encoding="utf-8")


def hugo_command(hugo: str) -> list[str]:
    """What a user types in the project folder; no --gc: nothing goes through Hugo's resource cache here."""
    return [hugo, "--quiet"]


def edit_hugo_vacancy(project: Path, slug: str, n: int) -> None:
    """The same edit as on our side: one line added to the vacancy's text, written as a new file."""
    path = project / "content" / "vacatures" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    path.unlink()
    path.write_text(text + f"\nAangepast voor de benchmark ({n}).\n", encoding="utf-8")
