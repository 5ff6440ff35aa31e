"""Print in real builds: the PDFs read back (pages, sizes, bleed, embedded fonts, text, photo resolution), their QR
codes decoded to short addresses that redirect to the right page, the ledger of short addresses, and `check` on
texts that do not fit their format."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from hh_testing import REPO, TODAY, Project, event, organisation, story, vacancy
from hasselthelpt.paper import short_links
from hasselthelpt.paper.plan import stall_day

A4, A3, A5 = (595.28, 841.89), (841.89, 1190.55), (419.53, 595.28)  # points
BLEED = 3 * 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample content, built once for this module: (project, public output, drukwerk folder)."""
    p = Project(tmp_path_factory.mktemp("print"))
    for name in ("content", "vacancies"):
        shutil.rmtree(p.root / name)
        shutil.copytree(REPO / name, p.root / name)
    output = p.build()
    return p, output, output.parent / f"{output.name}-intranet" / "drukwerk"


def trim(page) -> tuple[float, float]:
    return round(float(page.trimbox.width), 2), round(float(page.trimbox.height), 2)


def fonts_embedded(reader: PdfReader) -> set[str]:
    """The base font of every font in the PDF; fails on one without an embedded font file."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
                else font["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    return names


def qr_texts(pdf, page_index: int = 0) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        image = doc[page_index].render(scale=3).to_pil().convert("L")
    finally:
        doc.close()
    return [r.text for r in zxingcpp.read_barcodes(image)]


def redirect_target(output, short_url: str) -> str:
    """Where /k/<code>/ sends a browser: its meta refresh, relative to the redirect page."""
    path = short_url.split("/k/", 1)[1]
    page = (output / "k" / path / "index.html").read_text(encoding="utf-8")
    return re.search(r'url=\.\./\.\./([^"]+)"', page).group(1)


def test_poster_a4_and_a3_with_bleed_fonts_text_and_a_working_qr_code(built):
    _, output, folder = built
    for size, expected in (("a4", A4), ("a3", A3)):
        reader = PdfReader(folder / "affiches" / f"vacancy-kok-buurtsoep-kiewit-{size}.pdf")
        assert len(reader.pages) == 1
        page = reader.pages[0]
        assert trim(page) == expected
        assert float(page.bleedbox.width) == pytest.approx(expected[0] + 2 * BLEED, abs=0.1)
        assert {n.split("+")[-1] for n in fonts_embedded(reader)} == {"Open-Sans", "Open-Sans-Bold"}
        text = " ".join(page.extract_text().split())
        assert "Kok voor de buurtsoep in Kiewit" in text and "Buurtcentrum De Kiewiet" in text
    pdf = folder / "affiches" / "vacancy-kok-buurtsoep-kiewit-a4.pdf"
    [url] = qr_texts(pdf)
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/k/[2-9a-hjkmnp-z]{4}/", url)
    assert url.removeprefix("http://").rstrip("/") in " ".join(PdfReader(pdf).pages[0].extract_text().split())
    target = redirect_target(output, url)
    assert target == "vacatures/kok-buurtsoep-kiewit/?bron=print-affiche"
    assert (output / "vacatures" / "kok-buurtsoep-kiewit" / "index.html").is_file()
    code = url.rstrip("/").rsplit("/", 1)[1]  # typed in capitals, it works as well
    assert redirect_target(output, url.replace(code, code.upper())) == target


def test_event_poster_says_when_and_where(built):
    _, _, folder = built
    text = " ".join(PdfReader(folder / "affiches" / "event-vrijwilligersbeurs-2027-a4.pdf").pages[0]
                    .extract_text().split())
    assert "Wanneer" in text and "Waar" in text and "2027" in text


def test_stall_list_has_every_open_vacancy_by_theme_with_codes(built):
    project, output, folder = built
    assert stall_day(dt.date.fromisoformat(TODAY)) == dt.date(2026, 12, 4)  # the first Friday of December
    reader = PdfReader(folder / "markt-2026-12-04.pdf")
    assert len(reader.pages) > 1 and all(trim(p) == A4 for p in reader.pages)
    fonts_embedded(reader)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Zorg en welzijn" in text and "vrijdag 4 december 2026" in text
    ledger = short_links.load_ledger(project.root)[0]
    stall_codes = [link.code for link in ledger if link.bron == "print-markt"]
    assert len(stall_codes) > 20
    assert all(f"/k/{code}" in text.replace(" ", "") for code in stall_codes)
    first = qr_texts(folder / "markt-2026-12-04.pdf")
    assert first and all(redirect_target(output, url).endswith("?bron=print-markt") for url in first)


def test_welcome_page_is_a5_with_four_entry_points(built):
    _, output, folder = built
    reader = PdfReader(folder / "welkomstpakket.pdf")
    assert len(reader.pages) == 1 and trim(reader.pages[0]) == A5
    targets = sorted(redirect_target(output, url).split("?")[0] for url in qr_texts(folder / "welkomstpakket.pdf"))
    assert targets == sorted(["zoeken/", "matcher/", "afspraak/", "agenda/infostand-vrijdagmarkt-2026-12/"])


def test_magazine_story_is_one_a4_page_with_the_photo_at_full_resolution(built):
    project, _, folder = built
    pdf = folder / "personeelsblad" / "fatima-moestuin-kiewit.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1 and trim(reader.pages[0]) == A4
    [image] = reader.pages[0].images
    with Image.open(project.root / "content" / "images" / "stories" / "moestuin.jpg") as original:
        assert image.image.size == original.size
    assert "Fatima" in reader.pages[0].extract_text()
    # only stories whose people consented to print
    assert not (folder / "personeelsblad" / "olena-en-bruno.pdf").exists()


def test_intranet_page_lists_the_pdfs_and_every_short_address(built):
    project, _, folder = built
    page = (folder / "index.html").read_text(encoding="utf-8")
    for pdf in folder.rglob("*.pdf"):
        assert f'href="{pdf.relative_to(folder).as_posix()}"' in page
    for link in short_links.load_ledger(project.root)[0]:
        assert f"/k/{link.code}/" in page
    assert 'href="drukwerk/"' in (folder.parent / "index.html").read_text(encoding="utf-8")  # the staff page


def test_pdfs_come_from_the_cache_when_nothing_changed(built):
    project, _, _ = built
    cache = sorted((project.root / "cache" / "print").glob("*.pdf"))
    times = [p.stat().st_mtime_ns for p in cache]
    project.build()
    assert sorted((project.root / "cache" / "print").glob("*.pdf")) == cache
    assert [p.stat().st_mtime_ns for p in cache] == times


def test_a_replaced_photo_is_printed_though_its_text_is_the_same(tmp_path):
    """A PDF's cache key holds the digest of each photo it shows, remembered by file state: a new photo under the
    same name must give a new PDF."""
    project = Project(tmp_path)
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.photo("images/stories/foto.jpg", size=(1400, 1000))
    project.write("content/stories/moestuin.md", story(consent=[{"who": "An", "date": dt.date(2026, 10, 1),
                                                                 "uses": ["site", "print"], "record": "map 2026"}],
                                                       people=True), body="An vertelt.\n")

    def printed_size() -> tuple[int, int]:
        folder = project.build().parent / "output-intranet" / "drukwerk" / "personeelsblad"
        [image] = PdfReader(folder / "moestuin.pdf").pages[0].images
        return image.image.size

    assert printed_size() == (1400, 1000)
    project.photo("images/stories/foto.jpg", size=(1200, 900))
    assert printed_size() == (1200, 900)


def test_short_codes_are_deterministic_unambiguous_and_never_reused(tmp_path):
    today = dt.date(2026, 11, 27)
    first = short_links.assign([], [("vacatures/kok/", "print-affiche"), ("agenda/", "print-welkom")], today)
    again = short_links.assign([], [("vacatures/kok/", "print-affiche")], today)
    assert first[0].code == again[0].code
    assert all(short_links.CODE_RE.match(link.code) and not set(link.code) & set("01ilo") for link in first)
    taken = {first[0].code}
    other = short_links.code_for("vacatures/kok/", "print-affiche", taken)
    assert other != first[0].code  # a code in use is skipped, deterministically
    assert short_links.assign(first, [("vacatures/kok/", "print-affiche")], today) == []
    # the ledger only grows: earlier lines stay as they were
    (tmp_path / "content").mkdir()
    short_links.append_ledger(tmp_path, first[:1])
    before = (tmp_path / short_links.LEDGER).read_text()
    short_links.append_ledger(tmp_path, first[1:])
    after = (tmp_path / short_links.LEDGER).read_text()
    assert after.startswith(before)
    assert short_links.load_ledger(tmp_path) == (first, [])


def test_an_all_digit_code_reads_back_as_the_code_it_is(tmp_path):
    """YAML reads an unquoted 7423 as a number: the ledger quotes codes, and reads an older unquoted one too."""
    today = dt.date(2026, 11, 27)
    url = next(f"vacatures/v{n}/" for n in range(100_000)
               if short_links.code_for(f"vacatures/v{n}/", "print-markt", set()).isdigit())
    digits = short_links.assign([], [(url, "print-markt")], today)
    (tmp_path / "content").mkdir()
    short_links.append_ledger(tmp_path, digits)
    assert short_links.load_ledger(tmp_path) == (digits, [])
    ledger = tmp_path / short_links.LEDGER
    ledger.write_text(ledger.read_text().replace(f"'{digits[0].code}'", digits[0].code))
    assert short_links.load_ledger(tmp_path) == (digits, [])
    assert short_links.redirect_paths(digits[0]) == [f"k/{digits[0].code}/"]  # no upper case of its own


def test_check_fails_on_an_edited_ledger_and_on_a_code_whose_page_is_gone(project):
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("vacancies/kok.yaml", vacancy())
    line = "- code: abcd\n  url: {}\n  bron: print-affiche\n  since: 2026-11-01\n"
    project.write(short_links.LEDGER, line.format("/vacatures/kok/") + line.format("/agenda/"))
    errors = [str(e) for e in project.check()]
    assert any("short-links.yaml:5" in e and "'abcd' is used twice" in e for e in errors)
    project.write(short_links.LEDGER, line.format("/vacatures/weg/"))
    errors = [str(e) for e in project.check()]
    assert any("vacatures/weg/" in e and "no longer leads to a page" in e for e in errors)


def test_check_names_file_and_field_of_a_text_too_long_for_print(project):
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.write("content/events/beurs.yaml", event(title="W" * 89))
    project.photo("images/stories/foto.jpg")
    long_body = "\n\n".join(["Dit is een zin over vrijwilligerswerk in de buurt van Kermt en omstreken."] * 90)
    project.write("content/stories/lang.md", story(consent=[{"who": "An", "date": dt.date(2026, 10, 1),
                                                              "uses": ["site", "print"], "record": "map 2026"}],
                                                    people=True), body=long_body)
    errors = [str(e) for e in project.check()]
    assert any(re.match(r"content/events/beurs\.yaml:1: field 'title' takes \d+ lines where 5 fit on the affiche "
                        r"\(poster\)", e) for e in errors), errors
    assert any("content/stories/lang.md" in e and "field 'body' takes" in e and "personeelsblad" in e
               for e in errors), errors


def test_editors_docs_show_each_formats_first_page():
    from hasselthelpt.paper import FORMATS

    editors = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    for name in FORMATS:
        picture = REPO / "docs" / "print" / f"{name}.png"
        assert picture.is_file() and f"](print/{name}.png)" in editors
        with Image.open(picture) as img:
            assert img.format == "PNG" and img.height <= 640
