"""Resized copies of uploaded photos and logos, keyed by a hash of their bytes so unchanged photos cost nothing.

The site never serves an original upload: each image becomes a few widths for `srcset`. Derived files live in a
cache folder and are copied into the output; a photo whose bytes did not change is not decoded again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from ..files import link_into, write_if_changed
from ..incremental import file_key

RECIPE_VERSION = "2"  # bump when the resizing below changes, so cached files are made again


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


def _key(digest: bytes, job: Job) -> str:
    """The name of a job's result: the source's bytes (by their digest) and the recipe."""
    h = hashlib.sha256(digest)
    h.update(f"{RECIPE_VERSION}|{job.widths}|{job.quality}".encode())
    if job.crop:
        h.update(f"|crop{job.crop}".encode())
    return h.hexdigest()[:12]


def _stem(source: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-") or "image"  # safe in URLs and srcset


def _needed_size(job: Job, width: int, height: int) -> tuple[int, int]:
    """The smallest decoded size that still makes this job's largest variant without upscaling."""
    if job.crop:
        scale = max(job.crop[0] / width, job.crop[1] / height)
    else:
        scale = max(job.widths) / width
    return min(width, round(width * scale) + 1), min(height, round(height * scale) + 1)


def _decode(source: Path, jobs: list[Job]) -> Image.Image:
    """The source, decoded once for all pending jobs: a JPEG at the smallest scale that serves them all
    (Image.draft: far less work than a full decode), turned upright, in RGB or (PNG with alpha) RGBA."""
    with Image.open(source) as img:
        keep_alpha = img.mode in ("RGBA", "LA", "P") and source.suffix.lower() == ".png"
        if not keep_alpha:
            sizes = [_needed_size(job, img.width, img.height) for job in jobs]
            img.draft("RGB", (max(w for w, _ in sizes), max(h for _, h in sizes)))
        return ImageOps.exif_transpose(img).convert("RGBA" if keep_alpha else "RGB")


def _save(img: Image.Image, job: Job, name: str) -> Variant:
    tmp = job.cache_dir / (name + ".tmp")
    if img.mode == "RGBA":
        img.save(tmp, "PNG", optimize=True)
    else:  # baseline JPEG: a progressive encode costs four times as much for little gain at these sizes
        img.save(tmp, "JPEG", quality=job.quality, optimize=True)
    os.replace(tmp, job.cache_dir / name)
    return Variant(f"img/{name}", img.width, img.height)


def _make(job: Job, img: Image.Image, stem: str, key: str) -> ImageSet:
    if job.crop:  # one variant of exactly this size (e.g. the 1200x630 share image), cropped around the centre
        width, height = job.crop
        if img.mode == "RGBA":  # transparent PNG: flatten on white
            img = Image.alpha_composite(Image.new("RGBA", img.size, (255, 255, 255, 255)), img)
        fitted = ImageOps.fit(img.convert("RGB"), (width, height), Image.Resampling.LANCZOS)
        return ImageSet((_save(fitted, job, f"{stem}-{key}-{width}x{height}.jpg"),))
    suffix = ".png" if img.mode == "RGBA" else ".jpg"
    variants = []
    current = img
    for width in sorted({min(w, img.width) for w in job.widths}, reverse=True):  # cascade: each from the last
        height = max(1, round(img.height * width / img.width))
        if current.width != width:
            current = current.resize((width, height), Image.Resampling.LANCZOS)
        variants.append(_save(current, job, f"{stem}-{key}-{width}{suffix}"))
    return ImageSet(tuple(reversed(variants)))


def derive_group(jobs: tuple[Job, ...], digest: bytes | None = None) -> tuple[ImageSet, ...]:
    """Make (or find in the cache) the variants of several jobs on one source image, which is read once and
    decoded once, and only when a job is not cached. Same bytes in, same files out. `digest`: the sha256 of the
    source's bytes, when known (derive_all knows it for a photo unchanged since the last build)."""
    digest = digest or hashlib.sha256(jobs[0].source.read_bytes()).digest()
    stem = _stem(jobs[0].source)
    results: list[ImageSet | None] = []
    pending = []
    for job in jobs:
        manifest = job.cache_dir / f"{stem}-{_key(digest, job)}.txt"
        results.append(_read_manifest(manifest) if manifest.is_file() else None)
        if results[-1] is None:
            pending.append(job)
    if pending:
        img = _decode(jobs[0].source, pending)
        for i, job in enumerate(jobs):
            if results[i] is None:
                key = _key(digest, job)
                job.cache_dir.mkdir(parents=True, exist_ok=True)
                results[i] = _make(job, img, stem, key)
                _write_manifest(job.cache_dir / f"{stem}-{key}.txt", results[i])
    return tuple(results)


def derive(job: Job) -> ImageSet:
    """Make (or find in the cache) the resized variants of one image."""
    return derive_group((job,))[0]


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
    groups: dict[Path, list[str]] = {}  # jobs on the same source share one decode
    for name, job in jobs.items():
        groups.setdefault(job.source, []).append(name)
    names = list(groups.values())
    batches = [tuple(jobs[n] for n in group) for group in names]
    digests = SourceDigests(batches[0][0].cache_dir / "sources.json" if batches else None)
    results: list = []
    pending = []  # (position, jobs, digest) of the groups the cache lacks: the only ones workers see
    for jobs_of in batches:
        digest = digests.of(jobs_of[0].source)
        found = _cached(jobs_of, digest)
        results.append(found)
        if found is None:
            pending.append((len(results) - 1, jobs_of, digest))
    digests.save()
    if len(pending) < 8:
        made = [derive_group(jobs_of, digest) for _, jobs_of, digest in pending]
    else:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
            made = list(pool.map(derive_group, [p[1] for p in pending], [p[2] for p in pending], chunksize=4))
    for (position, _, _), sets in zip(pending, made):
        results[position] = sets
    return {n: image_set for group, sets in zip(names, results) for n, image_set in zip(group, sets)}


def _cached(jobs: tuple[Job, ...], digest: bytes) -> tuple[ImageSet, ...] | None:
    """Every job's variants from the cache, or None when one is missing."""
    stem = _stem(jobs[0].source)
    manifests = [job.cache_dir / f"{stem}-{_key(digest, job)}.txt" for job in jobs]
    if not all(m.is_file() for m in manifests):
        return None
    return tuple(_read_manifest(m) for m in manifests)


class SourceDigests:
    """The sha256 of each source image, remembered by its file state (size, times, inode): an unchanged photo
    is not read at all. Entries of sources this build did not ask for are dropped on save."""

    def __init__(self, path: Path | None):
        self.path, self._old, self._new = path, {}, {}
        if path is not None and path.is_file():
            try:
                self._old = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                self._old = {}

    def of(self, source: Path) -> bytes:
        state = file_key(source)
        entry = self._old.get(str(source))
        if not (entry and entry[0] == state):
            entry = [state, hashlib.sha256(source.read_bytes()).hexdigest()]
        self._new[str(source)] = entry
        return bytes.fromhex(entry[1])

    def save(self) -> None:
        if self.path is not None and self._new != self._old:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_if_changed(self.path, json.dumps(self._new).encode("utf-8"))


def publish(sets: dict[str, ImageSet], cache_dir: Path, output_dir: Path) -> None:
    """Copy the derived files into the output folder (hard links where the file system allows)."""
    for url in sorted({v.url for image_set in sets.values() for v in image_set.variants}):  # sets share cards
        link_into(cache_dir / Path(url).name, output_dir / url)
