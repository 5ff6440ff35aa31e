"""Resized copies of uploaded photos and logos, keyed by a hash of their bytes so unchanged photos cost nothing.

The site never serves an original upload: each image becomes a few widths for `srcset`. Derived files live in a
cache folder and are copied into the output; a photo whose bytes did not change is not decoded again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

RECIPE_VERSION = "1"  # bump when the resizing below changes, so cached files are made again


@dataclass(frozen=True)
class Variant:
    url: str  # relative to the site root, e.g. "img/moestuin-1a2b3c4d5e-960.jpg"
    width: int
    height: int


@dataclass(frozen=True)
class ImageSet:
    """The resized variants of one source image, smallest first."""

    variants: tuple[Variant, ...]

    @property
    def largest(self) -> Variant:
        return self.variants[-1]

    @property
    def default(self) -> Variant:
        """The variant for `src`: the middle one, sharp enough on most screens."""
        return self.variants[len(self.variants) // 2]

    def srcset(self, prefix: str) -> str:
        return ", ".join(f"{prefix}/{v.url} {v.width}w" for v in self.variants)


@dataclass(frozen=True)
class Job:
    source: Path
    widths: tuple[int, ...]
    quality: int
    cache_dir: Path
    crop: tuple[int, int] | None = None  # (width, height): one variant of exactly this size, cropped to fill it


def _key(data: bytes, job: Job) -> str:
    h = hashlib.sha256(data)
    h.update(f"{RECIPE_VERSION}|{job.widths}|{job.quality}".encode())
    if job.crop:
        h.update(f"|crop{job.crop}".encode())
    return h.hexdigest()[:12]


def _derive_crop(job: Job, stem: str, key: str) -> ImageSet:
    """One JPEG of exactly job.crop pixels (e.g. the 1200x630 share image), cropped around the centre."""
    width, height = job.crop
    with Image.open(job.source) as img:
        img.draft("RGB", (width, height))
        img = ImageOps.exif_transpose(img)
        if img.mode in ("RGBA", "LA", "P"):  # transparent PNG: flatten on white
            img = img.convert("RGBA")
            background = Image.new("RGBA", img.size, (255, 255, 255, 255))
            img = Image.alpha_composite(background, img)
        img = ImageOps.fit(img.convert("RGB"), (width, height), Image.Resampling.LANCZOS)
        name = f"{stem}-{key}-{width}x{height}.jpg"
        tmp = job.cache_dir / (name + ".tmp")
        img.save(tmp, "JPEG", quality=job.quality, optimize=True, progressive=True)
        os.replace(tmp, job.cache_dir / name)
    return ImageSet((Variant(f"img/{name}", width, height),))


def derive(job: Job) -> ImageSet:
    """Make (or find in the cache) the resized variants of one image. Same bytes in, same files out."""
    data = job.source.read_bytes()
    key = _key(data, job)
    stem = re.sub(r"[^a-z0-9]+", "-", job.source.stem.lower()).strip("-") or "image"  # safe in URLs and srcset
    manifest = job.cache_dir / f"{stem}-{key}.txt"
    if manifest.is_file():
        return _read_manifest(manifest)
    job.cache_dir.mkdir(parents=True, exist_ok=True)
    if job.crop:
        result = _derive_crop(job, stem, key)
        _write_manifest(manifest, result)
        return result
    with Image.open(job.source) as img:
        keep_alpha = img.mode in ("RGBA", "LA", "P") and job.source.suffix.lower() == ".png"
        suffix = ".png" if keep_alpha else ".jpg"
        largest = max(job.widths)
        if not keep_alpha:
            # Decode a JPEG at a reduced scale when that still leaves enough pixels: far less work than a full decode.
            img.draft("RGB", (largest, largest * img.height // img.width))
        img = ImageOps.exif_transpose(img).convert("RGBA" if keep_alpha else "RGB")
        widths = sorted({min(w, img.width) for w in job.widths})
        variants = []
        current = img
        for width in reversed(widths):  # cascade: each size is made from the previous, larger one
            height = max(1, round(img.height * width / img.width))
            if current.width != width:
                current = current.resize((width, height), Image.Resampling.LANCZOS)
            name = f"{stem}-{key}-{width}{suffix}"
            tmp = job.cache_dir / (name + ".tmp")
            if keep_alpha:
                current.save(tmp, "PNG", optimize=True)
            else:
                current.save(tmp, "JPEG", quality=job.quality, optimize=True, progressive=True)
            os.replace(tmp, job.cache_dir / name)
            variants.append(Variant(f"img/{name}", width, height))
    result = ImageSet(tuple(reversed(variants)))
    _write_manifest(manifest, result)
    return result


def _write_manifest(manifest: Path, result: ImageSet) -> None:
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text("".join(f"{v.url} {v.width} {v.height}\n" for v in result.variants))
    os.replace(tmp, manifest)


def _read_manifest(path: Path) -> ImageSet:
    variants = []
    for line in path.read_text().splitlines():
        url, width, height = line.split()
        variants.append(Variant(url, int(width), int(height)))
    return ImageSet(tuple(variants))


def derive_all(jobs: dict[str, Job], workers: int | None = None) -> dict[str, ImageSet]:
    """Derive many images, in parallel processes when there is more than a handful to make."""
    if len(jobs) < 8:
        return {name: derive(job) for name, job in jobs.items()}
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        return dict(zip(jobs, pool.map(derive, jobs.values(), chunksize=4)))


def publish(sets: dict[str, ImageSet], cache_dir: Path, output_dir: Path) -> None:
    """Copy the derived files into the output folder (hard links where the file system allows)."""
    for image_set in sets.values():
        for v in image_set.variants:
            target = output_dir / v.url
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = cache_dir / Path(v.url).name
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
