"""HASSELT Helpt settings: every HH_* key with its default and meaning, read once into a frozen object.

Pelican's settings files (pelicanconf.py, publishconf.py) set them; unknown HH_* keys are an error, so a typo
never silently falls back to a default.
"""

from __future__ import annotations

import datetime as dt
import runpy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Brussels")
# The project's folders a build reads: `serve` watches them, the whole-build shortcut's key covers them.
INPUT_FOLDERS = ("content", "vacancies", "theme", "signage", "plugins")
# The ledger of printed short codes: an input that the build itself appends to (paper/short_links.py).
SHORT_LINK_LEDGER = "content/short-links.yaml"
DEV_CONF, PROD_CONF = "pelicanconf.py", "publishconf.py"  # the settings files, in the project folder

# key: (default, what it means). docs/operators.md's build settings table is this dict; a test keeps them in step.
DEFAULTS: dict[str, tuple[Any, str]] = {
    "HH_ROOT": (None, "Project folder holding content/ and vacancies/; default: the folder above PATH."),
    "HH_TODAY": (None, "Date (YYYY-MM-DD) the build treats as today; default: today in Belgium. For previews "
                       "and tests."),
    "HH_PREVIEW": (False, "true: drafts and items not yet published are built, marked 'voorbeeld'. Development "
                          "only."),
    "HH_IMAGE_WIDTHS": ((480, 960, 1440), "Widths in pixels of the resized photos offered in srcset."),
    "HH_IMAGE_QUALITY": (82, "JPEG quality of resized photos."),
    "HH_CACHE_PATH": ("cache", "Folder (below HH_ROOT) for derived files keyed by content hash."),
    "HH_FORM_ACTION": ("/api/aanmelding", "Where the sign-up forms post to (the form endpoint)."),
    "HH_PER_PAGE": (30, "Vacancies per overview or filter page."),
    "HH_PRIVACY_VERSION": ("1.5", "Version of the privacy text (content/pages/privacy.md says 'Versie ...'); "
                                  "the forms send it and the endpoint stores it with each consent."),
    "HH_DEV_SITE_URL": ("http://127.0.0.1:8000", "Absolute address used in development (SITEURL empty) where a URL "
                        "must be absolute: feeds, calendars, sitemap, Open Graph, JSON-LD, the widget code."),
    "HH_STAFF_OUTPUT": (None, "Folder for the staff-only channels (internal feed and page), kept out of the public "
                              "site; default: the output folder's name plus '-intranet', beside it."),
    "HH_STAFF_URL": (None, "Absolute address where the staff folder is published on the intranet; default: a "
                           "file:// address of the folder (for a local look)."),
    "HH_PLAIN_MAX_WORDS": (20, "Plain-Dutch check: `check` warns about a sentence of more words than this in a "
                               "summary or text (B1: about 10-15 words). 0: no sentence check."),
    "HH_PLAIN_MIN_SCORE": (50, "Plain-Dutch check: `check` warns about a text (of 40 words or more) whose reading "
                               "ease (Flesch-Douma) is below this. 0: no score check."),
    "HH_JARGON_FILE": ("content/jargon.yaml", "Plain-Dutch check: the communications team's jargon list (below "
                                              "HH_ROOT), each word with its plain alternative."),
    "HH_TRANSLATIONS": (True, "false: pages show no translated blocks (the 'translations' of a page stay in the "
                              "content, unused), e.g. when the city's language rules ask for Dutch only."),
    "HH_SHORT_LINKS_STATE": (None, "A ledger file outside the checkout for the short codes a server hands out "
                                   "(`publish` sets it to DIR/short-links.yaml), read after content/short-links.yaml"
                                   "; copy its lines into git now and then. Default: new codes go into the checkout."),
    "HH_EDITOR_BACKEND": ({"name": "gitlab", "repo": "stad-hasselt/hasselthelpt", "branch": "main",
                           "auth_type": "pkce", "app_id": ""},
                          "The web editor's git host (/admin/, docs/editor.md): Decap CMS's backend section, with name "
                          "gitlab, gitea, forgejo or github, repo, branch and the OAuth application's app_id (PKCE "
                          "login), and base_url/api_root for a self-hosted GitLab, Gitea or Forgejo."),
    "HH_LIVE_RELOAD": (False, "Development only, set by `hasselthelpt serve`: every page loads the dev server's "
                              "script that reloads it after a rebuild. Refused with an absolute SITEURL."),
}


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    root: Path
    today: dt.date
    preview: bool
    image_widths: tuple[int, ...]
    image_quality: int
    cache_path: Path
    form_action: str
    per_page: int
    site_url: str  # "" in development (relative URLs); absolute in production
    relative_urls: bool
    dev_site_url: str = DEFAULTS["HH_DEV_SITE_URL"][0]
    privacy_version: str = DEFAULTS["HH_PRIVACY_VERSION"][0]
    staff_output: Path | None = None  # None: beside the output folder (see staff_folder)
    staff_url: str | None = None
    plain_max_words: int = DEFAULTS["HH_PLAIN_MAX_WORDS"][0]
    plain_min_score: float = DEFAULTS["HH_PLAIN_MIN_SCORE"][0]
    jargon_file: Path = Path(DEFAULTS["HH_JARGON_FILE"][0])
    translations: bool = DEFAULTS["HH_TRANSLATIONS"][0]
    live_reload: bool = False
    editor_backend: dict | None = None  # HH_EDITOR_BACKEND
    short_links_state: Path | None = None
    theme: Path | None = None  # Pelican's THEME folder; None: theme/ below root

    @property
    def templates(self) -> Path:
        """The theme's Jinja templates: pages written outside Pelican's writer (the staff page) use them too."""
        return (self.theme or self.root / "theme") / "templates"

    @property
    def absolute_url(self) -> str:
        """The site's absolute address without a trailing slash: SITEURL, or HH_DEV_SITE_URL in development."""
        return (self.site_url or self.dev_site_url).rstrip("/")

    def staff_folder(self, output: Path) -> Path:
        """Where staff-only channels go: never below the public output, which anyone can read."""
        return self.staff_output or output.parent / f"{output.name}-intranet"

    def staff_base_url(self, output: Path) -> str:
        """The staff folder's address: HH_STAFF_URL, or a file:// address on the build machine."""
        return (self.staff_url or self.staff_folder(output).resolve().as_uri()).rstrip("/")


def from_pelican(pelican_settings: Mapping[str, Any]) -> Settings:
    """Read the HH_* keys (and the few Pelican keys we need) from Pelican's settings dict."""
    unknown = sorted(k for k in pelican_settings if k.startswith("HH_") and k not in DEFAULTS)
    if unknown:
        raise SettingsError(f"Unknown setting(s) {', '.join(unknown)}; known are: {', '.join(DEFAULTS)}.")
    values = {k: pelican_settings.get(k, default) for k, (default, _) in DEFAULTS.items()}
    root = Path(values["HH_ROOT"] or Path(pelican_settings["PATH"]).parent).resolve()
    today = values["HH_TODAY"]
    if today is None:
        today = dt.datetime.now(TIMEZONE).date()
    elif isinstance(today, str):
        try:
            today = dt.date.fromisoformat(today)
        except ValueError:
            raise SettingsError(f"HH_TODAY={today!r} is not a date; write it as YYYY-MM-DD.") from None
    if values["HH_LIVE_RELOAD"] and pelican_settings.get("SITEURL"):
        raise SettingsError("HH_LIVE_RELOAD is for development (`hasselthelpt serve`) only, never with an absolute "
                            "SITEURL: remove it from the production settings.")
    widths = tuple(sorted(int(w) for w in values["HH_IMAGE_WIDTHS"]))
    if not widths or widths[0] < 100:
        raise SettingsError("HH_IMAGE_WIDTHS needs one or more widths of at least 100 pixels.")
    return Settings(
        root=root,
        today=today,
        preview=bool(values["HH_PREVIEW"]),
        image_widths=widths,
        image_quality=int(values["HH_IMAGE_QUALITY"]),
        cache_path=root / values["HH_CACHE_PATH"],
        form_action=values["HH_FORM_ACTION"],
        per_page=int(values["HH_PER_PAGE"]),
        site_url=pelican_settings.get("SITEURL", ""),
        relative_urls=bool(pelican_settings.get("RELATIVE_URLS", False)),
        dev_site_url=str(values["HH_DEV_SITE_URL"]).rstrip("/"),
        privacy_version=str(values["HH_PRIVACY_VERSION"]),
        staff_output=root / values["HH_STAFF_OUTPUT"] if values["HH_STAFF_OUTPUT"] else None,
        staff_url=str(values["HH_STAFF_URL"]).rstrip("/") if values["HH_STAFF_URL"] else None,
        plain_max_words=int(values["HH_PLAIN_MAX_WORDS"]),
        plain_min_score=float(values["HH_PLAIN_MIN_SCORE"]),
        jargon_file=root / values["HH_JARGON_FILE"],
        short_links_state=root / values["HH_SHORT_LINKS_STATE"] if values["HH_SHORT_LINKS_STATE"] else None,
        translations=bool(values["HH_TRANSLATIONS"]),
        live_reload=bool(values["HH_LIVE_RELOAD"]),
        editor_backend=dict(values["HH_EDITOR_BACKEND"] or {}),
        theme=_theme_folder(pelican_settings.get("THEME"), root),
    )


def _theme_folder(theme: str | None, root: Path) -> Path | None:
    if not theme:
        return None
    path = Path(theme)
    return path if path.is_absolute() else root / path


def config_values(conf: Path) -> dict[str, Any]:
    """The upper-case names a settings file (pelicanconf.py, publishconf.py) defines, as Pelican reads them but
    without Pelican or its defaults: for the endpoint's commands, which need one value and never load the build."""
    if not conf.is_file():
        raise SettingsError(f"{conf} not found: run this in the project folder, or pass --project.")
    return {k: v for k, v in runpy.run_path(str(conf)).items() if k.isupper()}
