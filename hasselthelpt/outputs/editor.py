"""The web editor at /admin/ (build.CHANNELS): Decap CMS over the same files in git (docs/editor.md).

Writes admin/index.html (theme/templates/admin.html), admin/config.yml (hasselthelpt/editor_config.py, from the
schema) and Decap's own script with the chunks and WebAssembly it loads beside itself, copied from
node_modules/decap-cms (the version pinned in package.json): the editor never loads anything from a CDN. Its
previews use the site's stylesheet (theme/static/js/admin-preview.js, copied with the theme). The editor's
Content-Security-Policy is its own (security.EDITOR_HEADERS, below /admin/).
"""

from __future__ import annotations

from pathlib import Path

from .. import brand
from ..editor_config import COLLECTIONS, EDITOR_FOLDER, config_yaml
from ..files import copy_if_changed, write_if_changed
from ..jinja import environment
from ..settings import Settings

TEMPLATE = "admin.html"
DECAP_PACKAGE = Path("node_modules") / "decap-cms" / "dist"
DECAP_SCRIPT = "decap-cms.js"


class EditorFilesMissing(RuntimeError):
    pass


def decap_folder(settings: Settings) -> Path:
    """node_modules/decap-cms/dist of the project, or of the checkout this package runs from (a scratch copy of
    the project, as the tests make, has no node_modules of its own)."""
    for root in (settings.root, Path(__file__).resolve().parents[2]):
        folder = root / DECAP_PACKAGE
        if (folder / DECAP_SCRIPT).is_file():
            return folder
    raise EditorFilesMissing(f"{DECAP_PACKAGE / DECAP_SCRIPT} is missing: run `npm ci` (or `make deps`), which "
                             "installs the web editor's version pinned in package.json.")


def decap_files(folder: Path) -> list[Path]:
    """Decap's script and what it loads at run time (its numbered chunks and WebAssembly), without source maps
    and the second build (cms.js) the package also ships."""
    return sorted(p for p in folder.iterdir() if p.is_file() and (
        p.name == DECAP_SCRIPT or p.name.endswith("." + DECAP_SCRIPT) or p.suffix == ".wasm"
        or p.name == DECAP_SCRIPT + ".LICENSE.txt"))


def index_html(settings: Settings, site_root: str, errors_url: str = "") -> str:
    return environment(settings.templates).get_template(TEMPLATE).render(
        name=brand.NAME, site_root=site_root, decap_script=f"{site_root}/{EDITOR_FOLDER}/{DECAP_SCRIPT}",
        brand_css=brand.css_variables(), errors_url=errors_url, collections=[name for name, _ in COLLECTIONS.values()])


def site_root(settings: Settings) -> str:
    """The site's root as seen from /admin/: SITEURL in production, relative in development."""
    return settings.site_url.rstrip("/") if settings.site_url else ".."


def write(prepared, settings: Settings, output: Path) -> None:
    """build.CHANNELS entry: the editor's page, configuration and script below output/admin/."""
    folder = output / EDITOR_FOLDER
    write_if_changed(folder / "index.html", index_html(settings, site_root(settings)).encode("utf-8"))
    write_if_changed(folder / "config.yml", config_yaml(settings).encode("utf-8"))
    for source in decap_files(decap_folder(settings)):
        copy_if_changed(source, folder / source.name)

