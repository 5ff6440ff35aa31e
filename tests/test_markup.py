"""Untrusted text never becomes markup: the one sanitising step (hasselthelpt/content/sanitise.py, called by the Markdown
renderer), its warnings in `check`, its cache, and the RSS description as text."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from hh_testing import REPO, executable_parts, organisation, page, vacancy
from hasselthelpt import cli
from hasselthelpt.content import sanitise
from hasselthelpt.content.loading import MarkdownRenderer, load_corpus
from hasselthelpt.outputs import feed_writer

# Classic cross-site scripting payloads, as Markdown and as raw HTML, from the OWASP filter-evasion cheat sheet
# and the usual suspects. Each is rendered as a field's Markdown would be.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<style>@import 'https://xss.example/x.css';</style>",
    "<body onload=alert(1)>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<embed src=\"https://xss.example/x.swf\">",
    "<a href=\" jav&#x09;ascript:alert(1)\">klik</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">klik</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<form action=\"https://xss.example/\"><button>Verzend</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"https://xss.example/\">",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    "[klik](javascript:alert(1))",
    "[klik](JAVASCRIPT:alert(1))",
    "[klik](jav&#x09;ascript:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik]( javascript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![foto](javascript:alert(1))",
    "![foto](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![foto](https://tracker.example/pixel.gif)",
    "Een alinea\n{: onclick=\"alert(1)\" style=\"color:red\" #main .skip-link }",
    "[klik](https://hasselt.be){: onmouseover=\"alert(1)\" }",
]
@pytest.fixture(scope="module")
def render():
    return MarkdownRenderer()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_rendering(render, payload):
    result = render.render(payload)
    assert executable_parts(result.html) == [], result.html
    assert result.removed, f"nothing reported for {payload!r}: {result.html}"


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p.startswith("<") and not p.startswith("<!--")])
def test_the_sanitiser_alone_removes_raw_html_payloads(payload):
    """Defence in depth: even raw HTML that reached the sanitiser (the renderer shows it as text) loses every
    executable part."""
    assert executable_parts(sanitise.clean(payload)) == []


def test_raw_html_is_shown_as_text(render):
    result = render.render("Een <b>vet</b> woord en <script>alert(1)</script>.")
    soup = BeautifulSoup(result.html, "html.parser")
    assert soup.find("b") is None and soup.find("script") is None
    assert soup.get_text() == "Een <b>vet</b> woord en <script>alert(1)</script>."
    assert result.removed == ("HTML <b> (shown as text)", "HTML <script> (shown as text)")


def test_what_markdown_makes_stays(render):
    text = ("## Wat je doet\n\nJe *kookt* **samen**, zie [de site](https://www.hasselt.be/), [de vacatures]"
            "(/vacatures/), [mail](mailto:an@example.be) of [bel](tel:+3211000000).\n\n- een\n- twee\n\n"
            "1. a\n2. b\n\n> Citaat\n\n`code` en\n\n```python\nprint(1)\n```\n\n| Dag | Uur |\n|:--|--:|\n| ma | 9 |"
            "\n\n![Foto](/images/x.jpg)\n\nZie noot[^1].\n\n[^1]: De noot.\n\n*[HTML]: HyperText\n\nHTML & co.")
    result = render.render(text)
    assert result.removed == ()
    soup = BeautifulSoup(result.html, "html.parser")
    assert [a["href"] for a in soup.find_all("a") if not a["href"].startswith("#")] == [
        "https://www.hasselt.be/", "/vacatures/", "mailto:an@example.be", "tel:+3211000000"]
    assert soup.find("th")["class"] == ["align-left"] and soup.find("td", string="9")["class"] == ["align-right"]
    assert soup.find("code", class_="language-python") and soup.find("img")["src"] == "/images/x.jpg"
    assert soup.find("sup", id="fnref:1") and soup.find("abbr", title="HyperText")
    assert not soup.find(style=True)


def test_removed_ignores_changes_of_form():
    assert sanitise.removed('<p class="x">a &amp; b<br /></p>', "<p class='x'>a &#38; b<br></p>") == []
    assert sanitise.removed('<p><a href="javascript:x" onclick="y">a</a></p>', "<p><a>a</a></p>") == [
        "the link 'javascript:x'", "the onclick attribute of <a>"]


def test_plain_text_strips_and_escapes():
    assert sanitise.plain_text("Tom & Jerry <b>vet</b><script>alert(1)</script> 5 < 6") == \
        "Tom &amp; Jerry vet 5 &lt; 6"


def test_the_cache_holds_sanitised_html_keyed_by_the_allow_list(tmp_path, monkeypatch):
    cache = tmp_path / "markdown.json"
    first = MarkdownRenderer(cache)
    assert "<a>" in first("[x](javascript:alert(1)) [y](https://a.be)")
    first.save()
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert stored and all("javascript" not in html for html, _ in stored.values())
    (key, _), = stored.items()
    cache.write_text(json.dumps({key: ["<p>from the cache</p>", []]}), encoding="utf-8")
    assert MarkdownRenderer(cache)("[x](javascript:alert(1)) [y](https://a.be)") == "<p>from the cache</p>"
    monkeypatch.setattr(sanitise, "VERSION", sanitise.VERSION + "|another allow-list")
    assert MarkdownRenderer(cache)("[x](javascript:alert(1)) [y](https://a.be)") != "<p>from the cache</p>"


def test_check_warns_naming_file_field_and_line(project, capsys):
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/kok.yaml", vacancy(summary="Kook mee.", description="Kook <script>alert(1)</script> "
                                                "en [klik](javascript:alert(1))\n"))
    project.write("content/pages/over.md", page(), "Lees <iframe src=x></iframe>.\n")
    assert cli.main(["--project", str(project.root), "check"]) == 0
    err = capsys.readouterr().err
    assert "vacancies/kok.yaml:4: warning: field 'description' holds HTML or links" in err
    assert "HTML <script> (shown as text)" in err and "the link 'javascript:alert(1)'" in err
    assert "content/pages/over.md: warning: field 'body' holds HTML" in err and "HTML <iframe>" in err
    assert "2 warning(s)" in err
    assert cli.main(["--project", str(project.root), "check", "--strict"]) == 1


def test_the_sample_content_gives_no_markup_warning():
    corpus, errors = load_corpus(REPO)
    assert errors == [] and corpus.warnings == [], "\n".join(map(str, errors + corpus.warnings))


def test_rss_description_is_text_atom_summary_too():
    summary = "Tom & Jerry <b>vet</b><script>alert(1)</script>"
    item = feed_writer.FeedItem(id="https://x.be/v/", url="https://x.be/v/", title="T", summary=summary,
                          html="<p>Vol</p>", published=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    files = feed_writer.render(feed_writer.FeedSpec("feeds/x", "X", "Feed", "https://x.be/", (item,)), "https://x.be")
    rss = ET.fromstring(files["feeds/x.rss.xml"]).find("channel/item")
    # What a reader gets after decoding the description as HTML: the text, no element
    assert rss.findtext("description") == "Tom &amp; Jerry vet"
    content = rss.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert content == "<p>Vol</p>"
    atom = ET.fromstring(files["feeds/x.atom.xml"]).find("{http://www.w3.org/2005/Atom}entry")
    summary_el = atom.find("{http://www.w3.org/2005/Atom}summary")
    assert summary_el.get("type") == "text" and summary_el.text == summary
