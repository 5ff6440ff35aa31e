"""The web editor (Decap CMS at /admin/), as the communications team uses it on a laptop: the real
`hasselthelpt serve --editor` (with decap-server, Decap's local backend) on a scratch copy of the project, and
Chromium filling in the editor's forms. A vacancy made through the forms (every required field, an organisation
chosen from the list, a photo uploaded with its alt text) is a file that passes `check` and becomes a page of the
preview site; a story's text edited in the editor changes its page; a closing date before the first day is
reported on the preview site's error list (file and field), which axe-core finds no violations on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from PIL import Image
from playwright.sync_api import expect

from browser_gates import TODAY, axe_violations, copy_project, format_violations, shared_cache
from hasselthelpt import settings as hh_settings
from hasselthelpt.build import check
from hasselthelpt.cli import pelican_settings
from hasselthelpt.editor_dev import ERRORS_PAGE
from test_browser_serve import BUILD_SECONDS, Running, _free_port

STORY = "fatima-moestuin-kiewit"  # a story of the sample content
TITLE = "Voorlezer in de bibliotheek"
SLUG = "voorlezer-in-de-bibliotheek"  # the file name Decap makes of the title
ORGANISATION = ("Stad Hasselt", "stad-hasselt")


def decap_answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1", timeout=5)
    except urllib.error.HTTPError:  # it answers (a GET is not its API)
        return True
    return True


@pytest.fixture(scope="module")
def editor(tmp_path_factory) -> Running:
    project = copy_project(tmp_path_factory.mktemp("editor"))
    with open(project / "pelicanconf.py", "a", encoding="utf-8") as f:
        f.write(f"\nHH_TODAY = {TODAY!r}\nHH_CACHE_PATH = {str(shared_cache(tmp_path_factory))!r}\n")
    port, decap_port = _free_port(), _free_port()
    log = project / "serve.log"
    env = {**os.environ, "HH_DATABASE": str(project / "serve.sqlite3")}
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "hasselthelpt.cli", "--project", str(project), "serve",
                                    "--editor", "--port", str(port), "--editor-port", str(decap_port)],
                                   cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    running = Running(project, f"http://127.0.0.1:{port}/", process, log)
    try:
        deadline = time.monotonic() + BUILD_SECONDS
        while True:
            assert process.poll() is None, f"serve stopped:\n{log.read_text()[-3000:]}"
            try:
                if decap_answers(decap_port) and running.build_number() >= 1:
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, f"serve or decap-server did not answer:\n{log.read_text()[-3000:]}"
                time.sleep(0.5)
        yield running
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def cms(editor, page):
    """The editor, signed in (the local backend's login is one button)."""
    page.set_default_timeout(30_000)
    page.goto(editor.url + "admin/")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("link", name="Vacatures").first).to_be_visible()
    return page


def field(page, name: str, inside: str | None = None):
    """The input of a field of the open entry, by the field's name (Decap's ids are name-field-N)."""
    scope = page.locator(f"[id^='{inside}-field-']") if inside else page
    return scope.locator(f"[id^='{name}-field-']").first


def choose(page, name: str, option: str, inside: str | None = None) -> None:
    """Pick an option of a select or relation widget (react-select): type, then take the option shown."""
    box = field(page, name, inside)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=False).first.click()


# Where the text's last character is drawn. Setting the selection by script raced with the editor's own
# selection after a click (the words landed where the click was), so the test clicks just after the last
# word, as a person would, and the editor sees one selection only.
LAST_CHARACTER = """el => { const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let last = null;
                         while (walker.nextNode()) { if (walker.currentNode.data.trim()) last = walker.currentNode; }
                         last.parentElement.scrollIntoView({block: "center"});
                         const range = document.createRange(); const end = last.data.trimEnd().length;
                         range.setStart(last, end - 1); range.setEnd(last, end);
                         const box = range.getBoundingClientRect();
                         return {x: box.right, y: box.top + box.height / 2}; }"""


def try_to_publish(page):
    """Decap's 'Publiceer nu' (the local backend writes the file). Returns the 'unsaved changes' mark."""
    page.get_by_role("button", name="Publiceer").first.click()
    page.get_by_text("Publiceer nu", exact=True).first.click()
    return page.get_by_text("NIET-OPGESLAGEN WIJZIGINGEN")


def refusals(page) -> list[str]:
    """The editor's messages about fields it will not save."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('li, [role=alert]'))
        .map(e => e.textContent.trim()).filter(t => /vereist|ongeldig|voldoet|niet ingevuld|tekens/i.test(t))""")


def publish(page) -> None:
    """Publish; fails with the editor's own messages when it refuses to save."""
    unsaved = try_to_publish(page)
    try:
        expect(unsaved).to_have_count(0, timeout=15_000)
    except AssertionError:
        page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "editor-not-saved.png"), full_page=True)
        pytest.fail(f"the editor did not save: {refusals(page)}")


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "voorlezen.jpg"
    Image.new("RGB", (1200, 800), (163, 18, 58)).save(path, quality=85)
    return path


def project_check(project: Path):
    settings = hh_settings.from_pelican(pelican_settings(project / hh_settings.DEV_CONF))
    return check(settings)


def wait_for_page(editor: Running, url: str, text: str) -> str:
    deadline = time.monotonic() + BUILD_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(editor.url + url, timeout=30) as response:
                body = response.read().decode("utf-8")
            if text in body:
                return body
        except urllib.error.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} never showed {text!r}:\n{editor.log.read_text()[-3000:]}")


def fill_vacancy(page, title: str, at_home: bool = False) -> None:
    """Every required field of a new vacancy, through the form; at an address, or at home (no place)."""
    field(page, "title").fill(title)
    choose(page, "organisation", ORGANISATION[0])
    field(page, "summary").fill("Lees elke woensdag voor aan kinderen in de bibliotheek.")
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.type("Je leest voor aan kinderen van 4 tot 8 jaar.")
    choose(page, "themes", "Taal en onderwijs")
    choose(page, "kind", "Structureel")
    field(page, "time_commitment").fill("2 uur per week")
    choose(page, "when", "Overdag in de week")
    if at_home:
        choose(page, "location", "Thuis of online")
    else:
        field(page, "address", inside="place").fill("Limburgplein 3, 3500 Hasselt")
        choose(page, "deelgemeente", "Hasselt-centrum", inside="place")
    choose(page, "dutch_level", "Je spreekt vlot Nederlands")
    choose(page, "expenses", "Geen onkostenvergoeding")
    field(page, "insured").click()
    field(page, "name", inside="contact").fill("An Janssens")
    field(page, "email", inside="contact").fill("bibliotheek@hasselt.be")
    field(page, "publish_from").fill("2026-11-27")
    field(page, "valid_through").fill("2027-03-31")


def test_a_vacancy_made_in_the_editor_passes_check_and_is_on_the_preview_site(editor, cms, tmp_path):
    page = cms
    page.goto(editor.url + "admin/#/collections/vacatures/new")
    fill_vacancy(page, TITLE)
    page.get_by_role("button", name="Kies een afbeelding").click()
    page.locator("input[type=file]").set_input_files(photo(tmp_path))
    page.get_by_role("button", name="Gebruik selectie").click()
    field(page, "image_alt").fill("Een vrijwilliger leest voor uit een prentenboek")
    number = editor.build_number()
    publish(page)

    path = editor.vacancy_file(SLUG)
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["organisation"] == ORGANISATION[1] and data["image"] == "images/voorlezen.jpg"
    assert (editor.project / "content" / "images" / "voorlezen.jpg").is_file()
    corpus, errors = project_check(editor.project)
    assert errors == [], "\n".join(map(str, errors))
    assert SLUG in corpus.vacancies
    editor.wait_for_build_where(number, lambda: True)
    body = wait_for_page(editor, f"vacatures/{SLUG}/", TITLE)
    assert "Een vrijwilliger leest voor uit een prentenboek" in body, "the photo with its alt text"


def test_a_story_edited_in_the_editor_changes_its_page(editor, cms):
    page = cms
    page.goto(editor.url + f"admin/#/collections/verhalen/entries/{STORY}")
    body = page.locator("[data-slate-editor]").last  # the story's text (the field body)
    expect(body).to_contain_text("Vraag het gerust aan Nadia.")  # the entry is loaded
    expect(page.get_by_text("NIET-OPGESLAGEN WIJZIGINGEN")).to_have_count(0)
    end = body.evaluate(LAST_CHARACTER)
    page.mouse.click(end["x"] + 3, end["y"])
    page.keyboard.press("End")  # the end of the line clicked, the text's last line
    page.keyboard.type(" Ze komt elke zaterdag terug.")
    expect(body).to_contain_text("Nadia. Ze komt elke zaterdag terug.")
    expect(page.get_by_text("NIET-OPGESLAGEN WIJZIGINGEN")).to_have_count(1)
    publish(page)
    text = (editor.project / "content" / "stories" / f"{STORY}.md").read_text(encoding="utf-8")
    assert text.rstrip().endswith("Vraag het gerust aan Nadia. Ze komt elke zaterdag terug."), text[-300:]
    corpus, errors = project_check(editor.project)
    assert errors == [] and STORY in corpus.stories, "\n".join(map(str, errors))
    wait_for_page(editor, f"verhalen/{STORY}/", "Ze komt elke zaterdag terug.")


def test_a_closing_date_before_the_first_day_is_on_the_error_list_with_file_and_field(editor, cms, page):
    path = editor.vacancy_file(SLUG)
    assert path.is_file(), "made by the first test"
    page.goto(editor.url + f"admin/#/collections/vacatures/entries/{SLUG}")
    expect(field(page, "valid_through")).to_have_value("2027-03-31")  # the entry is loaded
    field(page, "valid_through").fill("2026-11-01")
    publish(page)
    assert "2026-11-01" in path.read_text(encoding="utf-8")
    errors = editor.url + ERRORS_PAGE
    wait_for_page(editor, ERRORS_PAGE, "valid_through")
    violations, failed = axe_violations(page, errors)
    assert violations == [], format_violations(errors, violations)
    assert failed == []
    item = page.locator(".build-errors li").filter(has_text=f"vacancies/{SLUG}.yaml")
    expect(item).to_have_count(1)
    assert "valid_through" in item.inner_text() and "publish_from" in item.inner_text()
    item.get_by_role("link", name=f"Open vacancies/{SLUG}.yaml in de editor").click()
    expect(field(page, "valid_through")).to_have_value("2026-11-01")
    field(page, "valid_through").fill("2027-03-31")
    publish(page)
    wait_for_page(editor, ERRORS_PAGE, "geen fouten")
    violations, _ = axe_violations(page, errors)
    assert violations == [], format_violations(errors, violations)


def test_the_editor_refuses_what_the_schema_refuses_before_saving(editor, cms):
    """The schema's patterns and limits, in the form: an e-mail address that is none and a title that is too long
    are refused with the field's name, and no file is written."""
    page = cms
    page.goto(editor.url + "admin/#/collections/organisaties/new")
    field(page, "name").fill("Buurtwerk " + "Kiewit " * 20)
    field(page, "email", inside="contact").fill("geen adres")
    unsaved = try_to_publish(page)
    page.wait_for_timeout(1000)
    expect(unsaved).to_have_count(1)
    messages = " ".join(refusals(page))
    assert "Hoogstens 90 tekens" in messages and "e-mailadres" in messages, messages
    assert not list((editor.project / "content" / "organisations").glob("buurtwerk-*"))


def test_a_vacancy_at_home_is_saved_without_a_place(editor, cms):
    """The place is an optional group with required fields: the editor saves without it (and `check` would
    report a place filled in half)."""
    page = cms
    page.goto(editor.url + "admin/#/collections/vacatures/new")
    fill_vacancy(page, "Voorlezen via videobellen", at_home=True)
    publish(page)
    data = yaml.safe_load(editor.vacancy_file("voorlezen-via-videobellen").read_text(encoding="utf-8"))
    assert data["location"] == "thuis" and "place" not in data
    corpus, errors = project_check(editor.project)
    assert errors == [] and "voorlezen-via-videobellen" in corpus.vacancies, "\n".join(map(str, errors))
