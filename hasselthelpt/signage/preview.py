"""Pictures of each screen's first slide for docs/editors.md (docs/signage/<screen>.png): `hasselthelpt
signage-preview` remakes them with the production settings, so the QR codes in them point at the real site."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from ..content.loading import load_corpus
from ..settings import Settings
from .output import fallback_slide, slides_of
from .render import render_slide
from .screens import load_screens

PREVIEW_SIDE = 640  # the longer side of a picture in the docs, in pixels (a banner keeps its own 600 x 150)


def write_previews(settings: Settings, folder: Path) -> list[Path]:
    corpus, _ = load_corpus(settings.root)
    screens, errors = load_screens(settings.root)
    if errors:
        raise ValueError("\n".join(str(e) for e in errors))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, screen in screens.items():
        slides = slides_of(corpus, screen, settings, settings.root / "output")
        slide = slides[0] if slides else fallback_slide(screen, settings)
        photo = (settings.root / "content" / slide.photo).read_bytes() if slide.photo else None
        with Image.open(io.BytesIO(render_slide(slide, screen, photo))) as img:
            scale = min(1.0, PREVIEW_SIDE / max(img.size)) if img.width < 3 * img.height else 600 / img.width
            small = img.convert("RGB").resize((round(img.width * scale), round(img.height * scale)),
                                              Image.Resampling.LANCZOS, reducing_gap=2.0)
        path = folder / f"{name}.png"
        small.save(path, "PNG", optimize=True)
        written.append(path)
    return written
