"""A deterministic, city-scale HASSELT Helpt project for the benchmark: 654 organisations, 1,500 vacancies, 400
stories with a 3000x2000 JPEG photo each, events and pages (at --scale 1.0), all valid for `hasselthelpt check`.

Same seed and scale, same files. Generating the photos takes a minute, so `ensure_corpus` keeps each generated
corpus in a cache folder named after the generator version, seed and scale, and reuses it.

    .venv/bin/python bench/corpus.py OUT_DIR [--seed 1] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from hasselthelpt.content.loading import RESERVED_SLUGS
from hasselthelpt.content.schema import (DEELGEMEENTEN, DUTCH_LEVELS, EVENT_KINDS, EXPENSES, KINDS, LANGUAGES, TALENTS,
                                 THEMES, WHEN)

GENERATOR_VERSION = 3  # bump when the output changes, so cached corpora are made again
TODAY = dt.date(2026, 11, 27)  # the HH_TODAY the benchmark builds with; dates are spread around it
COUNTS = {"organisations": 654, "vacancies": 1500, "stories": 400, "events": 60}
PHOTO_SIZE = (3000, 2000)
PHOTO_QUALITY = 85
LOGO_SHARE = 5  # one organisation in LOGO_SHARE has a logo

WORDS = """vrijwilliger buurt samen helpen koffie tuin school kinderen ouderen soep fiets wandeling stad markt
feest club vereniging week dinsdag zaterdag namiddag avond ploeg team gesprek taal boeken lezen spelen koken
sporten zwemmen voetbal muziek zingen dansen verhalen luisteren rijden bus station park bos natuur dieren honden
katten opvang voedsel pakketten sorteren winkel onthaal balie computer foto archief erfgoed museum kerk molen
kasteel beek brug plein straat huis thuis familie vrienden collega nieuw oud jong warm rustig vrolijk eerlijk
geduldig handig sterk zacht graag altijd soms vaak elke goed beter mooi klein groot lang kort veel weinig
begeleiden organiseren uitleggen tonen maken bouwen herstellen schilderen poetsen verkopen tellen schrijven
bellen mailen plannen zoeken vinden kiezen beginnen stoppen leren oefenen proberen vragen antwoorden lachen
Hasselt Kiewit Kermt Kuringen Runkst Godsheide Stokrooie Spalbeek Wimmertingen Stevoort Rapertingen""".split()
FIRST_NAMES = "An Bart Chloé Dirk Els Fatima Gert Hanne Ilse Jan Karim Lotte Marc Nadia Olena Pieter Rik Sofie " \
              "Tom Yasmina Wim Zeynep Bruno Leen Ahmed Maria Jonas Emma Noah Lina".split()
LAST_NAMES = "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De Smet Vos Hermans Aerts " \
             "Vanderhoven Yilmaz El Amrani Kovalenko Lenaerts Nijs Thijs".split()
ORG_WORDS = ("Buurtwerk", "Vzw", "Vrienden van", "Ploeg", "Huis", "Club", "Kring", "Werkgroep", "Centrum", "Atelier")
ORG_TOPICS = ("de Blauwe Boulevard", "het Kapermolenpark", "de Demer", "het Begijnhof", "de Groene Boulevard",
              "de Kolonel Dusartplein", "de Grote Markt", "de Japanse Tuin", "het Bokrijkse Bos", "de Herkenrodeabdij")


# --- Text ---------------------------------------------------------------------------------------------------

def sentence(rng: random.Random, low: int = 7, high: int = 16) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.25:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice("....?!")


def paragraph(rng: random.Random, sentences: tuple[int, int] = (3, 6)) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def markdown_text(rng: random.Random, words: int) -> str:
    """Markdown of about `words` words: paragraphs, a few headings and a list, like the sample content."""
    parts, count = [], 0
    while count < words:
        roll = rng.random()
        if roll < 0.12 and parts:
            block = "## " + sentence(rng, 2, 5).replace("**", "").rstrip(".?!")
        elif roll < 0.25:
            block = "\n".join(f"- {sentence(rng, 4, 10)}" for _ in range(rng.randint(3, 5)))
        else:
            block = paragraph(rng)
        parts.append(block)
        count += len(block.split())
    return "\n\n".join(parts) + "\n"


def short(rng: random.Random, limit: int) -> str:
    text = sentence(rng, 6, 14).replace("**", "")
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "."


def title_of(rng: random.Random, limit: int = 34) -> str:
    """A short title, as on the sample site ('Kok voor de buurtsoep in Kiewit'): it must fit on every screen."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(2, 5))]
    text = " ".join(words)
    while len(text) > limit and len(words) > 1:
        words.pop()
        text = " ".join(words)
    return text[0].upper() + text[1:]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def slugify(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower().encode("ascii", "ignore").decode())
    return "-".join(p for p in out.split("-") if p)


def place(rng: random.Random) -> dict:
    deelgemeente = rng.choice(list(DEELGEMEENTEN))
    return {"name": f"Zaal {rng.choice(WORDS).capitalize()}",
            "address": f"{rng.choice(WORDS).capitalize()}straat {rng.randint(1, 250)}, 3500 Hasselt",
            "deelgemeente": deelgemeente}


def contact(rng: random.Random, domain: str) -> dict:
    name = person(rng)
    out = {"name": name, "email": f"{slugify(name.split()[0])}@{domain}.example"}
    if rng.random() < 0.5:
        out["phone"] = f"011 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return out


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block (`description: |`), as people write it."""


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def front_matter(data: dict, body: str) -> str:
    return f"---\n{dump_yaml(data)}---\n{body}"


# --- Images -------------------------------------------------------------------------------------------------

def _colour(rng: random.Random) -> tuple[int, int, int]:
    return tuple(rng.randint(20, 235) for _ in range(3))


def photo(seed: int, index: int, size: tuple[int, int] = PHOTO_SIZE) -> Image.Image:
    """A varied, cheap 'photo': a coloured gradient with soft blobs, then a few crisp shapes at full size."""
    rng = random.Random(f"photo-{seed}-{index}")
    small = (size[0] // 20, size[1] // 20)
    gradient = Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize(small)
    img = ImageOps.colorize(gradient, _colour(rng), _colour(rng))
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 9)):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        r = rng.randint(small[1] // 10, small[1] // 2)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_colour(rng))
    img = img.filter(ImageFilter.GaussianBlur(2)).resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    w, h = size
    for _ in range(rng.randint(3, 7)):
        kind = rng.random()
        x, y = rng.randrange(w), rng.randrange(h)
        s = rng.randint(h // 12, h // 3)
        if kind < 0.4:
            draw.rectangle((x, y, x + s, y + s * rng.uniform(0.3, 1.5)), fill=_colour(rng))
        elif kind < 0.7:
            draw.ellipse((x, y, x + s, y + s), fill=_colour(rng), outline=_colour(rng), width=rng.randint(4, 30))
        else:
            n = rng.randint(3, 6)
            draw.polygon([(x + s * math.cos(2 * math.pi * k / n), y + s * math.sin(2 * math.pi * k / n))
                          for k in range(n)], fill=_colour(rng))
    for _ in range(rng.randint(5, 20)):  # thin lines: edges that JPEG has to spend bits on
        draw.line((rng.randrange(w), rng.randrange(h), rng.randrange(w), rng.randrange(h)), fill=_colour(rng),
                  width=rng.randint(2, 12))
    return img


def logo(seed: int, index: int) -> Image.Image:
    rng = random.Random(f"logo-{seed}-{index}")
    img = Image.new("RGBA", (512, 512), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((16, 16, 496, 496), fill=_colour(rng))
    draw.rectangle((150, 150, 362, 362), fill=_colour(rng))
    return img


def _write_photo(args: tuple[int, int, str]) -> int:
    seed, index, path = args
    photo(seed, index).save(path, "JPEG", quality=PHOTO_QUALITY)
    return os.path.getsize(path)


# --- The corpus ---------------------------------------------------------------------------------------------

def generate(root: Path, seed: int = 1, scale: float = 1.0, workers: int | None = None) -> dict[str, int]:
    """Write the project's content/ and vacancies/ below root. Returns counts of what was written."""
    rng = random.Random(f"corpus-{seed}")
    counts = {k: max(1, round(v * scale)) for k, v in COUNTS.items()}
    content, vacancies_dir = root / "content", root / "vacancies"
    for folder in ("organisations", "stories", "events", "pages", "images/stories", "images/logos"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    vacancies_dir.mkdir(parents=True, exist_ok=True)
    theme_list, talent_list = list(THEMES), list(TALENTS)

    # Organisations
    org_slugs = []
    for i in range(counts["organisations"]):
        name = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_TOPICS)} {i + 1}"
        slug = slugify(name)
        org_slugs.append(slug)
        data = {"name": name, "kind": "stadsdienst" if i < 8 else "organisatie", "summary": short(rng, 160),
                "description": markdown_text(rng, rng.randint(150, 450)),
                "website": f"https://{slug}.example", "address": place(rng)["address"],
                "deelgemeente": rng.choice(list(DEELGEMEENTEN)),
                "themes": rng.sample(theme_list, rng.randint(1, 3)), "contact": contact(rng, slug)}
        if i % LOGO_SHARE == 0:
            data["logo"] = f"images/logos/{slug}.png"
            logo(seed, i).save(content / data["logo"], optimize=False)
        (content / "organisations" / f"{slug}.yaml").write_text(dump_yaml(data), encoding="utf-8")

    # Vacancies: most open, about one in ten closed (its page says 'afgelopen'), a few not yet published.
    vacancy_slugs = []
    for i in range(counts["vacancies"]):
        title = title_of(rng)
        slug = f"{slugify(title)[:60].strip('-')}-{i + 1}"
        vacancy_slugs.append(slug)
        publish_from = TODAY - dt.timedelta(days=rng.randint(-20, 330))
        closed = rng.random() < 0.1
        valid_through = (TODAY - dt.timedelta(days=rng.randint(1, 60)) if closed
                         else TODAY + dt.timedelta(days=rng.randint(0, 400)))
        valid_through = max(valid_through, publish_from)
        closed = valid_through < TODAY
        org = rng.choice(org_slugs)
        data = {"title": title, "organisation": org, "summary": short(rng, 160),
                "description": markdown_text(rng, rng.randint(200, 500)),
                "themes": rng.sample(theme_list, rng.randint(1, 3)),
                "talents": rng.sample(talent_list, rng.randint(0, 3)), "kind": rng.choice(list(KINDS)),
                "time_commitment": f"{rng.randint(1, 8)} uur per {rng.choice(['week', 'maand'])}",
                "when": rng.sample(list(WHEN), rng.randint(1, 3)), "place": place(rng),
                "dutch_level": rng.choice(list(DUTCH_LEVELS)), "min_age": rng.choice([16, 16, 16, 12, 18, 21]),
                "wheelchair_accessible": rng.random() < 0.5, "expenses": rng.choice(list(EXPENSES)),
                "mileage_allowance": rng.random() < 0.3, "insured": True,
                "volunteers_needed": rng.randint(1, 12), "contact": contact(rng, org),
                "publish_from": publish_from, "valid_through": valid_through}
        if rng.random() < 0.3:
            data["accessibility"] = short(rng, 200)
        if not closed and rng.random() < 0.03:
            data["featured"] = True
        if rng.random() < 0.02:
            data["status"] = "draft"
        elif rng.random() < 0.01:
            data["internal"] = True
        (vacancies_dir / f"{slug}.yaml").write_text(dump_yaml(data), encoding="utf-8")

    # Stories, each with its own photo
    photo_jobs = []
    for i in range(counts["stories"]):
        title = title_of(rng)
        slug = f"{slugify(title)[:60].strip('-')}-{i + 1}"
        image = f"images/stories/{slug}.jpg"
        photo_jobs.append((seed, i, str(content / image)))
        data = {"title": title, "date": TODAY - dt.timedelta(days=rng.randint(-10, 900)),
                "summary": short(rng, 200), "image": image,
                "image_alt": f"Foto: {short(rng, 150).rstrip('.?!').lower()}"}
        if rng.random() < 0.7:
            data["organisation"] = rng.choice(org_slugs)
        if rng.random() < 0.4:
            data["vacancy"] = rng.choice(vacancy_slugs)
        data["themes"] = rng.sample(theme_list, rng.randint(0, 2))
        body = markdown_text(rng, rng.randint(200, 340))  # fits one A4 page of the staff magazine (print)
        (content / "stories" / f"{slug}.md").write_text(front_matter(data, body), encoding="utf-8")

    # Events: a year around today
    for i in range(counts["events"]):
        title = title_of(rng)
        slug = f"{slugify(title)[:60].strip('-')}-{i + 1}"
        start = dt.datetime.combine(TODAY, dt.time(rng.choice([9, 10, 13, 14, 19]))) + \
            dt.timedelta(days=rng.randint(-180, 240))
        end = start + dt.timedelta(hours=rng.randint(1, 5))
        data = {"title": title, "kind": rng.choice(list(EVENT_KINDS)), "summary": short(rng, 160),
                "description": markdown_text(rng, rng.randint(100, 300)),
                "start": start.strftime("%Y-%m-%d %H:%M"), "end": end.strftime("%Y-%m-%d %H:%M"),
                "place": place(rng)}
        if rng.random() < 0.5:
            data["registration_url"] = f"https://inschrijven.example/{slug}"
        (content / "events" / f"{slug}.yaml").write_text(dump_yaml(data), encoding="utf-8")

    # Pages: the ones the footer links to, and a few more
    pages = ["nieuwe-hasselaar", "voor-organisaties", "veelgestelde-vragen", "privacy", "over-hasselt-helpt",
             "toegankelijkheid", "contact", "nieuwsbrief"]  # not "pers": the press section
    for i, slug in enumerate(pages):
        assert slug not in RESERVED_SLUGS
        data = {"title": slug.replace("-", " ").capitalize(), "summary": short(rng, 200)}
        if i < 3:
            data["menu"] = i + 5
        if slug == "nieuwe-hasselaar":
            data["translations"] = [{"lang": lang, "title": f"Welkom ({lang})", "text": paragraph(rng)}
                                    for lang in list(LANGUAGES)[1:]]
        body = markdown_text(rng, rng.randint(300, 900))
        (content / "pages" / f"{slug}.md").write_text(front_matter(data, body), encoding="utf-8")

    # The photos last, in parallel: most of the generation time
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        photo_bytes = sum(pool.map(_write_photo, photo_jobs, chunksize=4))
    return {**counts, "photo_bytes": photo_bytes}


def corpus_key(seed: int, scale: float) -> str:
    return f"corpus-v{GENERATOR_VERSION}-seed{seed}-scale{scale:g}"


def ensure_corpus(cache_dir: Path, seed: int, scale: float, log=print) -> Path:
    """The cached corpus for (seed, scale), generated first when it is not there yet."""
    target = cache_dir / corpus_key(seed, scale)
    if (target / ".complete").is_file():
        log(f"Using the cached corpus {target}")
        return target
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    tmp.mkdir(parents=True)
    log(f"Generating the corpus (seed {seed}, scale {scale:g}) in {target} ...")
    started = time.perf_counter()
    counts = generate(tmp, seed, scale)
    (tmp / ".complete").write_text(f"{counts}\n")
    tmp.rename(target)
    log(f"  {counts} in {time.perf_counter() - started:.1f} s")
    return target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path, help="folder to write content/ and vacancies/ into")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=float, default=1.0)
    args = p.parse_args(argv)
    print(generate(args.out, args.seed, args.scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
