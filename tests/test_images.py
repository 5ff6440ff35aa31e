"""Photos and logos on the built site: resized variants in srcset, true sizes, caching, transparency."""

from __future__ import annotations

import hashlib
import posixpath

from PIL import Image

from hh_testing import html, organisation, story
from hasselthelpt.build import LOGO_WIDTHS
from hasselthelpt.images.photos import Job, derive
from hasselthelpt.outputs import channel_images as channels


def srcset(img) -> list[tuple[str, int]]:
    out = []
    for candidate in img["srcset"].split(","):
        parts = candidate.split()
        assert len(parts) == 2 and parts[1].endswith("w"), f"bad srcset candidate {candidate!r}"
        out.append((parts[0], int(parts[1][:-1])))
    return out


def file_of(output, page_url: str, url: str):
    """The output file of a URL used on the page at page_url (development build: relative URLs)."""
    return output / posixpath.normpath(posixpath.join(page_url, url))


def story_site(project, image: str = "images/stories/foto.jpg", size=(1600, 1067)):
    project.write("content/organisations/buurtwerk.yaml", organisation())
    source = project.photo(image, size)
    project.write("content/stories/koken.md", story(image=image), "Tekst.\n")
    return source


def hero(output):
    soup = html(output, "verhalen/koken/")
    imgs = [img for img in soup.find("main").find_all("img") if img.get("alt") == story()["image_alt"]]
    assert len(imgs) == 1
    return imgs[0]


def test_story_photo_has_true_sizes_and_srcset(project):
    source = story_site(project)
    widths = project.settings().image_widths
    out = project.build()
    img = hero(out)
    candidates = srcset(img)
    assert [w for _, w in candidates] == sorted(widths)
    for url, width in candidates:
        path = file_of(out, "verhalen/koken/", url)
        assert path.is_file(), url
        with Image.open(path) as variant:
            assert variant.width == width
            assert abs(variant.height - 1067 * width / 1600) <= 1  # aspect ratio kept
    with Image.open(file_of(out, "verhalen/koken/", img["src"])) as shown:
        assert (int(img["width"]), int(img["height"])) == shown.size
    assert img["src"] in [url for url, _ in candidates]
    # the original upload is never published
    original = hashlib.sha256(source.read_bytes()).digest()
    for path in out.rglob("*"):
        if path.is_file():
            assert path.name != source.name, path
            assert hashlib.sha256(path.read_bytes()).digest() != original, path


def test_photo_file_name_with_spaces_and_capitals(project):
    story_site(project, image="images/stories/Fatima In De Moestuin.JPG")
    out = project.build()
    for url, width in srcset(hero(out)):
        assert " " not in url
        with Image.open(file_of(out, "verhalen/koken/", url)) as variant:
            assert variant.width == width


def test_second_build_does_not_encode_again(project):
    story_site(project)
    project.build()
    cache = project.root / "cache"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    # the site's widths, the newsletters' widths and the 1200x630 share image (hasselthelpt.outputs.channel_images)
    expected = len(project.settings().image_widths) + len(channels.EMAIL_WIDTHS) + 1
    assert len([p for p in before if p.suffix == ".jpg"]) == expected
    out = project.build()
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert after == before
    for url, _ in srcset(hero(out)):
        assert file_of(out, "verhalen/koken/", url).is_file()


def test_changed_photo_gets_new_files(project):
    source = story_site(project)
    first = [url for url, _ in srcset(hero(project.build()))]
    Image.open(source).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(source, "JPEG", quality=90)
    second = [url for url, _ in srcset(hero(project.build()))]
    assert not set(first) & set(second), "a changed photo must get new URLs (browsers cache the old ones)"


def test_png_logo_keeps_transparency(project):
    logo = project.root / "content" / "images" / "logos" / "buurtwerk.png"
    logo.parent.mkdir(parents=True)
    image = Image.new("RGBA", (600, 300), (163, 18, 58, 255))
    image.paste((0, 0, 0, 0), (0, 0, 300, 300))  # left half fully transparent
    image.save(logo)
    project.write("content/organisations/buurtwerk.yaml", organisation(logo="images/logos/buurtwerk.png"))
    out = project.build()
    soup = html(out, "organisaties/buurtwerk/")
    img = next(i for i in soup.find("main").find_all("img") if i.get("srcset"))
    candidates = srcset(img)
    assert [w for _, w in candidates] == sorted(LOGO_WIDTHS)
    for url, width in candidates:
        assert url.endswith(".png"), url
        with Image.open(file_of(out, "organisaties/buurtwerk/", url)) as variant:
            assert variant.format == "PNG"
            assert variant.width == width
            alpha = variant.convert("RGBA").getchannel("A")
            assert alpha.getextrema() == (0, 255)
            assert alpha.getpixel((1, variant.height // 2)) == 0
            assert alpha.getpixel((variant.width - 2, variant.height // 2)) == 255


def test_same_photo_gives_identical_files_in_fresh_caches(project, tmp_path):
    source = project.photo("images/stories/foto.jpg")
    widths = project.settings().image_widths
    results = []
    for name in ("cache-a", "cache-b"):
        cache = tmp_path / name
        image_set = derive(Job(source, widths, 82, cache))
        files = {p.name: p.read_bytes() for p in sorted(cache.iterdir())}
        assert len([n for n in files if n.endswith(".jpg")]) == len(widths)
        results.append((image_set, files))
    assert results[0] == results[1]


def test_photos_of_drafts_and_staff_items_stay_out_of_the_public_output(project):
    """Only images of items the build shows are published; a draft's or staff item's photo is not."""
    project.write("content/organisations/buurtwerk.yaml", organisation())
    project.photo("images/stories/open.jpg")
    project.photo("images/stories/klad.jpg", size=(1500, 1000))
    project.photo("images/stories/intern.jpg", size=(1400, 1000))
    project.write("content/stories/open.md", story(image="images/stories/open.jpg"), "Tekst.\n")
    project.write("content/stories/klad.md", story(image="images/stories/klad.jpg", status="draft"), "Tekst.\n")
    project.write("content/stories/intern.md", story(image="images/stories/intern.jpg", internal=True), "Tekst.\n")
    published = {p.name.split("-")[0] for p in (project.build(production=True) / "img").iterdir()}
    assert "open" in published
    assert not {"klad", "intern"} & published
