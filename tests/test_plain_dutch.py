"""The plain-Dutch check (hasselthelpt/content/plain_dutch.py): `check` warns, with file, field, line and a concrete fix,
about long sentences, a low reading ease and jargon; never an error unless --strict; none on the sample content."""

from __future__ import annotations

import pytest

from hh_testing import REPO, organisation, page, story, vacancy
from hasselthelpt import cli
from hasselthelpt.build import check
from hasselthelpt.content import plain_dutch

ORG = "content/organisations/buurtwerk.yaml"
LONG = ("Als vrijwilliger in ons buurtrestaurant help je elke dinsdag en donderdag in de keuken, waar je groenten "
        "snijdt, soep kookt en de afwas doet voor ongeveer veertig buren uit de wijk.")  # 31 words
DIFFICULT = ("De organisatie ondersteunt maatschappelijk kwetsbare bewoners. Vrijwilligersverantwoordelijken "
             "coördineren administratieve begeleidingstrajecten. Gespecialiseerde medewerkers evalueren "
             "individuele hulpverleningsprocessen. Professionele ondersteuning garandeert kwaliteitsvolle "
             "dienstverlening. Structurele samenwerkingsverbanden optimaliseren communicatie tussen "
             "welzijnsorganisaties. Geïnteresseerde kandidaten solliciteren elektronisch. Intensieve "
             "kennisuitwisseling stimuleert innovatieve initiatieven. Toegankelijke informatievoorziening "
             "vereenvoudigt administratieve procedures aanzienlijk.")  # 43 words
JARGON = "faciliteren: mogelijk maken\nin het kader van: bij, voor\n"


def _write_org(project, **changes):
    project.write(ORG, organisation(**changes))


def warnings_of(project):
    corpus, errors = check(project.settings())
    assert not errors, "\n".join(map(str, errors))
    return corpus.warnings


def test_a_long_sentence_is_a_warning_with_file_field_line_and_a_fix(project):
    _write_org(project)
    path = project.write("vacancies/kok.yaml", vacancy(description=f"Kort.\n\n{LONG}\n"))
    [warning] = warnings_of(project)
    assert warning.warning and warning.path == "vacancies/kok.yaml" and warning.field == "description"
    assert "31 words" in warning.problem and "'Als vrijwilliger in ons buurtrestaurant" in warning.problem
    assert "before 'waar'" not in warning.fix and "Split it into two sentences, for example before 'en'" \
        in warning.fix and "HH_PLAIN_MAX_WORDS" in warning.fix
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("description:"))
    assert warning.line == line
    assert str(warning).startswith(f"vacancies/kok.yaml:{line}: warning: field 'description'")


def test_markdown_is_stripped_and_blocks_end_sentences(project):
    """A list of short items without full stops is not one long sentence; emphasis, links and code do not count."""
    items = "\n".join(f"- **Punt {i}**: koken in [de keuken](https://example.be) `code code code code`"
                      for i in range(8))
    _write_org(project, description=f"## Wat doe je\n{items}\n")
    assert warnings_of(project) == []
    assert plain_dutch.sentences(plain_dutch.text_blocks("<p>Kom om 8.00 uur, bv. met de bus. Of met de fiets!</p>"
                                                          "<ul><li>Een</li><li>Twee</li></ul>")) == [
        plain_dutch.Sentence("Kom om 8.00 uur, bv. met de bus.", ("Kom", "om", "8", "00", "uur", "bv", "met",
                                                                  "de", "bus")),
        plain_dutch.Sentence("Of met de fiets!", ("Of", "met", "de", "fiets")),
        plain_dutch.Sentence("Een", ("Een",)), plain_dutch.Sentence("Twee", ("Twee",))]


def test_a_long_sentence_in_a_story_body_points_at_its_line(project):
    _write_org(project)
    project.photo("images/stories/foto.jpg")
    path = project.write("content/stories/soep.md", story(), body=f"Een korte zin.\n\nNog een.\n\n{LONG}\n")
    [warning] = warnings_of(project)
    assert (warning.path, warning.field) == ("content/stories/soep.md", "body")
    assert path.read_text().splitlines()[warning.line - 1].startswith("Als vrijwilliger")


def test_a_low_reading_ease_is_a_warning_naming_long_words(project):
    _write_org(project, description=DIFFICULT)
    [warning] = warnings_of(project)
    assert warning.field == "description" and "reading ease (Flesch-Douma) is" in warning.problem
    score = float(warning.problem.split(" is ")[1].split(",")[0])
    assert score < 50
    assert "instead of: 'hulpverleningsprocessen'" in warning.fix or "instead of: 'samenwerkingsverbanden'" \
        in warning.fix, warning.fix
    assert "HH_PLAIN_MIN_SCORE" in warning.fix


def test_flesch_douma_matches_the_formula():
    """206.835 - 0.93 x words per sentence - 77 x syllables per word, syllables from the Dutch dictionary."""
    found = plain_dutch.sentences(["Ik kook soep. Jij helpt mee in de keuken van het buurthuis."])
    words = [w for s in found for w in s.words]
    assert [plain_dutch.syllables(w) for w in words] == [1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2]
    assert plain_dutch.reading_ease(found) == pytest.approx(206.835 - 0.93 * 12 / 2 - 77 * 14 / 12)
    assert plain_dutch.syllables("vrijwilligerswerk") == 5


def test_jargon_is_a_warning_with_its_plain_alternative(project):
    project.write("content/jargon.yaml", JARGON)
    _write_org(project, summary="Wij faciliteren buren.",
               description="In het kader van de buurtwerking koken we samen.\n")
    warnings = warnings_of(project)
    assert sorted((w.field, w.problem, w.fix) for w in warnings) == [
        ("description", "uses the word 'in het kader van', which is on the jargon list",
         "Write 'bij, voor' instead (the list is jargon.yaml)."),
        ("summary", "uses the word 'faciliteren', which is on the jargon list",
         "Write 'mogelijk maken' instead (the list is jargon.yaml).")]


def test_translations_and_titles_are_not_measured(project):
    project.write("content/jargon.yaml", JARGON)
    project.write("content/pages/welkom.md", page(title="Faciliteren", translations=[
        {"lang": "en", "title": "Welcome", "text": LONG + " faciliteren"}]), body="Welkom in Hasselt.\n")
    assert warnings_of(project) == []


def test_broken_jargon_file_is_an_error(project):
    project.write("content/jargon.yaml", "faciliteren: mogelijk maken\nmiddels:\n")
    errors = check(project.settings())[1]
    [error] = errors
    assert (error.path, error.field, error.line, error.warning) == ("content/jargon.yaml", "middels", 2, False)


def test_thresholds_are_settings(project):
    _write_org(project, description=LONG + "\n" + DIFFICULT)
    conf = project.root / "pelicanconf.py"
    assert len(warnings_of(project)) == 2
    conf.write_text(conf.read_text() + "\nHH_PLAIN_MAX_WORDS = 40\nHH_PLAIN_MIN_SCORE = 0\n")
    assert warnings_of(project) == []


def test_check_warns_and_strict_fails(project, capsys):
    _write_org(project, description=LONG)
    assert cli.main(["--project", str(project.root), "check"]) == 0
    err = capsys.readouterr().err
    assert "warning: field 'description' has a sentence of 31 words" in err and "1 warning(s)" in err
    assert cli.main(["--project", str(project.root), "check", "--strict"]) == 1
    assert "warning: field 'description'" in capsys.readouterr().err


def test_the_sample_content_has_no_warnings(sample_project):
    assert (REPO / "content" / "jargon.yaml").is_file(), "the communications team's jargon list"
    assert plain_dutch.load_jargon(REPO, REPO / "content" / "jargon.yaml")[0], "the list is not empty"
    corpus, errors = check(sample_project.settings())
    assert not errors
    assert corpus.warnings == [], "\n".join(map(str, corpus.warnings))
