"""The content schema: the one place that says what a vacancy, organisation, story, event and page is.

Validation (`validate`), the `new` templates, the JSON Schema for editors and the site's labels all come
from the definitions below. Keys are English; values that residents see in URLs and filters are Dutch.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from . import characters

# --- Vocabularies (slug -> Dutch label). Filter pages and URLs use the slugs. ---

THEMES = {
    "zorg-en-welzijn": "Zorg en welzijn",
    "sport-en-beweging": "Sport en beweging",
    "cultuur-en-erfgoed": "Cultuur en erfgoed",
    "jeugd": "Jeugd",
    "natuur-en-milieu": "Natuur en milieu",
    "taal-en-onderwijs": "Taal en onderwijs",
    "evenementen": "Evenementen",
    "buurt-en-samenleven": "Buurt en samenleven",
    "dieren": "Dieren",
    "armoede-en-voedsel": "Armoede en voedsel",
}

DEELGEMEENTEN = {
    "hasselt-centrum": "Hasselt-centrum",
    "godsheide": "Godsheide",
    "kermt": "Kermt",
    "kiewit": "Kiewit",
    "kuringen": "Kuringen",
    "rapertingen": "Rapertingen",
    "runkst": "Runkst",
    "sint-lambrechts-herk": "Sint-Lambrechts-Herk",
    "spalbeek": "Spalbeek",
    "stevoort": "Stevoort",
    "stokrooie": "Stokrooie",
    "wimmertingen": "Wimmertingen",
}

KINDS = {
    "structureel": "Structureel: op vaste momenten, voor langere tijd",
    "occasioneel": "Occasioneel: af en toe, wanneer het jou past",
}

WHEN = {
    "weekdag": "Overdag in de week",
    "avond": "'s Avonds",
    "weekend": "In het weekend",
    "flexibel": "Wanneer het jou past",
}

DUTCH_LEVELS = {
    "geen": "Je hoeft geen Nederlands te spreken",
    "basis": "Een beetje Nederlands is genoeg",
    "vlot": "Je spreekt vlot Nederlands",
}

EXPENSES = {
    "geen": "Geen onkostenvergoeding",
    "forfaitair": "Forfaitaire onkostenvergoeding (binnen het wettelijke maximum)",
    "reele-kosten": "Terugbetaling van je echte kosten",
}

TALENTS = {
    "koken": "koken",
    "luisteren": "luisteren en een babbel doen",
    "organiseren": "organiseren",
    "administratie": "administratie",
    "computer": "werken met de computer",
    "techniek": "techniek en klussen",
    "tuinieren": "tuinieren",
    "sport": "sporten en bewegen",
    "muziek": "muziek",
    "creatief": "creatief werk",
    "rijden": "autorijden",
    "talen": "talen spreken",
    "lesgeven": "uitleggen en lesgeven",
    "zorgen": "zorgen voor anderen",
    "communicatie": "schrijven en communicatie",
    "fotografie": "fotografie",
    "verkoop": "verkopen en onthaal",
    "begeleiden": "groepen begeleiden",
}

ORGANISATION_KINDS = {
    "stadsdienst": "Dienst van Stad Hasselt",
    "organisatie": "Vrijwilligersorganisatie",
}

EVENT_KINDS = {
    "markt": "Infostand op de markt",
    "beurs": "Vrijwilligersbeurs",
    "netwerkmoment": "Netwerkmoment",
    "feest": "Vrijwilligersfeest",
    "ontbijt": "Ontbijt",
    "andere": "Activiteit",
}

STATUSES = {"published": "gepubliceerd", "draft": "klad"}

ORGANISATION_STATUSES = {"active": "actief", "archived": "gearchiveerd: gestopt, de pagina blijft"}

# Where a vacancy's work happens: at an address (then `place` says which), at home, or here and there.
LOCATIONS = {
    "adres": "Op een vast adres",
    "thuis": "Thuis of online",
    "verschillende-plaatsen": "Op verschillende plaatsen in Hasselt",
}
# The values of the "Waar" filter: the deelgemeente of an address, or the kind of place when there is none.
WHERE = {**DEELGEMEENTEN, **{k: v for k, v in LOCATIONS.items() if k != "adres"}}
# The filter value (in the "soort" filter) of a vacancy with dated shifts: a one-off task.
ONE_OFF = "eenmalig"
ONE_OFF_LABEL = "Eenmalig, op een vaste datum"
# When a person can help (the matcher and the appointment form): the vacancy's moments and a one-off task.
MOMENTS = {**WHEN, ONE_OFF: ONE_OFF_LABEL}

# What the people in a story gave consent for. "site" covers the pages, search and the newsletters (feeds);
# "social-media" the photo in link previews (Open Graph); "screens" the signage slides; "print" is for the team.
CONSENT_USES = {
    "site": "de website en de nieuwsbrief",
    "social-media": "sociale media",
    "screens": "de schermen van de stad",
    "print": "drukwerk",
}

LICENCES = {
    "alle-rechten": "alle rechten voorbehouden",
    "cc-by": "CC BY 4.0",
    "cc-by-sa": "CC BY-SA 4.0",
    "cc0": "CC0, vrij te gebruiken",
}

LANGUAGES = {"nl": "Nederlands", "en": "English", "fr": "Français", "ar": "العربية", "tr": "Türkçe",
             "uk": "Українська", "ru": "Русский", "pl": "Polski", "prs": "دری", "ti": "ትግርኛ"}
RIGHT_TO_LEFT = {"ar", "prs"}
# Dutch comes first: every translated block opens with this line in its own language (it is a help for newcomers;
# the Dutch text is the text), then a link to the Dutch text with the label after it.
TRANSLATION_NOTES = {
    "en": ("A short help for newcomers to Hasselt. The Dutch text is the full text.", "Go to the Dutch text"),
    "fr": ("Une courte aide pour les nouveaux habitants de Hasselt. Le texte complet est le texte en néerlandais.",
           "Aller au texte en néerlandais"),
    "ar": ("مساعدة قصيرة للقادمين الجدد إلى هاسلت. النص الكامل هو النص باللغة الهولندية.",
           "اذهب إلى النص الهولندي"),
    "tr": ("Hasselt'e yeni gelenler için kısa bir yardım. Metnin tamamı Felemenkçe metindir.",
           "Felemenkçe metne git"),
    "uk": ("Коротка допомога для новоприбулих до Гасселта. Повний текст — нідерландською мовою.",
           "Перейти до тексту нідерландською"),
    "ru": ("Краткая помощь для новых жителей Хасселта. Полный текст — на нидерландском языке.",
           "Перейти к тексту на нидерландском"),
    "pl": ("Krótka pomoc dla nowych mieszkańców Hasselt. Pełny tekst jest po niderlandzku.",
           "Przejdź do tekstu po niderlandzku"),
    "prs": ("یک راهنمای کوتاه برای تازه‌واردان هاسلت. متن کامل به زبان هالندی است.", "رفتن به متن هالندی"),
    "ti": ("ንሓደስቲ ነበርቲ ሃሰልት ሓጺር ሓገዝ እዩ። ምሉእ ጽሑፍ ብሆላንድኛ እዩ።", "ናብ ጽሑፍ ብሆላንድኛ ኪድ"),
}

DATETIME_FORMAT = "%Y-%m-%d %H:%M"  # how content files write a date and time
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
PHONE_RE = re.compile(r"^\+?[0-9 ./()-]{8,20}$")
URL_RE = re.compile(r"^https?://[^\s]+\.[^\s]+$")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

# --- Length limits, in characters. `check`, the JSON Schemas, the `new` templates, the forms' maxlength and the
# form endpoint all take them from the fields below; the values shared by several fields are named here. ---
NAME_LENGTH = 100  # a person's name
EMAIL_LENGTH = 254  # the longest address mail servers carry (RFC 5321)
PHONE_LENGTH = 30
URL_LENGTH = 500
SLUG_LENGTH = 80  # a file name without its suffix
PATH_LENGTH = 200  # an image path below content/
ALT_LENGTH = 200
ADDRESS_LENGTH = 120
PLACE_NAME_LENGTH = 80
DESCRIPTION_LENGTH = 5000  # the Markdown description of a vacancy, organisation or event
STORY_LENGTH = 20_000
PAGE_LENGTH = 50_000


@dataclass(frozen=True)
class Field:
    """One field of a content type. `kind` decides how a value is checked and how the JSON Schema reads."""

    name: str
    kind: str  # text, markdown, int, amount (euro), bool, date, datetime, choice, choices, slug, email, phone, url,
    # image, object, list
    label: str  # Dutch, as the site and the error messages name it
    help: str  # how to fill it in: shown by `check` and in the JSON Schema
    required: bool = False
    default: Any = None
    choices: dict[str, str] | None = None
    max_length: int | None = None  # characters; every text-like field has one
    max_items: int | None = None  # for kind == "list"
    multiline: bool = False  # a plain text (not Markdown) that may hold line breaks
    minimum: int | None = None
    maximum: int | None = None
    fields: tuple["Field", ...] = ()  # for kind == "object"
    example: Any = None  # used by `new` templates; dates: days from today, datetimes: hours from today 0:00
    refers: str | None = None  # kind == "slug": the content type whose file name (slug) this names

    @property
    def lines(self) -> bool:
        """True when the value may hold line breaks (Markdown, or a plain text marked multiline)."""
        return self.kind == "markdown" or self.multiline


def _contact(required: bool) -> Field:
    return Field(
        "contact", "object", "Contactpersoon", "Who answers questions: a name plus an e-mail address or phone number.",
        required=required,
        fields=(
            Field("name", "text", "Naam", "First name (and last name) of the contact person.", required=True,
                  max_length=NAME_LENGTH, example="An Janssens"),
            Field("email", "email", "E-mail", "An e-mail address, for example vrijwilligers@hasselt.be.",
                  max_length=EMAIL_LENGTH, example="vrijwilligers@hasselt.be"),
            Field("phone", "phone", "Telefoon", "A phone number, for example 011 23 94 00.",
                  max_length=PHONE_LENGTH, example="011 23 94 00"),
        ),
    )


def _contact_public() -> Field:
    return Field(
        "contact_public", "bool", "Contact openbaar", "true when the contact's name, e-mail and phone may go into "
        "the open data export and search-engine data (a generic address such as info@... usually may; a "
        "person's own address only with their consent). The page itself always shows the contact.", default=False)


def _place(required: bool, help: str = "Where it happens: a street address and the deelgemeente.") -> Field:
    return Field(
        "place", "object", "Plaats", help, required=required,
        fields=(
            Field("name", "text", "Naam van de plek", "Optional name of the building, for example 'Dienstencentrum "
                  "Runkst'.", max_length=PLACE_NAME_LENGTH, example="Dienstencentrum Runkst"),
            Field("address", "text", "Adres", "Street, number, postcode and town, for example "
                  "'Kempische Steenweg 12, 3500 Hasselt'.", required=True, max_length=ADDRESS_LENGTH,
                  example="Kempische Steenweg 12, 3500 Hasselt"),
            Field("deelgemeente", "choice", "Deelgemeente", "One of the deelgemeenten of Hasselt.",
                  required=True, choices=DEELGEMEENTEN, example="runkst"),
        ),
    )


def _credit_fields() -> tuple[Field, Field]:
    """Who made the photo and under which licence: shown under the photo and in the feeds."""
    return (
        Field("image_credit", "text", "Fotograaf", "Who made the photo, for example 'Jan Peeters' or 'Stad "
              "Hasselt'. Shown under the photo.", max_length=80, example="Stad Hasselt"),
        Field("image_licence", "choice", "Licentie van de foto", "alle-rechten (the usual: we may use it, others "
              "may not), cc-by, cc-by-sa or cc0.", default="alle-rechten", choices=LICENCES),
    )


def _image_fields() -> tuple[Field, ...]:
    return (
        Field("image", "image", "Foto", "Path of a JPEG or PNG below content/, for example images/stories/moestuin.jpg. "
              "At least 960 pixels wide; 1440 or more is best.", max_length=PATH_LENGTH),
        Field("image_alt", "text", "Beschrijving van de foto", "What the photo shows, for people who cannot see "
              "it (alt text). Required when there is a photo.", max_length=ALT_LENGTH),
        *_credit_fields(),
    )


FORM_LIST_ROWS = 3  # rows the vacancy form (endpoint/forms.py, submit_vacancy.html) offers for the shifts

SHIFTS = Field(
    "shifts", "list", "Data en uren", "Optional, for a one-off task: each date with its start and end, as "
    "YYYY-MM-DD HH:MM (Belgian time). A vacancy with shifts is 'eenmalig, op een vaste datum': it is in the "
    "agenda, and it closes after its last shift.", default=[], max_items=50,
    fields=(
        Field("start", "datetime", "Begin", "Date and time, as YYYY-MM-DD HH:MM.", required=True,
              example=14 * 24 + 9),
        Field("end", "datetime", "Einde", "Date and time, as YYYY-MM-DD HH:MM; after the start.", required=True,
              example=14 * 24 + 12),
    ),
)


PUBLICATION = (
    Field("status", "choice", "Status", "'published', or 'draft' to keep it out of the public site.",
          default="published", choices=STATUSES),
    Field("internal", "bool", "Alleen voor personeel", "true when only staff of the city may see it (internal "
          "screens and the staff newsletter); it then stays off the public site.", default=False),
    Field("featured", "bool", "In de kijker", "true to show it on the home page and on screens.", default=False),
)

VACANCY = (
    Field("title", "text", "Titel", "A short, clear title: what will the volunteer do?", required=True,
          max_length=90, example="Kok voor de buurtsoep"),
    Field("organisation", "slug", "Organisatie", "The file name (without .yaml) of an organisation in "
          "content/organisations/.", required=True, max_length=SLUG_LENGTH, example="stad-hasselt",
          refers="organisation"),
    Field("summary", "text", "Samenvatting", "One or two short sentences for screens, feeds and lists.",
          required=True, max_length=160,
          example="Kook elke woensdag mee voor buren die graag samen eten."),
    Field("description", "markdown", "Beschrijving", "The full text in Markdown: what you do, with whom, "
          "what you get.", required=True, max_length=DESCRIPTION_LENGTH,
          example="Je kookt samen met andere vrijwilligers.\n"),
    Field("themes", "choices", "Thema's", "One or more themes from the list.", required=True, choices=THEMES,
          example=["buurt-en-samenleven"]),
    Field("talents", "choices", "Talenten", "The talents that help in this work (may be empty).", default=[],
          choices=TALENTS, example=["koken"]),
    Field("kind", "choice", "Soort vrijwilligerswerk", "'structureel' (regular, longer) or 'occasioneel' "
          "(now and then).", required=True, choices=KINDS, example="structureel"),
    Field("time_commitment", "text", "Hoeveel tijd", "How much time, in plain words, for example '3 uur per "
          "week'.", required=True, max_length=80, example="3 uur per week"),
    Field("when", "choices", "Wanneer", "When the work happens: weekdag, avond, weekend, and/or flexibel (when "
          "it suits the volunteer).", required=True,
          choices=WHEN, example=["weekdag"]),
    Field("location", "choice", "Waar", "'adres' (at the address in place), 'thuis' (at home or online) or "
          "'verschillende-plaatsen' (different places in Hasselt; then leave place out).", default="adres",
          choices=LOCATIONS, example="adres"),
    _place(required=False, help="The street address and the deelgemeente. Required when location is 'adres' "
           "(the default); leave it out for 'thuis' and 'verschillende-plaatsen'."),
    SHIFTS,
    Field("dutch_level", "choice", "Nederlands", "How much Dutch is needed: geen, basis or vlot.", required=True,
          choices=DUTCH_LEVELS, example="basis"),
    Field("min_age", "int", "Minimumleeftijd", "The minimum age; leave it out for 16.", default=16, minimum=12,
          maximum=99, example=16),
    Field("wheelchair_accessible", "bool", "Rolstoeltoegankelijk", "true when the place and the work suit a "
          "wheelchair user.", default=False, example=False),
    Field("accessibility", "text", "Toegankelijkheid", "Anything else about access, in plain words (stairs, "
          "quiet room, can be done sitting down...).", max_length=200,
          example="De keuken is op het gelijkvloers."),
    Field("expenses", "choice", "Onkostenvergoeding", "'geen', 'forfaitair' (a lump sum within the legal "
          "maximum) or 'reele-kosten' (real costs paid back).", required=True, choices=EXPENSES,
          example="geen"),
    Field("expenses_note", "text", "Uitleg vergoeding", "Optional detail about the reimbursement.",
          max_length=160),
    Field("mileage_allowance", "bool", "Kilometervergoeding", "true when trips for the work are paid back per "
          "kilometre.", required=True, example=False),
    Field("insured", "bool", "Verzekerd", "true: the organisation insures its volunteers. It must (Belgian law); "
          "the city publishes no vacancy with false.",
          required=True, example=True),
    Field("good_conduct_certificate", "bool", "Uittreksel uit het strafregister", "true when the volunteer "
          "needs a certificate of good conduct (common for work with children or in care).", default=False),
    Field("volunteers_needed", "int", "Aantal vrijwilligers", "How many volunteers are wanted (optional).",
          minimum=1, maximum=500),
    _contact(required=True),
    _contact_public(),
    Field("publish_from", "date", "Online vanaf", "First day on the site, as YYYY-MM-DD.", required=True,
          example=0),
    Field("valid_through", "date", "Geldig tot", "Last day the vacancy is open, as YYYY-MM-DD. After this day "
          "the page says 'afgelopen'.", required=True, example=180),
    *_image_fields(),
    *PUBLICATION,
)

ORGANISATION = (
    Field("name", "text", "Naam", "The name residents know.", required=True, max_length=90,
          example="Buurtwerk Kiewit"),
    Field("kind", "choice", "Soort", "'stadsdienst' (a service of the city) or 'organisatie'.", required=True,
          choices=ORGANISATION_KINDS, example="organisatie"),
    Field("summary", "text", "Korte voorstelling", "One sentence about what the organisation does.",
          required=True, max_length=160, example="Wij brengen buren samen in Kiewit."),
    Field("description", "markdown", "Beschrijving", "A longer text in Markdown.", required=True,
          max_length=DESCRIPTION_LENGTH, example="Buurtwerk Kiewit organiseert activiteiten voor en met buren.\n"),
    Field("logo", "image", "Logo", "Path of the logo below content/, for example images/logos/kiewit.png.",
          max_length=PATH_LENGTH),
    Field("website", "url", "Website", "The full address, starting with https://.", max_length=URL_LENGTH,
          example="https://www.hasselt.be"),
    Field("address", "text", "Adres", "Street, number, postcode and town.", max_length=ADDRESS_LENGTH,
          example="Kiewitstraat 1, 3500 Hasselt"),
    Field("deelgemeente", "choice", "Deelgemeente", "Where the organisation is based.", choices=DEELGEMEENTEN,
          example="kiewit"),
    Field("themes", "choices", "Thema's", "One or more themes from the list.", required=True, choices=THEMES,
          example=["buurt-en-samenleven"]),
    _contact(required=True),
    _contact_public(),
    Field("status", "choice", "Status", "'active', or 'archived' when the organisation stopped: its page stays "
          "with a notice, without vacancies, and it leaves the lists, search, the matcher and the vacancy form.",
          default="active", choices=ORGANISATION_STATUSES),
)

CONSENT = Field(
    "consent", "list", "Toestemming", "Required when people is true: one entry per person named or shown "
    "(for a child, the parent). Never published: it stays in this file. Without 'site' the story is not "
    "published; without 'screens' it never goes on a screen; without 'social-media' link previews show the "
    "HASSELT Helpt card instead of the photo.", default=[], max_items=50,
    fields=(
        Field("who", "text", "Wie", "Who gave consent, for example 'Fatima El Amrani' or 'de ouders van Wim'.",
              required=True, max_length=120, example="Fatima El Amrani"),
        Field("date", "date", "Datum", "When consent was given, as YYYY-MM-DD.", required=True, example=0),
        Field("uses", "choices", "Waarvoor", "site, social-media, screens and/or print.", required=True,
              choices=CONSENT_USES, example=["site", "social-media", "screens"]),
        Field("record", "text", "Bewijs", "Where the signed form or the e-mail is kept.", max_length=200,
              example="Getekend formulier, map Communicatie 2026"),
    ),
)

STORY = (
    Field("title", "text", "Titel", "A title that makes people curious.", required=True, max_length=100,
          example="Hoe Fatima haar draai vond in de moestuin"),
    Field("date", "date", "Datum", "Publication date, as YYYY-MM-DD. A date in the future is not shown yet.",
          required=True, example=0),
    Field("summary", "text", "Samenvatting", "One or two sentences for lists, feeds and screens.", required=True,
          max_length=200, example="Fatima is nieuw in Hasselt en vond vrienden tussen de tomaten."),
    Field("image", "image", "Foto", "Path of the photo below content/, at least 960 pixels wide; 1440 or more "
          "is best.",
          required=True, max_length=PATH_LENGTH, example="images/stories/voorbeeld.jpg"),
    Field("image_alt", "text", "Beschrijving van de foto", "What the photo shows, for people who cannot see it.",
          required=True, max_length=ALT_LENGTH, example="Getekende illustratie van een moestuin"),
    *_credit_fields(),
    Field("people", "bool", "Mensen in beeld", "true when the story names or shows a person (in the text or "
          "the photo); then consent is required. false for an illustration or an anonymous story.",
          default=False, example=True),
    CONSENT,
    Field("organisation", "slug", "Organisatie", "Optional: the organisation the story is about.",
          max_length=SLUG_LENGTH, example="stad-hasselt", refers="organisation"),
    Field("vacancy", "slug", "Vacature", "Optional: a vacancy to link to (its file name without .yaml).",
          max_length=SLUG_LENGTH, example=None, refers="vacancy"),
    Field("themes", "choices", "Thema's", "Themes from the list.", default=[], choices=THEMES,
          example=["natuur-en-milieu"]),
    *PUBLICATION,
)

EVENT = (
    Field("title", "text", "Titel", "The name of the activity.", required=True, max_length=90,
          example="Infostand HASSELT Helpt op de markt"),
    Field("kind", "choice", "Soort activiteit", "markt, beurs, netwerkmoment, feest, ontbijt or andere.",
          required=True, choices=EVENT_KINDS, example="markt"),
    Field("summary", "text", "Samenvatting", "One sentence for lists, feeds and screens.", required=True,
          max_length=160, example="Kom langs met je vragen over vrijwilligerswerk."),
    Field("description", "markdown", "Beschrijving", "The full text in Markdown.", required=True,
          max_length=DESCRIPTION_LENGTH, example="Onze vrijwilligersmatchers staan klaar met koffie.\n"),
    Field("start", "datetime", "Begin", "Date and time, as YYYY-MM-DD HH:MM (Belgian time).", required=True,
          example=30 * 24 + 10),
    Field("end", "datetime", "Einde", "Date and time, as YYYY-MM-DD HH:MM; after the start.", required=True,
          example=30 * 24 + 12),
    _place(required=True),
    Field("organiser", "slug", "Organisator", "The file name (without .yaml) of the organisation that organises "
          "it; leave it out when the city (HASSELT Helpt) does.", max_length=SLUG_LENGTH, example=None,
          refers="organisation"),
    Field("price", "amount", "Prijs", "The price in euro, for example 5 or 2.50; 0 or left out: free.", default=0,
          minimum=0, maximum=1000, example=0),
    Field("price_note", "text", "Uitleg prijs", "Optional, for example 'Kinderen gratis' or 'Drank inbegrepen'.",
          max_length=120),
    Field("wheelchair_accessible", "bool", "Rolstoeltoegankelijk", "true when the place suits a wheelchair user.",
          default=False, example=True),
    Field("accessibility", "text", "Toegankelijkheid", "Anything else about access, in plain words (a quiet "
          "room, sign language, parking for people with a disability...).", max_length=200,
          example="Er is een rustige ruimte."),
    Field("registration_url", "url", "Inschrijven", "Optional: where people sign up.", max_length=URL_LENGTH,
          example=None),
    Field("publish_from", "date", "Online vanaf", "Optional first day on the site, as YYYY-MM-DD.", example=None),
    *_image_fields(),
    *PUBLICATION,
)

TRANSLATION = Field(
    "translations", "list", "Vertalingen", "Optional short texts in other languages, each with lang, title and "
    "text (Markdown).", default=[], max_items=len(LANGUAGES),
    fields=(
        Field("lang", "choice", "Taal", "A language code from the list.", required=True, choices=LANGUAGES,
              example="en"),
        Field("title", "text", "Titel", "The title in that language.", required=True, max_length=100,
              example="Welcome to Hasselt"),
        Field("text", "markdown", "Tekst", "A few short sentences in that language.", required=True,
              max_length=DESCRIPTION_LENGTH, example="Do you want to help?\n"),
    ),
)

PAGE = (
    Field("title", "text", "Titel", "The title of the page.", required=True, max_length=100,
          example="Over HASSELT Helpt"),
    Field("summary", "text", "Samenvatting", "One sentence for search engines and link previews.", required=True,
          max_length=200, example="Alles over vrijwilligerswerk in Hasselt."),
    Field("menu", "int", "Plaats in het menu", "Optional position in the main menu, after the sections (1 = "
          "first). Keep the menu short: two pages at most.", minimum=1, maximum=9),
    Field("menu_title", "text", "Naam in het menu", "A short name for the menu, when the title is long.",
          max_length=24),
    TRANSLATION,
    Field("status", "choice", "Status", "'published' or 'draft'.", default="published", choices=STATUSES),
)


PRESS_PHOTOS = Field(
    "photos", "list", "Foto's voor de pers", "The press kit: each photo with image (a path below content/, the "
    "full-resolution file: journalists download it as it is), alt, credit and licence.", default=[], max_items=12,
    fields=(
        Field("image", "image", "Foto", "Path of the full-resolution JPEG or PNG below content/.", required=True,
              max_length=PATH_LENGTH, example="images/stories/voorbeeld.jpg"),
        Field("alt", "text", "Beschrijving van de foto", "What the photo shows, for people who cannot see it.",
              required=True, max_length=ALT_LENGTH, example="Vrijwilligers aan de infostand op de markt"),
        Field("credit", "text", "Fotograaf", "Who made the photo: journalists must name them.", required=True,
              max_length=80, example="Stad Hasselt"),
        Field("licence", "choice", "Licentie", "alle-rechten (use with this release only), cc-by, cc-by-sa or cc0.",
              default="alle-rechten", choices=LICENCES, example="cc-by"),
    ),
)

PRESS = (
    Field("title", "text", "Titel", "The headline of the press release.", required=True, max_length=120,
          example="Vrijwilligersbeurs zoekt 500 nieuwe vrijwilligers"),
    Field("date", "date", "Datum", "Date of release, as YYYY-MM-DD: not on the site before it (embargo).",
          required=True, example=0),
    Field("summary", "text", "Samenvatting", "The lead: one or two sentences with the news.", required=True,
          max_length=300, example="Op zaterdag stellen 60 organisaties zich voor op de vrijwilligersbeurs."),
    PRESS_PHOTOS,
    Field("status", "choice", "Status", "'published' or 'draft'.", default="published", choices=STATUSES),
)


@dataclass(frozen=True)
class ContentType:
    name: str  # vacancy, organisation, story, event, page
    label: str
    folder: str  # relative to the project root
    suffix: str  # .yaml, or .md for Markdown with YAML front matter
    fields: tuple[Field, ...]
    body: Field | None = None  # for .md files: the field that receives the Markdown body

    @property
    def body_field(self) -> str | None:
        return self.body.name if self.body else None

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _body(max_length: int) -> Field:
    return Field("body", "markdown", "Tekst", "The text below the second '---' line, in Markdown.", required=True,
                 max_length=max_length)


CONTENT_TYPES = {
    t.name: t
    for t in (
        ContentType("vacancy", "vacature", "vacancies", ".yaml", VACANCY),
        ContentType("organisation", "organisatie", "content/organisations", ".yaml", ORGANISATION),
        ContentType("story", "verhaal", "content/stories", ".md", STORY, body=_body(STORY_LENGTH)),
        ContentType("event", "activiteit", "content/events", ".yaml", EVENT),
        ContentType("page", "pagina", "content/pages", ".md", PAGE, body=_body(PAGE_LENGTH)),
        ContentType("press", "persbericht", "content/press", ".md", PRESS, body=_body(STORY_LENGTH)),
    )
}


# --- Validation of one value. Returns (clean value, problem) where problem is (what is wrong, how to fix). ---

Problem = tuple[str, str]


def check_value(f: Field, value: Any) -> tuple[Any, list[tuple[str, Problem]]]:
    """Check one value against its field. Returns the cleaned value and (sub-field path, problem) pairs."""
    if f.kind == "object":
        if not isinstance(value, dict):
            return None, [("", ("must be a group of fields", "Indent the sub-fields "
                               f"({', '.join(s.name for s in f.fields)}) below '{f.name}:'."))]
        return check_mapping(f.fields, value)
    if f.kind == "list":
        if not isinstance(value, list):
            return None, [("", ("must be a list", "Start each item on a new line with '- '."))]
        if f.max_items and len(value) > f.max_items:
            return None, [("", (f"has {len(value)} items; at most {f.max_items} fit", "Remove items."))]
        cleaned, problems = [], []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                problems.append((f"[{i}]", ("must be a group of fields", "Give each item its own fields.")))
                continue
            c, p = check_mapping(f.fields, item)
            cleaned.append(c)
            problems += [(f"[{i}].{path}" if path else f"[{i}]", prob) for path, prob in p]
        return cleaned, problems
    problem = _scalar_problem(f, value)
    if problem:
        return None, [("", problem)]
    return _clean_scalar(f, value), []


def check_mapping(fields: tuple[Field, ...], data: dict) -> tuple[dict, list[tuple[str, Problem]]]:
    """Check a mapping against fields: unknown keys, missing required fields, and every value."""
    known = {f.name for f in fields}
    cleaned: dict[str, Any] = {}
    problems: list[tuple[str, Problem]] = []
    for key in data:
        if key not in known:
            close = [k for k in known if k.split("_")[0] == str(key).split("_")[0]] or sorted(known)
            problems.append((characters.shown(key), ("is not a known field",
                                                     f"Remove it or use one of: {', '.join(close)}.")))
    for f in fields:
        value = data.get(f.name)
        if value is None or value == "" or value == []:
            if f.required:
                problems.append((f.name, ("is missing", f.help)))
            cleaned[f.name] = list(f.default) if isinstance(f.default, list) else f.default
            continue
        clean, sub = check_value(f, value)
        cleaned[f.name] = clean
        problems += [(f"{f.name}{'' if path.startswith('[') else '.'}{path}" if path else f.name, prob)
                     for path, prob in sub]
    return cleaned, problems


TEXT_KINDS = ("text", "markdown", "slug", "email", "phone", "url", "image")

_CHARACTER_PROBLEMS = {  # kind of refused character -> (what it is, how to fix)
    "line": ("a line break or tab", "Write it on one line, with spaces instead of line breaks and tabs."),
    "bidi": ("an invisible direction control", "Remove it: it can make the text look different from what it "
             "says. The site sets the direction of every text itself."),
    "invisible": ("an invisible character", "Remove it: nobody sees it, but it changes what searches and links "
                  "find."),
    "broken": ("a broken character", "Type that character again: it was damaged when the text was copied."),
    "control": ("a control character", "Remove it: it is invisible and breaks feeds, calendars and mails. It "
                "often comes along when text is copied out of another program."),
}


def too_long(f: Field, value: str) -> bool:
    """Whether a text (as stored: single-line texts without surrounding spaces) is longer than its field allows."""
    return f.max_length is not None and len(value) > f.max_length


def character_problem(f: Field, value: str) -> Problem | None:
    """The first character this field refuses (see hasselthelpt.content.characters), as a problem."""
    found = characters.refused(value, f.lines)
    if found is None:
        return None
    position, char = found
    kind = characters.kind_of(char)
    what, fix = _CHARACTER_PROBLEMS[kind]
    if kind == "line" and f.lines:  # NEL, CR, vertical tab or form feed in a text of several lines
        what, fix = "an unusual line break", "Replace it with an ordinary line break (Enter)."
    return (f"contains {what} ({characters.describe(char)}) at character {position + 1}", fix)


def _scalar_problem(f: Field, value: Any) -> Problem | None:
    kind = f.kind
    shown = characters.shown(value)
    if kind in TEXT_KINDS:
        if not isinstance(value, str):
            return (f"must be text, not {type(value).__name__}", "Put the value between quotes.")
        text = value if f.lines else value.strip()  # as it is stored
        if too_long(f, text):
            return (f"is {len(text)} characters long; at most {f.max_length} fit",
                    f"Shorten it to {f.max_length} characters or fewer.")
        problem = character_problem(f, text)
        if problem:
            return problem
        text = text.strip()
        if kind == "slug" and not SLUG_RE.match(text):
            return ("is not a file name", "Use lowercase letters, digits and hyphens, without .yaml.")
        if kind == "email" and not EMAIL_RE.match(text):
            return (f"'{text}' is not an e-mail address", "Write it as name@example.be.")
        if kind == "phone" and not PHONE_RE.match(text):
            return (f"'{text}' is not a phone number", "Write it as 011 23 94 00 or +32 11 23 94 00.")
        if kind == "url" and not URL_RE.match(text):
            return (f"'{text}' is not a web address", "Write the full address, starting with https://.")
        if kind == "image" and not text.lower().endswith(IMAGE_SUFFIXES):
            return (f"'{text}' is not a JPEG, PNG or WebP file", "Point to a .jpg, .png or .webp file below content/.")
        return None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return (f"'{shown}' is not a whole number", "Write a number without quotes, for example 18.")
        if f.minimum is not None and value < f.minimum or f.maximum is not None and value > f.maximum:
            return (f"{shown} is out of range", f"Use a number from {f.minimum} to {f.maximum}.")
        return None
    if kind == "amount":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return (f"'{value}' is not an amount", "Write the amount in euro as a number, without quotes or €: 5 "
                    "or 2.50.")
        if value < (f.minimum or 0) or f.maximum is not None and value > f.maximum or round(value, 2) != value:
            return (f"{value} is not an amount from {f.minimum or 0} to {f.maximum} euro with at most two decimals",
                    "Write it as 5 or 2.50.")
        return None
    if kind == "bool":
        if not isinstance(value, bool):
            return (f"'{shown}' is not true or false", "Write true or false, without quotes.")
        return None
    if kind == "date":
        if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
            return (f"'{shown}' is not a date", "Write the date as YYYY-MM-DD, for example 2026-03-01.")
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value.strip())
            except ValueError:
                return (f"'{shown}' is not a date", "Write the date as YYYY-MM-DD, for example 2026-03-01.")
        return None
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return None
        try:
            dt.datetime.strptime(value.strip() if isinstance(value, str) else "", DATETIME_FORMAT)
        except ValueError:
            return (f"'{shown}' is not a date and time", "Write it as YYYY-MM-DD HH:MM, for example 2026-03-01 "
                    "14:00.")
        return None
    if kind == "choice":
        if not isinstance(value, str) or value not in (f.choices or {}):
            return (f"'{shown}' is not allowed", f"Use one of: {', '.join(f.choices or {})}.")
        return None
    if kind == "choices":
        items = value if isinstance(value, list) else None
        if items is None:
            return ("must be a list", "Write it as [a, b] or put each value on its own line with '- '.")
        wrong = [characters.shown(v) for v in items if not isinstance(v, str) or v not in (f.choices or {})]
        if wrong:
            listed = ", ".join(repr(w) for w in wrong[:5]) + (f" and {len(wrong) - 5} more" if len(wrong) > 5 else "")
            return (f"{listed} not allowed", f"Use values from: {', '.join(f.choices or {})}.")
        if len(set(items)) != len(items):
            return ("lists a value twice", "Keep each value once.")
        return None
    raise ValueError(f"unknown field kind {kind!r}")


def _clean_scalar(f: Field, value: Any) -> Any:
    if f.kind in ("text", "slug", "email", "phone", "url", "image"):
        return value.strip()
    if f.kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    if f.kind == "datetime" and not isinstance(value, dt.datetime):
        return dt.datetime.strptime(value.strip(), DATETIME_FORMAT)
    if f.kind == "choices":
        return list(value)
    return value


# --- JSON Schema for editors (VS Code's YAML extension and the like). ---

def _json_schema_of(f: Field) -> dict:
    base = {"description": f"{f.label}. {f.help}"}
    kind = f.kind
    if kind == "object":
        return {**base, **json_object(f.fields)}
    if kind == "list":
        limit = {"maxItems": f.max_items} if f.max_items else {}
        return {**base, "type": "array", **limit, "items": json_object(f.fields)}
    if kind in TEXT_KINDS:
        out = {"type": "string"}
        if f.max_length:
            out["maxLength"] = f.max_length
        out.update({"image": {"pattern": r"(?i)\.(jpe?g|png|webp)$"}, "phone": {"pattern": PHONE_RE.pattern},
                    "slug": {"pattern": SLUG_RE.pattern}, "email": {"format": "email"},
                    "url": {"format": "uri", "pattern": "^https?://"}}.get(kind, {}))
        return {**base, **out}
    if kind == "int":
        return {**base, "type": "integer", "minimum": f.minimum, "maximum": f.maximum}
    if kind == "amount":
        return {**base, "type": "number", "minimum": f.minimum or 0, "maximum": f.maximum}
    if kind == "bool":
        return {**base, "type": "boolean"}
    if kind == "date":
        return {**base, "type": "string", "format": "date"}
    if kind == "datetime":
        return {**base, "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"}
    if kind == "choice":
        return {**base, "enum": list(f.choices or {})}
    if kind == "choices":
        return {**base, "type": "array", "uniqueItems": True, "items": {"enum": list(f.choices or {})}}
    raise ValueError(kind)


def field_json_schema(f: Field) -> dict:
    """The JSON Schema of one field's value (as editors write it), for other schemas built on this one."""
    return _json_schema_of(f)


def json_object(fields: tuple[Field, ...]) -> dict:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: _json_schema_of(f) for f in fields},
    }
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def json_schema(type_name: str) -> dict:
    """The JSON Schema (draft 2020-12) of one content type, as editors use it for the YAML (front matter).
    Editors read YAML 1.2, where an unquoted 2026-03-01 is a string: dates are strings with a format here."""
    ctype = CONTENT_TYPES[type_name]
    schema = json_object(ctype.fields)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://www.hasselt.be/hasselthelpt/schema/{type_name}.schema.json",
        "title": f"HASSELT Helpt: {ctype.label}",
        **schema,
    }
