"""Dutch hints for the web editor's forms (hasselthelpt/editor_config.py): how to fill in each field, in the words
of the communications team. The schema's own help texts are English (they are meant for `check` and YAML
editors); the facts (labels, limits, choices, what is required) still come from the schema: the editor's
configuration adds them to these hints. tests/test_editor_config.py fails when a schema field has no hint here.

Keys are field paths ("place.address"); a key "type:path" ("story:date") is that content type's own hint.
"""

from __future__ import annotations

HINTS: dict[str, str] = {
    "title": "Kort en duidelijk.",
    "vacancy:title": "Kort en duidelijk: wat gaat de vrijwilliger doen? Bijvoorbeeld: Kok voor de buurtsoep.",
    "story:title": "Een titel die nieuwsgierig maakt.",
    "event:title": "De naam van de activiteit.",
    "page:title": "De titel van de pagina.",
    "press:title": "De kop van het persbericht.",
    "organisation": "Kies de organisatie: typ een deel van de naam.",
    "story:organisation": "Niet verplicht: de organisatie waarover het verhaal gaat.",
    "summary": "Eén of twee korte zinnen, voor lijsten, nieuwsbrieven en schermen.",
    "organisation:summary": "Eén zin over wat de organisatie doet.",
    "page:summary": "Eén zin voor zoekmachines en voorbeelden van links.",
    "press:summary": "De lead: één of twee zinnen met het nieuws.",
    "description": "De volledige tekst. Schrijf korte zinnen en gewone woorden.",
    "vacancy:description": "Wat doet de vrijwilliger? Met wie? Wat krijgt die ervoor terug? Schrijf korte zinnen en "
                           "gewone woorden.",
    "themes": "Kies één of meer thema's.",
    "story:themes": "Niet verplicht: de thema's waarover het verhaal gaat.",
    "talents": "Welke talenten helpen bij dit werk? Mag leeg blijven.",
    "kind": "Kies de soort.",
    "vacancy:kind": "Structureel: op vaste momenten, voor langere tijd. Occasioneel: af en toe.",
    "organisation:kind": "Een dienst van de stad, of een vrijwilligersorganisatie.",
    "time_commitment": "In gewone woorden, bijvoorbeeld: 3 uur per week.",
    "when": "Kies minstens één moment.",
    "location": "Op een vast adres (vul dan de plaats in), thuis of online, of op verschillende plaatsen in Hasselt "
                "(laat de plaats dan leeg).",
    "place": "Waar het gebeurt: het adres en de deelgemeente.",
    "vacancy:place": "Alleen bij een vast adres: het adres en de deelgemeente. Laat leeg bij thuis of online, en bij "
                     "verschillende plaatsen.",
    "place.name": "Niet verplicht: de naam van het gebouw, bijvoorbeeld Dienstencentrum Runkst.",
    "place.address": "Straat, nummer, postcode en gemeente, bijvoorbeeld Kempische Steenweg 12, 3500 Hasselt.",
    "place.deelgemeente": "De deelgemeente van het adres.",
    "shifts": "Alleen voor een taak op een vaste datum: elke dag met begin en einde. De vacature staat dan in de "
              "agenda en sluit na de laatste dag.",
    "shifts.start": "Datum en uur van het begin (Belgische tijd).",
    "shifts.end": "Datum en uur van het einde, na het begin.",
    "dutch_level": "Hoeveel Nederlands heeft de vrijwilliger nodig?",
    "min_age": "Laat 16 staan, tenzij het werk een andere minimumleeftijd vraagt.",
    "wheelchair_accessible": "Aan als de plek en het werk geschikt zijn voor iemand in een rolstoel.",
    "event:wheelchair_accessible": "Aan als de plek geschikt is voor iemand in een rolstoel.",
    "accessibility": "Wat nog meer belangrijk is voor de toegankelijkheid, in gewone woorden: trappen, een rustige "
                     "ruimte, zittend werk...",
    "expenses": "Krijgt de vrijwilliger een onkostenvergoeding?",
    "expenses_note": "Niet verplicht: meer uitleg over de vergoeding.",
    "mileage_allowance": "Aan als verplaatsingen voor het werk per kilometer terugbetaald worden.",
    "insured": "Aan als de organisatie haar vrijwilligers verzekert. Dat moet (wet van 3 juli 2005): de stad "
               "publiceert geen vacature zonder verzekering.",
    "good_conduct_certificate": "Aan als de vrijwilliger een uittreksel uit het strafregister nodig heeft (vaak bij "
                                "werk met kinderen of in de zorg).",
    "volunteers_needed": "Niet verplicht: hoeveel vrijwilligers er nodig zijn.",
    "contact": "Wie vragen beantwoordt: een naam, en een e-mailadres of telefoonnummer (of allebei).",
    "contact.name": "Voornaam (en achternaam) van de contactpersoon.",
    "contact.email": "Bijvoorbeeld vrijwilligers@hasselt.be.",
    "contact.phone": "Bijvoorbeeld 011 23 94 00.",
    "contact_public": "Aan als naam, e-mail en telefoon ook in de open data en de gegevens voor zoekmachines mogen "
                      "(een algemeen adres zoals info@... meestal wel, iemands eigen adres alleen met toestemming). "
                      "De pagina toont de contactpersoon altijd.",
    "publish_from": "De eerste dag op de site.",
    "event:publish_from": "Niet verplicht: de eerste dag op de site.",
    "valid_through": "De laatste dag dat mensen zich kunnen aanmelden; daarna staat er 'afgelopen'. Op of na de dag "
                     "'Online vanaf'.",
    "image": "Een foto (JPEG, PNG of WebP) van minstens 960 pixels breed; 1440 of meer is beter.",
    "image_alt": "Wat staat er op de foto? Voor mensen die de foto niet zien. Verplicht als er een foto is.",
    "image_credit": "Wie maakte de foto, bijvoorbeeld Jan Peeters of Stad Hasselt. Staat onder de foto.",
    "image_licence": "Meestal 'alle rechten voorbehouden': wij mogen de foto gebruiken, anderen niet.",
    "status": "Klad: (nog) niet op de publieke site.",
    "organisation:status": "Gearchiveerd als de organisatie gestopt is: de pagina blijft met een melding, zonder "
                           "vacatures.",
    "internal": "Aan als alleen personeel van de stad het mag zien (interne schermen en nieuwsbrief).",
    "featured": "Aan om het op de startpagina en op de schermen te tonen.",
    "name": "De naam die inwoners kennen.",
    "logo": "Het logo van de organisatie (PNG of JPEG).",
    "website": "Het volledige adres, dat begint met https://.",
    "address": "Straat, nummer, postcode en gemeente.",
    "deelgemeente": "Waar de organisatie gevestigd is.",
    "date": "De datum van publicatie. Een datum in de toekomst staat nog niet op de site.",
    "press:date": "De datum van het persbericht: het staat niet op de site voor die dag (embargo).",
    "people": "Aan als het verhaal iemand noemt of toont (in de tekst of op de foto): dan is toestemming nodig.",
    "consent": "Verplicht als er mensen in beeld zijn: één rij per persoon (voor een kind de ouders). Wordt nooit "
               "gepubliceerd. Zonder 'de website' komt het verhaal niet online.",
    "consent.who": "Wie gaf toestemming, bijvoorbeeld Fatima El Amrani of de ouders van Wim.",
    "consent.date": "Wanneer de toestemming gegeven is.",
    "consent.uses": "Waarvoor de toestemming geldt.",
    "consent.record": "Waar het getekende formulier of de e-mail bewaard wordt.",
    "vacancy": "Niet verplicht: een vacature om naar te verwijzen.",
    "body": "De tekst. Schrijf korte zinnen en gewone woorden.",
    "start": "Datum en uur van het begin (Belgische tijd).",
    "end": "Datum en uur van het einde, na het begin.",
    "organiser": "Niet verplicht: de organisatie die het organiseert. Laat leeg als de stad het organiseert.",
    "price": "De prijs in euro, bijvoorbeeld 5 of 2.50. 0: gratis.",
    "price_note": "Niet verplicht, bijvoorbeeld: Kinderen gratis.",
    "registration_url": "Niet verplicht: waar mensen zich inschrijven (een adres dat begint met https://).",
    "menu": "Niet verplicht: de plaats in het hoofdmenu (1 = eerst). Hou het menu kort: hoogstens twee pagina's.",
    "menu_title": "Een korte naam voor het menu, als de titel lang is.",
    "translations": "Niet verplicht: korte teksten in andere talen, voor nieuwe Hasselaars.",
    "translations.lang": "De taal.",
    "translations.title": "De titel in die taal.",
    "translations.text": "Een paar korte zinnen in die taal.",
    "photos": "De perskit: elke foto met beschrijving, fotograaf en licentie.",
    "photos.image": "De foto in volle grootte: journalisten downloaden hem zoals hij is.",
    "photos.alt": "Wat staat er op de foto? Voor mensen die de foto niet zien.",
    "photos.credit": "Wie maakte de foto: journalisten moeten de fotograaf vermelden.",
    "photos.licence": "Alle rechten voorbehouden: alleen bij dit persbericht te gebruiken.",
}


def hint(type_name: str, path: str) -> str | None:
    """The Dutch hint for a field of a content type, or None when there is none."""
    return HINTS.get(f"{type_name}:{path}") or HINTS.get(path)
