"""A hostile submission, end to end: a vacancy full of script sent through the public vacancy form (the endpoint),
approved with `hasselthelpt review approve`, built for production and loaded in Chromium under the site's
headers. No script runs, no dialog opens, nothing is fetched, no CSP violation is logged (the sanitiser, not only
the policy, stopped it all), and the dangerous markup is in none of the page, the feeds, the open data and the
widget. The same site has a vacancy with a 51-letter Dutch word, which must not make a phone scroll sideways."""

from __future__ import annotations

import datetime as dt
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser_gates import Site, build
from hh_testing import executable_parts, vacancy
from hasselthelpt import cli
from hasselthelpt.outputs.opendata import FOLDER as OPEN_DATA
from test_browser_axe import _OVERFLOW
from test_browser_csp import Watched

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "endpoint"))
from endpoint_testing import FAR, Client, app_for, env, make_project, vacancy_submission  # noqa: E402
from hasselthelpt.endpoint.storage import UTC  # noqa: E402

SLUG = "gevaarlijke-tekst"
# Each payload tries to leave a trace: window.__hhRan, a dialog, or a request for /gestolen.
DESCRIPTION = """Help mee in de keuken. <script>window.__hhRan = 'script'; alert(1)</script>

<img src="x" onerror="window.__hhRan = 'onerror'; fetch('/gestolen?img')">
<svg onload="window.__hhRan = 'svg'"><script>alert(2)</script></svg>
<iframe src="javascript:parent.__hhRan = 'iframe'"></iframe>
<iframe srcdoc="<script>parent.__hhRan = 'srcdoc'</script>"></iframe>
<style>body { display: none }</style>
<object data="data:text/html,<script>alert(3)</script>"></object>
<a href=" jav&#x09;ascript:window.__hhRan = 'entity'">x</a>

[Klik hier](javascript:window.__hhRan='link') of [deze](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)
of [die][ref] of <javascript:alert(5)> en [onze site](https://buurtwerk.example/).

![foto](javascript:alert(6)) ![pixel](https://tracker.example/gestolen.gif)

Een alinea die klikt.
{: onclick="window.__hhRan = 'attr'" style="position:fixed;inset:0" }

[ref]: javascript:alert(7)
"""
TITLE = "Kok <script>window.__hhRan = 'title'</script>"
SUMMARY = "Samen <b>koken</b> & <img src=x onerror=\"window.__hhRan = 'summary'\">"
LONG_WORD = "vrijwilligersondersteuningscoördinatiewerkzaamheden"  # 51 letters
TRACES = ("window.__hhRan", "alert(", "gestolen", "javascript:", "onerror", "onload", "onclick")


@pytest.fixture(scope="module")
def hostile(served, tmp_path_factory) -> Site:
    project = make_project(tmp_path_factory.mktemp("hostile"), full=True)
    project.write("vacancies/lang-woord.yaml", vacancy(
        title="Coördinator", valid_through=FAR, description=f"Word {LONG_WORD} in Kermt.\n\nJe helpt {LONG_WORD}.\n",
        summary=f"Help als {LONG_WORD}."))
    app = app_for(project.root, lambda: dt.datetime.now(UTC))
    answer = Client(app).post(vacancy_submission(title=TITLE, summary=SUMMARY, description=DESCRIPTION))
    assert answer.status == 303, answer.body
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env(project.root).items():
            patch.setenv(key, value)
        assert cli.main(["--project", str(project.root), "review", "approve", "1", "--slug", SLUG]) == 0
    app.storage.close()
    site_url = served.url + "hostile"
    # `review approve` puts the vacancy online from today, the real one: the build must be of today too
    build(project.root, served.root / "hostile", production=True, siteurl=site_url, today=dt.date.today().isoformat())
    return Site(served.root / "hostile", site_url + "/")


def test_long_word_is_counted_right():
    assert len(LONG_WORD) == 51 and LONG_WORD.isalpha()


def test_no_script_of_the_submission_runs(page, hostile):
    watched = Watched(page)
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    watched.goto(hostile.url_of(f"vacatures/{SLUG}/"))
    assert "Help mee in de keuken" in page.inner_text("main")
    for link in page.locator("main a:text-is('Klik hier'), main a:text-is('deze'), main a:text-is('die')").all():
        link.click()
    page.locator("main p", has_text="Een alinea die klikt").click()
    page.wait_for_timeout(300)
    assert page.url == hostile.url_of(f"vacatures/{SLUG}/")
    assert page.evaluate("window.__hhRan") is None
    assert dialogs == []
    assert [u for u in requests if "gestolen" in u or "tracker.example" in u] == []
    assert watched.violations() == []


def _item(root: ET.Element, tag: str, slug: str) -> ET.Element:
    return next(e for e in root.iter(tag) if any(slug in (x.text or x.get("href") or "") for x in e))


def test_the_dangerous_markup_is_in_no_output(hostile):
    soup = BeautifulSoup(hostile.html(f"vacatures/{SLUG}/"), "html.parser")
    description = soup.select_one("main .prose")
    assert "Help mee in de keuken" in description.get_text()
    assert executable_parts("".join(map(str, description.contents))) == []
    assert soup.find("h1").get_text(strip=True).startswith("Kok <script>")  # the title: text, shown as typed
    scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
    assert all(s.get("src") and not s.string for s in scripts)
    for data in (json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")):
        if data.get("@type") == "JobPosting":
            assert executable_parts(data["description"]) == []

    records = json.loads((hostile.output / OPEN_DATA / "vacancies.json").read_text(encoding="utf-8"))
    description_html = next(r for r in records["items"] if r["id"] == SLUG)["description_html"]
    assert executable_parts(description_html) == []
    assert "Help mee in de keuken" in description_html

    def feed_problems(html: str) -> list[str]:
        """The feed's full text: the sanitised description, inside the site's own e-mail markup (its photo and
        button, with inline style for mail programs)."""
        assert description_html in html
        own = (f"img from another site: '{hostile.url}", "a[style]", "img[style]")
        return [found for found in executable_parts(html) if not found.startswith(own)]

    ns = {"content": "http://purl.org/rss/1.0/modules/content/", "atom": "http://www.w3.org/2005/Atom"}
    rss = _item(ET.parse(hostile.output / "feeds/vacatures.rss.xml").getroot(), "item", SLUG)
    assert feed_problems(rss.findtext("content:encoded", namespaces=ns)) == []
    assert "<" not in rss.findtext("description") and "Samen koken &amp;" in rss.findtext("description")
    atom = _item(ET.parse(hostile.output / "feeds/vacatures.atom.xml").getroot(), f"{{{ns['atom']}}}entry", SLUG)
    assert feed_problems(atom.findtext("atom:content", namespaces=ns)) == []
    assert atom.find("atom:summary", ns).get("type") == "text"

    widget = BeautifulSoup((hostile.output / "widget/organisatie/buurtwerk/index.html").read_text(encoding="utf-8"),
                           "html.parser")
    assert widget.find("script") is None and "Kok <script>" in widget.get_text()
    # As written (the open data's plain text fields are JSON strings: text, which its users must escape)
    for rel in (f"vacatures/{SLUG}/index.html", "feeds/vacatures.rss.xml", "feeds/vacatures.atom.xml"):
        text = (hostile.output / rel).read_text(encoding="utf-8")
        assert "<script>window" not in text and "<iframe" not in text and "<svg onload" not in text, rel


def test_a_long_word_does_not_widen_the_page_on_a_phone(page, hostile):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(hostile.url_of("vacatures/lang-woord/"))
    assert LONG_WORD in page.inner_text("main")
    wide = page.evaluate(_OVERFLOW)
    assert not wide, f"at 320 CSS pixels the page scrolls sideways; too wide: {', '.join(wide)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
