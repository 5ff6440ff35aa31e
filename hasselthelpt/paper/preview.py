"""Pictures of each print format's first page for docs/editors.md (docs/print/<format>.png): `hasselthelpt
print-preview` remakes them from the sample content, as `signage-preview` does for the screens."""

from __future__ import annotations

from pathlib import Path

from ..content.loading import load_corpus
from ..settings import Settings
from . import documents, render

PREVIEW_HEIGHT = 640  # pixels: the height of a picture in the docs
EXAMPLES = ("affiches/", "markt-", "welkomstpakket", "personeelsblad/")  # the first document of each format


def first_page_png(pdf: Path, height: int = PREVIEW_HEIGHT):
    """The first page as a Pillow image (pdfium rasterises it), `height` pixels high, trimmed of the bleed."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        page = doc[0]
        left, bottom, right, top = page.get_trimbox()
        page.set_cropbox(left, bottom, right, top)
        return page.render(scale=height / (top - bottom)).to_pil().convert("RGB")
    finally:
        doc.close()


def write_previews(settings: Settings, folder: Path) -> list[Path]:
    corpus, _ = load_corpus(settings.root)
    docs = documents(corpus, settings)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for prefix in EXAMPLES:
        doc = next(d for d in docs if d.file.startswith(prefix) and not d.file.endswith("-a3.pdf"))
        pdf = render.pdf(doc.html, list(doc.images), settings.cache_path / "print")
        path = folder / f"{doc.kind}.png"
        first_page_png(pdf).save(path, "PNG", optimize=True)
        written.append(path)
    return written
