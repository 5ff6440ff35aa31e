"""Slides as image bytes: paint a layout with Pillow, and keep what was painted in a cache keyed by its inputs.

`render_slide(slide, screen, photo)` is pure: the same slide, screen and photo bytes give the same bytes (PNG
without any metadata or timestamp; JPEG at a fixed quality and chroma subsampling, without EXIF). No animation:
one still image per slide.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import PIL
import pyphen
import segno
from PIL import Image, ImageDraw, ImageOps, features

from .. import brand
from . import shaping
from .layout import LAYOUT_VERSION, Layout, Shape, _rgb, layout
from .screens import Screen
from .select import Slide

RENDERER_VERSION = "1"  # bump with any change below that changes pixels or encoding
JPEG_QUALITY = 90
JPEG_SUBSAMPLING = 0  # 4:4:4: red and yellow letter edges stay clean
PNG_COMPRESS_LEVEL = 6
QR_BORDER = 4  # modules of quiet zone, as the QR standard asks
QR_ERROR = "m"

# The heart of the logo (brand.heart_path), as cubic Bézier segments in a 24 x 24 box.
HEART = (((12, 5), (15, -1), (24, 0), (24, 7)), ((24, 7), (24, 13), (16, 17), (12, 21)),
         ((12, 21), (8, 17), (0, 13), (0, 7)), ((0, 7), (0, 0), (9, -1), (12, 5)))
HEART_BOUNDS = (0.0, 1.06, 24.0, 21.0)  # where the curve's ink lies (its control points reach further)


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=QR_ERROR, micro=False)


def qr_modules(url: str | None) -> int:
    """Width of the QR code of `url` in modules, quiet zone included (0 when there is none). The size does not
    depend on the mask, so a fixed one spares the search for the best mask, which is most of the work."""
    if not url:
        return 0
    return segno.make(url, error=QR_ERROR, micro=False, mask=0).symbol_size(border=QR_BORDER)[0]


def slide_layout(slide: Slide, screen: Screen) -> Layout:
    return layout(slide, screen, qr_modules(slide.qr_url))


def _heart_points(box: tuple[int, int, int, int], factor: int, steps: int = 48) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = box
    bx0, by0, bx1, by1 = HEART_BOUNDS
    sx, sy = (x1 - x0) * factor / (bx1 - bx0), (y1 - y0) * factor / (by1 - by0)
    points = []
    for p0, p1, p2, p3 in HEART:
        for i in range(steps):
            t = i / steps
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
            x = a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0]
            y = a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]
            points.append(((x - bx0) * sx, (y - by0) * sy))
    return points


def _paint_shape(img: Image.Image, shape: Shape) -> None:
    """Paint a shape with smooth edges: drawn on a mask at 2-4x the size, then scaled down."""
    x0, y0, x1, y1 = shape.box
    if shape.kind == "rect":
        ImageDraw.Draw(img).rectangle((x0, y0, x1 - 1, y1 - 1), fill=shape.colour)
        return
    w, h = x1 - x0, y1 - y0
    factor = 4 if max(w, h) <= 600 else 2
    mask = Image.new("L", (w * factor, h * factor), 0)
    draw = ImageDraw.Draw(mask)
    if shape.kind == "heart":
        draw.polygon(_heart_points(shape.box, factor), fill=255)
    else:
        draw.rounded_rectangle((0, 0, w * factor - 1, h * factor - 1), radius=shape.radius * factor, fill=255)
    mask = mask.resize((w, h), Image.Resampling.BOX)
    # clip to the canvas: large decorative hearts run off the edge
    cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(img.width, x1), min(img.height, y1)
    if cx0 >= cx1 or cy0 >= cy1:
        return
    mask = mask.crop((cx0 - x0, cy0 - y0, cx1 - x0, cy1 - y0))
    img.paste(Image.new("RGB", mask.size, shape.colour), (cx0, cy0), mask)


def _paint_photo(img: Image.Image, box: tuple[int, int, int, int], data: bytes) -> None:
    """Fill the box with the photo, cropped around its centre; decoded at a reduced scale where JPEG allows."""
    w, h = box[2] - box[0], box[3] - box[1]
    with Image.open(io.BytesIO(data)) as src:
        src.draft("RGB", (w, h))  # JPEG: decode at 1/2, 1/4 or 1/8 when that still covers the box
        photo = ImageOps.exif_transpose(src)
        if photo.mode in ("RGBA", "LA", "P"):
            photo = photo.convert("RGBA")
            flat = Image.new("RGBA", photo.size, (255, 255, 255, 255))
            photo = Image.alpha_composite(flat, photo)
        photo = photo.convert("RGB")
    scale = max(w / photo.width, h / photo.height)
    cw, ch = w / scale, h / scale
    left, top = (photo.width - cw) / 2, (photo.height - ch) / 2
    photo = photo.resize((w, h), Image.Resampling.LANCZOS, box=(left, top, left + cw, top + ch),
                         reducing_gap=2.0)
    img.paste(photo, box[:2])


def _paint_qr(img: Image.Image, out: Layout, url: str) -> None:
    x, y, scale = out.qr
    code = qr_code(url)
    rows = list(code.matrix_iter(scale=1, border=QR_BORDER))
    n = len(rows)
    modules = Image.new("L", (n, n), 255)
    modules.putdata([0 if dark else 255 for row in rows for dark in row])
    size = n * scale
    card = Shape("rounded", (x, y, x + size, y + size), brand.COLOURS["paper"], radius=2 * scale)
    _paint_shape(img, card)
    dark = modules.point(lambda v: 255 - v).resize((size, size), Image.Resampling.NEAREST)
    img.paste(Image.new("RGB", (size, size), brand.COLOURS["ink"]), (x, y), dark)


def paint(out: Layout, slide: Slide, photo: bytes | None) -> Image.Image:
    img = Image.new("RGB", (out.width, out.height), out.background)
    for shape in out.shapes:
        if not shape.front:
            _paint_shape(img, shape)
    if out.photo and photo:
        _paint_photo(img, out.photo, photo)
    for shape in out.shapes:
        if shape.front:
            _paint_shape(img, shape)
    if out.qr and slide.qr_url:
        _paint_qr(img, out, slide.qr_url)
    draw = ImageDraw.Draw(img)
    for box in out.texts:
        for x, baseline, line in box.line_positions():
            shaping.draw_line(draw, x, baseline, line, box.bold, box.size, _rgb(box.colour), box.rtl)
    return img


def encode(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "png":
        img.save(buf, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    else:
        img.save(buf, "JPEG", quality=JPEG_QUALITY, subsampling=JPEG_SUBSAMPLING, optimize=True)
    return buf.getvalue()


def render_slide(slide: Slide, screen: Screen, photo: bytes | None) -> bytes:
    """The slide as PNG or JPEG bytes, exactly screen.width x screen.height."""
    return encode(paint(slide_layout(slide, screen), slide, photo), screen.format)


# --- Cache and parallel rendering ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _assets_digest() -> str:
    """What every slide depends on besides its own inputs: fonts, colours and the libraries that draw."""
    h = hashlib.sha256()
    for path in shaping.fonts_digest_files():
        h.update(path.read_bytes())
    shapers = [features.version(name) for name in ("freetype2", "raqm", "fribidi", "harfbuzz")]
    h.update(json.dumps([brand.COLOURS, PIL.__version__, shapers, segno.__version__, getattr(pyphen, "VERSION", ""),
                         RENDERER_VERSION, LAYOUT_VERSION]).encode())
    return h.hexdigest()


def slide_key(slide: Slide, screen: Screen, photo: bytes | None) -> str:
    """The cache key: the slide's drawn fields, the screen definition, the photo's bytes and the renderer."""
    h = hashlib.sha256(_assets_digest().encode())
    h.update(screen.fingerprint().encode())
    h.update(json.dumps(slide.drawn, sort_keys=True, ensure_ascii=False).encode())
    h.update(hashlib.sha256(photo).digest() if photo else b"-")
    return h.hexdigest()[:24]


@dataclass(frozen=True)
class Job:
    slide: Slide
    screen: Screen
    photo: Path | None  # the photo file (read in the worker)
    target: Path  # the cache file to make


def run_job(job: Job) -> Path:
    photo = job.photo.read_bytes() if job.photo else None
    data = render_slide(job.slide, job.screen, photo)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    tmp = job.target.with_name(job.target.name + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, job.target)
    return job.target


def run_jobs(jobs: list[Job], workers: int | None = None) -> None:
    """Render the slides that are not in the cache yet: in parallel processes when there are several."""
    if len(jobs) < 4 or (workers or os.cpu_count() or 1) < 2:
        for job in jobs:
            run_job(job)
        return
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        list(pool.map(run_job, jobs, chunksize=2))
