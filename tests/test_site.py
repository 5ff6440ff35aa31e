"""Built sites from small content trees: pages, listings, filters, visibility, URLs and pagination."""

from __future__ import annotations

import datetime as dt
import heapq
import posixpath
import random
import re
from pathlib import Path

import pytest

from hh_testing import TODAY, event, html, organisation, page, story, vacancy
from hasselthelpt.cli import pelican_settings
from hasselthelpt.content.facts import where_key
from hasselthelpt.content.loading import Item
from hasselthelpt.content.schema import (CONTENT_TYPES, DEELGEMEENTEN, DUTCH_LEVELS, EVENT_KINDS, EXPENSES, KINDS,
    LANGUAGES, THEMES, TRANSLATION_NOTES, WHEN)
from hasselthelpt.outputs.pages import Similar
from hasselthelpt.settings import DEFAULTS

DAY = dt.timedelta(days=1)
today = dt.date.fromisoformat(TODAY)
FILTER_DIMENSIONS = ("thema", "deelgemeente", "soort")
VACANCY_LINK = re.compile(r"(?:^|/)vacatures/([a-z0-9-]+)/$")


@pytest.fixture
def proj(project):
    project.write("content/organisations/buurtwerk.yaml", organisation())
    return project


def add_vacancy(project, slug: str, **changes) -> dict:
    data = vacancy(title=f"Vacature {slug}", **changes)
    project.write(f"vacancies/{slug}.yaml", data)
    return data


def cards(soup) -> list[str]:
    """Slugs of the vacancy cards on a page, in order."""
    out = []
    for card in soup.select("article.vacancy-card"):
        links = [VACANCY_LINK.search(a["href"]) for a in card.find_all("a", href=True)]
        slugs = {m.group(1) for m in links if m and m.group(1) not in FILTER_DIMENSIONS}
        assert len(slugs) == 1, card
        out.append(slugs.pop())
    return out


def linked_vacancies(soup) -> set[str]:
    return {m.group(1) for a in soup.find_all("a", href=True) if (m := VACANCY_LINK.search(a["href"]))
            and m.group(1) not in FILTER_DIMENSIONS}


def pages(output: Path):
    for path in sorted(output.rglob("*.html")):
        yield path, html(output, path.relative_to(output).as_posix())


def resolve(output: Path, page_path: Path, url: str) -> Path:
    """The output file a relative URL on a page points to (a query, such as a short link's ?bron=, left off)."""
    url = url.split("#")[0].split("?")[0]
    target = posixpath.normpath(posixpath.join(page_path.parent.relative_to(output).as_posix(), url))
    path = output / target
    return path / "index.html" if url.endswith("/") or path.is_dir() else path


def urls_of(soup) -> list[str]:
    out = [tag[attr] for attr in ("href", "src", "action") for tag in soup.find_all(attrs={attr: True})]
    for tag in soup.find_all(srcset=True):
        out += [candidate.split()[0] for candidate in tag["srcset"].split(",")]
    return [u for u in out if not u.startswith(("#", "mailto:", "tel:"))]


# --- The vacancy page ---

def test_site_without_any_image_builds(proj):
    """A new project: no photos or logos yet, and no output folder."""
    add_vacancy(proj, "kok")
    for production in (False, True):
        out = proj.build(production=production)
        assert cards(html(out, "vacatures/")) == ["kok"]


def test_vacancy_page_shows_every_field(proj):
    v = add_vacancy(
        proj, "kok", description="Je kookt **samen** met buren.\n\n- soep\n- brood\n", kind="occasioneel",
        time_commitment="2 uur per maand", when=["avond", "weekend"],
        place={"name": "Buurthuis De Link", "address": "Kerkstraat 1, 3510 Kermt", "deelgemeente": "kermt"},
        dutch_level="geen", min_age=18, accessibility="Alles is gelijkvloers.", expenses="forfaitair",
        expenses_note="Vijf euro per keer.", mileage_allowance=False, insured=True,
        contact={"name": "An Peeters", "email": "an@example.be", "phone": "011 22 33 44"},
        valid_through=dt.date(2027, 6, 30))
    out = proj.build()
    soup = html(out, "vacatures/kok/")
    article = soup.find("article")
    text = article.get_text(" ", strip=True)
    assert article.find("h1").get_text(strip=True) == v["title"]
    assert v["title"] in soup.title.get_text()
    org = [a for a in article.find_all("a", href=True) if a["href"].endswith("organisaties/buurtwerk/")]
    assert org and org[0].get_text(strip=True) == organisation()["name"]
    assert v["summary"] in text
    assert article.find("strong", string="samen") is not None
    assert [li.get_text(strip=True) for li in article.find_all("li") if li.get_text(strip=True) in ("soep", "brood")] \
        == ["soep", "brood"]
    for expected in (KINDS["occasioneel"], v["time_commitment"], WHEN["avond"], WHEN["weekend"],
                     v["place"]["name"], v["place"]["address"], DEELGEMEENTEN["kermt"], DUTCH_LEVELS["geen"],
                     "18 jaar", v["accessibility"], EXPENSES["forfaitair"], v["expenses_note"],
                     v["contact"]["name"], v["contact"]["email"], v["contact"]["phone"], "30 juni 2027"):
        assert expected in text, expected
    assert WHEN["weekdag"] not in text
    facts = {dt_.get_text(" ", strip=True): dt_.find_next_sibling("dd").get_text(" ", strip=True)
             for dt_ in article.find_all("dt")}
    labels = {f.name: f.label for f in CONTENT_TYPES["vacancy"].fields}
    assert facts[labels["mileage_allowance"]].lower().startswith("nee")
    assert facts[labels["insured"]].lower().startswith("ja")
    assert article.find("a", href="mailto:an@example.be") is not None
    assert article.find("a", href=re.compile(r"^tel:\+?0?11\s*22\s*33\s*44$")) is not None
    assert article.find("time", datetime="2027-06-30") is not None


def test_vacancy_page_has_a_sign_up_form(proj):
    add_vacancy(proj, "kok")
    soup = html(proj.build(), "vacatures/kok/")
    forms = soup.find_all("form")
    assert len(forms) == 1
    form = forms[0]
    assert form["method"].lower() == "post"
    assert form["action"].endswith(DEFAULTS["HH_FORM_ACTION"][0])
    assert form["action"].endswith("/api/aanmelding")
    assert form.find("input", attrs={"name": "vacancy", "value": "kok"}) is not None
    assert form.find("input", attrs={"type": "email"}) is not None


# --- Listings and filters ---

def test_overview_lists_open_vacancies_only(proj):
    add_vacancy(proj, "open-a")
    add_vacancy(proj, "open-b", valid_through=today)  # the last day: still open
    add_vacancy(proj, "oud", publish_from=dt.date(2026, 1, 1), valid_through=today - DAY)
    add_vacancy(proj, "intern", internal=True)
    soup = html(proj.build(), "vacatures/")
    assert sorted(cards(soup)) == ["open-a", "open-b"]


FILTER_CONTENT = {
    "a": dict(themes=["jeugd", "sport-en-beweging"], place={"address": "x 1", "deelgemeente": "kermt"},
              kind="structureel"),
    "b": dict(themes=["jeugd"], place={"address": "x 2", "deelgemeente": "kiewit"}, kind="occasioneel"),
    "c": dict(themes=["dieren", "natuur-en-milieu"], place={"address": "x 3", "deelgemeente": "kermt"},
              kind="occasioneel"),
    "oud": dict(themes=["jeugd"], place={"address": "x 4", "deelgemeente": "kermt"}, kind="structureel",
                publish_from=dt.date(2026, 1, 1), valid_through=today - DAY),
    "intern": dict(themes=["jeugd", "dieren"], place={"address": "x 5", "deelgemeente": "runkst"},
                   kind="structureel", internal=True),
}


def filter_values(data: dict) -> dict[str, list[str]]:
    return {"thema": data["themes"], "deelgemeente": [data["place"]["deelgemeente"]], "soort": [data["kind"]]}


def test_filter_pages_list_exactly_the_matching_open_vacancies(proj):
    written = {slug: add_vacancy(proj, slug, **changes) for slug, changes in FILTER_CONTENT.items()}
    public_open = {s: d for s, d in written.items() if not d.get("internal") and d["valid_through"] >= today}
    out = proj.build()
    overview = html(out, "vacatures/")
    for dimension, vocabulary in (("thema", THEMES), ("deelgemeente", DEELGEMEENTEN), ("soort", KINDS)):
        for value in vocabulary:
            expected = sorted(s for s, d in public_open.items() if value in filter_values(d)[dimension])
            url = f"vacatures/{dimension}/{value}/"
            assert sorted(cards(html(out, url))) == expected, url
            links = [a for a in overview.find_all("a", href=True) if a["href"].endswith(url)]
            assert len(links) == 1, url
            count = re.search(r"\d+", links[0].get_text())
            assert count and int(count.group()) == len(expected), (url, links[0].get_text())


def test_pagination(proj):
    per_page = proj.settings().per_page
    total = per_page + 5
    for i in range(total):
        add_vacancy(proj, f"vacature-{i:02d}", publish_from=dt.date(2026, 10, 1) + i * DAY)
    out = proj.build()
    first, second = html(out, "vacatures/"), html(out, "vacatures/pagina/2/")
    assert len(cards(first)) == per_page
    assert len(cards(second)) == total - per_page
    assert set(cards(first)) | set(cards(second)) == {f"vacature-{i:02d}" for i in range(total)}
    assert not set(cards(first)) & set(cards(second))
    assert first.find("a", rel="next")["href"].endswith("vacatures/pagina/2/")
    assert second.find("a", rel="prev")["href"].endswith("vacatures/")
    assert second.find("a", rel="next") is None
    assert not (out / "vacatures" / "pagina" / "3").exists()
    # filter pages paginate the same way (every vacancy has the factory's theme)
    theme = vacancy()["themes"][0]
    assert len(cards(html(out, f"vacatures/thema/{theme}/pagina/2/"))) == total - per_page


# --- Expired, preview and internal vacancies ---

def test_expired_vacancy_keeps_its_url_with_similar_vacancies(proj):
    add_vacancy(proj, "oud", themes=["dieren"], publish_from=dt.date(2026, 1, 1), valid_through=today - DAY)
    add_vacancy(proj, "hond", themes=["dieren", "natuur-en-milieu"])
    add_vacancy(proj, "kok", themes=["buurt-en-samenleven"])
    out = proj.build()
    soup = html(out, "vacatures/oud/")
    assert "afgelopen" in soup.find("main").get_text(" ").lower()
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    assert cards(soup) == ["hond"]
    assert soup.find("form") is None, "an expired vacancy takes no sign-ups"
    assert html(out, "vacatures/hond/").find("meta", attrs={"name": "robots"}) is None
    for path, other in pages(out):
        if path != out / "vacatures/oud/index.html":
            assert "oud" not in linked_vacancies(other), f"{path} links to the expired vacancy"


def _similar_by_scoring_all(vacancy, open_vacancies, count=3):
    """The formula of "similar vacancies" as first written: score every open vacancy, keep the best."""
    themes = set(vacancy.themes)

    def score(other):
        return (-len(themes & set(other.themes)), where_key(other) != where_key(vacancy),
                other.kind != vacancy.kind, other.title)

    candidates = [o for o in open_vacancies if o.slug != vacancy.slug and themes & set(o.themes)]
    return heapq.nsmallest(count, candidates, key=score)


def test_similar_vacancies_from_the_index_equal_scoring_every_vacancy():
    """A generated corpus with few titles, places and themes, so that every tie-break is exercised: equal scores
    go to the title, equal titles to the order of the open vacancies (newest first)."""
    rng = random.Random(16)
    themes, places = list(THEMES)[:5], list(DEELGEMEENTEN)[:3]

    def item(n: int) -> Item:
        return Item("vacancy", f"v{n}", f"vacancies/v{n}.yaml", {
            "title": rng.choice(["Kok", "Chauffeur", "Gastvrouw", "Kok"]),
            "themes": rng.sample(themes, rng.choice([0, 1, 1, 2, 2, 3, 5])),
            **rng.choice([{"location": "adres", "place": {"deelgemeente": p}} for p in places]
                         + [{"location": "thuis", "place": None}]), "kind": rng.choice(list(KINDS))})

    open_vacancies = [item(n) for n in range(400)]
    index = Similar(open_vacancies)
    expired = [item(n) for n in range(400, 700)] + open_vacancies[:50]  # an open one never lists itself
    for count in (1, 3, 7):
        for v in expired:
            assert index.of(v, count) == _similar_by_scoring_all(v, open_vacancies, count), v


def test_preview_items_only_in_development(proj):
    add_vacancy(proj, "klad", status="draft")
    add_vacancy(proj, "later", publish_from=today + 10 * DAY)
    add_vacancy(proj, "open")
    proj.photo("images/stories/foto.jpg")
    proj.write("content/stories/straks.md", story(date=today + DAY), "Tekst.\n")

    dev = proj.build()
    for url in ("vacatures/klad/", "vacatures/later/", "verhalen/straks/"):
        banner = html(dev, url).find(string=re.compile("Voorbeeld"))
        assert banner is not None, f"{url} has no 'Voorbeeld' banner"
    assert html(dev, "vacatures/open/").find(string=re.compile("Voorbeeld")) is None
    assert sorted(cards(html(dev, "vacatures/"))) == ["klad", "later", "open"]

    prod = proj.build(production=True)
    assert cards(html(prod, "vacatures/")) == ["open"]
    for rel in ("vacatures/klad", "vacatures/later", "verhalen/straks"):
        assert not (prod / rel).exists(), rel
    for path, soup in pages(prod):
        assert not {"klad", "later"} & linked_vacancies(soup), path
        assert not any(a["href"].endswith("verhalen/straks/") for a in soup.find_all("a", href=True)), path


def test_internal_vacancies_never_on_the_site(proj):
    add_vacancy(proj, "intern", internal=True, featured=True)
    add_vacancy(proj, "open")
    for production in (False, True):
        out = proj.build(production=production)
        assert not (out / "vacatures" / "intern").exists()
        for path, soup in pages(out):
            assert "intern" not in linked_vacancies(soup), path
            assert "Vacature intern" not in soup.get_text(), path


# --- URLs ---

def full_site(project) -> None:
    project.write("content/organisations/buurtwerk.yaml", organisation())
    add_vacancy(project, "kok")
    project.photo("images/stories/foto.jpg")
    project.write("content/stories/koken.md", story(organisation="buurtwerk", vacancy="kok"), "Tekst.\n")
    project.write("content/events/markt.yaml", event())
    project.write("content/pages/over.md", page(menu=1), "Tekst.\n")


def test_production_urls_are_absolute(project):
    full_site(project)
    site_url = pelican_settings(project.root / "publishconf.py")["SITEURL"]
    assert site_url.startswith("https://")
    out = project.build(production=True)
    checked = 0
    for path, soup in pages(out):
        for url in urls_of(soup):
            assert url.startswith(site_url + "/"), f"{path}: {url}"
            checked += 1
    assert checked > 100


def test_development_urls_are_relative_and_resolve(project):
    full_site(project)
    out = project.build()
    sections = ("vacatures/", "organisaties/", "verhalen/", "agenda/", "theme/", "img/", "over/")
    checked = 0
    for path, soup in pages(out):
        for url in urls_of(soup):
            assert not url.startswith(("http:", "https:", "/")), f"{path}: {url}"
            target = resolve(out, path, url)
            if target.relative_to(out).as_posix().startswith(sections) or target == out / "index.html":
                assert target.is_file(), f"{path}: {url} -> {target}"
                checked += 1
    assert checked > 100


# --- Organisations, stories, agenda, pages, home ---

def test_organisation_index_and_profile(proj):
    proj.write("content/organisations/dierenhulp.yaml", organisation(name="Dierenhulp Hasselt", kind="stadsdienst"))
    add_vacancy(proj, "kok")
    add_vacancy(proj, "oud", publish_from=dt.date(2026, 1, 1), valid_through=today - DAY)
    add_vacancy(proj, "hond", organisation="dierenhulp")
    out = proj.build()
    index = html(out, "organisaties/")
    names = [a.get_text(strip=True) for a in index.find("main").find_all("a", href=re.compile(r"organisaties/[a-z-]+/$"))]
    assert names == sorted([organisation()["name"], "Dierenhulp Hasselt"], key=str.casefold)
    profile = html(out, "organisaties/buurtwerk/")
    assert profile.find("h1").get_text(strip=True) == organisation()["name"]
    assert organisation()["summary"] in profile.get_text()
    assert profile.find("strong", string="organisatie") is not None  # description, from Markdown
    assert profile.find("a", href="mailto:" + organisation()["contact"]["email"]) is not None
    assert cards(profile) == ["kok"]
    assert cards(html(out, "organisaties/dierenhulp/")) == ["hond"]


def test_story_list_and_page(proj):
    add_vacancy(proj, "kok")
    proj.photo("images/stories/foto.jpg")
    proj.write("content/stories/oktober.md", story(title="Verhaal van oktober", date=dt.date(2026, 10, 1)), "Eerst.\n")
    proj.write("content/stories/november.md",
               story(title="Verhaal van november", organisation="buurtwerk", vacancy="kok"),
               "Een **sterk** verhaal.\n")
    out = proj.build()
    listing = html(out, "verhalen/")
    titles = [a.get_text(strip=True) for a in listing.find("main").find_all("a", href=re.compile(r"verhalen/[a-z-]+/$"))]
    assert titles == ["Verhaal van november", "Verhaal van oktober"]  # newest first, from the dates written
    soup = html(out, "verhalen/november/")
    assert soup.find("h1").get_text(strip=True) == "Verhaal van november"
    assert soup.find("strong", string="sterk") is not None
    assert soup.find("img", alt=story()["image_alt"]) is not None
    assert soup.find("a", href=re.compile(r"organisaties/buurtwerk/$")) is not None
    assert cards(soup) == ["kok"]


def test_agenda_and_event_page(proj):
    proj.write("content/events/voorbij.yaml", event(title="Voorbij", start="2026-11-01 10:00", end="2026-11-01 12:00"))
    proj.write("content/events/later.yaml", event(title="Later", kind="feest", start="2027-01-10 19:00",
                                                    end="2027-01-10 23:00"))
    proj.write("content/events/straks.yaml", event(title="Straks", kind="ontbijt", start="2026-12-04 08:00",
                                                     end="2026-12-04 10:00"))
    out = proj.build()
    agenda = html(out, "agenda/")

    def event_links(node):
        return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in node.find_all("a", href=re.compile(r"agenda/[a-z-]+/$"))]

    upcoming = agenda.find("h2", string="Binnenkort").find_parent("section")
    assert event_links(upcoming) == ["straks", "later"]
    assert "voorbij" in event_links(agenda.find("main"))

    soup = html(out, "agenda/straks/")
    text = soup.find("main").get_text(" ", strip=True)
    assert soup.find("h1").get_text(strip=True) == "Straks"
    for expected in (EVENT_KINDS["ontbijt"], event()["place"]["address"], DEELGEMEENTEN["hasselt-centrum"]):
        assert expected in text
    assert soup.find("strong", string="koffie") is not None
    assert soup.find("time", datetime=re.compile(r"^2026-12-04T08:00")) is not None
    assert "voorbij" not in text.lower()
    assert "voorbij" in html(out, "agenda/voorbij/").find("main").get_text(" ").lower()


def test_static_page_with_translations(proj):
    translations = [{"lang": "en", "title": "Welcome", "text": "Do you want to **help**?\n"},
                    {"lang": "ar", "title": "مرحبا", "text": "هل تريد المساعدة؟\n"}]
    proj.write("content/pages/nieuwe-hasselaar.md", page(title="Nieuw in Hasselt", menu=2, translations=translations),
               "Welkom in *Hasselt*.\n")
    out = proj.build()
    soup = html(out, "nieuwe-hasselaar/")
    assert soup.html["lang"] == "nl"
    assert soup.find("h1").get_text(strip=True) == "Nieuw in Hasselt"
    assert soup.find("em", string="Hasselt") is not None
    english = soup.find(lambda tag: tag.get("lang") == "en" and "Welcome" in tag.get_text())
    assert english is not None and english.find("strong", string="help") is not None
    assert english.get("dir") != "rtl"
    arabic = soup.find(lambda tag: tag.get("lang") == "ar" and "مرحبا" in tag.get_text())
    assert arabic is not None and arabic.get("dir") == "rtl"
    # a page with a menu number is in the main menu of every page
    nav = html(out, "").find("nav")
    assert any(a["href"].endswith("nieuwe-hasselaar/") for a in nav.find_all("a", href=True))


def test_translations_are_a_help_that_leads_to_the_dutch_text(proj):
    """Dutch first: each translated block says, in its own language, that it is a help for newcomers and links to
    the Dutch text; HH_TRANSLATIONS = False leaves them out without touching the content."""
    translations = [{"lang": lang, "title": f"Titel {lang}", "text": f"Tekst in {lang}.\n"} for lang in ("en", "ar")]
    proj.write("content/pages/nieuwe-hasselaar.md", page(title="Nieuw in Hasselt", translations=translations),
               "Welkom in Hasselt.\n")
    soup = html(proj.build(), "nieuwe-hasselaar/")
    dutch = soup.find(id="nederlands")
    assert dutch is not None and "Welkom in Hasselt." in dutch.get_text()
    blocks = soup.find_all("section", class_="translation")
    assert [b["lang"] for b in blocks] == ["en", "ar"]
    for block in blocks:
        note = block.find(class_="translation-note")
        sentence, label = TRANSLATION_NOTES[block["lang"]]
        assert note is not None and sentence in note.get_text()
        assert note.find_parent(lang=True)["lang"] == block["lang"], "the note speaks the block's language"
        link = note.find("a", href="#nederlands")
        assert link is not None and link.get_text(strip=True) == label and link["hreflang"] == "nl"
        assert block.find("h2").find_next_sibling() is note, "the note comes first in the block"
    assert "newcomers" in TRANSLATION_NOTES["en"][0]
    assert set(TRANSLATION_NOTES) == set(LANGUAGES) - {"nl"}, "every language has its note"

    conf = proj.root / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nHH_TRANSLATIONS = False\n", encoding="utf-8")
    soup = html(proj.build(), "nieuwe-hasselaar/")
    assert not soup.find_all(lang="en") and not soup.find_all(lang="ar") and not soup.find("nav", class_="languages")
    assert "Welkom in Hasselt." in soup.find(id="nederlands").get_text()
    assert "translations" in (proj.root / "content/pages/nieuwe-hasselaar.md").read_text(encoding="utf-8")


def test_home_page_sections(proj):
    add_vacancy(proj, "ster", featured=True)
    add_vacancy(proj, "gewoon")
    add_vacancy(proj, "intern-ster", featured=True, internal=True)
    add_vacancy(proj, "klad-ster", featured=True, status="draft")
    proj.photo("images/stories/foto.jpg")
    proj.write("content/stories/koken.md", story(), "Tekst.\n")
    proj.write("content/events/markt.yaml", event())
    out = proj.build(production=True)
    home = html(out, "")

    def section(heading: str):
        h2 = home.find("h2", string=heading)
        assert h2 is not None, heading
        return h2.find_parent("section")

    assert cards(section("In de kijker")) == ["ster"]
    assert sorted(cards(home)) == ["gewoon", "ster", "ster"]  # in de kijker, and among the newest
    assert home.find("a", string=story()["title"]) is not None
    assert home.find("a", string=event()["title"]) is not None
    theme_links = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in home.find_all("a", href=re.compile("/thema/"))}
    assert theme_links == set(THEMES)
