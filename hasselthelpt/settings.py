"""HASSELT Helpt settings: every HH_* key with its default and meaning, read once into a frozen object.

Pelican's settings files (pelicanconf.py, publishconf.py) set them; unknown HH_* keys are an error, so a typo
never silently falls back to a default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Brussels")

# key: (default, what it means). The README's settings table is this dict; a test keeps them in step.
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
    )
