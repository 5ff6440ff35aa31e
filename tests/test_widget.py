"""The embeddable widget: a small page per organisation and per theme with the open public vacancies, linking back
to the site in a new window, not indexed; and the code to embed it, on the organisation's profile page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from channel_site import build
from hh_testing import html
from hasselthelpt.cli import pelican_settings
from hasselthelpt.content.schema import THEMES


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory, "widget")


@pytest.fixture(scope="module")
def prod_url(site) -> str:
    return pelican_settings(site.project.root / "publishconf.py")["SITEURL"]


def listed(soup) -> list[str]:
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in soup.select("main li a")]


def test_a_widget_per_organisation_and_theme(site):
    for kind in ("dev", "prod"):
        output = getattr(site, kind)
        for org in ("buurtwerk", "dierenhulp"):
            assert (output / f"widget/organisatie/{org}/index.html").is_file()
        for theme in THEMES:
            assert (output / f"widget/thema/{theme}/index.html").is_file()


@pytest.mark.parametrize("kind", ["dev", "prod"])
def test_widget_lists_the_open_public_vacancies(site, kind):
    output = getattr(site, kind)
    assert listed(html(output, "widget/organisatie/buurtwerk/")) == ["kok"]  # not expired, draft, future, internal
    assert listed(html(output, "widget/organisatie/dierenhulp/")) == ["hond"]
    assert listed(html(output, "widget/thema/dieren/")) == ["hond"]
    empty = html(output, "widget/thema/jeugd/")
    assert listed(empty) == [] and "geen open vacatures" in empty.get_text()


def test_widget_is_small_self_contained_and_not_indexed(site):
    soup = html(site.prod, "widget/organisatie/buurtwerk/")
    assert soup.html["lang"] == "nl"
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    assert soup.find("header") is None and soup.find("footer") is None and soup.find("nav") is None
    assert soup.find("link", rel="stylesheet") is None and soup.find("script") is None
    assert soup.find("style") is not None
    assert soup.find("h1").get_text(strip=True) == "Vrijwilligerswerk bij Buurtwerk Test"
    size = len((site.prod / "widget/organisatie/buurtwerk/index.html").read_bytes())
    assert size < 8000, f"the widget page is {size} bytes"


def test_widget_links_back_in_a_new_window_with_clear_text(site, prod_url):
    soup = html(site.prod, "widget/organisatie/buurtwerk/")
    links = soup.select("main a")
    assert len(links) == 2  # the vacancy and "more"
    for a in links:
        assert a["target"] == "_blank" and "noopener" in a["rel"]
        assert "nieuw venster" in a.get_text()
        assert a["href"].startswith(prod_url + "/")
    assert links[0]["href"] == f"{prod_url}/vacatures/kok/"
    assert links[1]["href"] == f"{prod_url}/organisaties/buurtwerk/"
    dev = html(site.dev, "widget/organisatie/buurtwerk/").select("main a")[0]["href"]
    assert not dev.startswith(("http", "/"))
    assert (site.dev / "widget/organisatie/buurtwerk" / dev / "index.html").resolve().is_file()


def test_organisation_page_shows_the_code_to_embed(site, prod_url):
    page = html(site.prod, "organisaties/buurtwerk/")
    box = page.find("summary", string="Zet deze vacatures op je eigen website").find_parent("details")
    code = box.find("textarea")
    assert code.has_attr("readonly")
    assert box.find("label", attrs={"for": code["id"]}) is not None
    iframe = BeautifulSoup(code.get_text(), "html.parser").find("iframe")
    assert iframe["src"] == f"{prod_url}/widget/organisatie/buurtwerk/"
    assert iframe["title"] and "Buurtwerk Test" in iframe["title"]
    assert box.find("a", href=f"{prod_url}/widget/organisatie/buurtwerk/") is not None
    assert box.find("a", href=f"{prod_url}/feeds/organisatie/buurtwerk.rss.xml") is not None
