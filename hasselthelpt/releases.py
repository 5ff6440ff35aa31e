"""The releases folder that `hasselthelpt publish` fills and the web server and endpoint read:

    DIR/releases/<UTC time>/site/             the public site (nginx serves DIR/current/site/)
    DIR/releases/<UTC time>/intranet/         the staff output
    DIR/releases/<UTC time>/redirects.nginx   the 301s (nginx: include DIR/current/redirects.nginx;)
    DIR/releases/<UTC time>/addresses.txt     every URL path the site serves, sorted
    DIR/releases/<UTC time>/gone.txt          feeds and data an earlier release served: nginx answers 410
    DIR/releases/<UTC time>/release.json      time, content commit, counts
    DIR/current -> releases/<UTC time>        the live release: a symlink, swapped atomically
    DIR/last-publish.json                     the last publish or rollback: time, ok or failed, reason
    DIR/short-links.yaml                      short codes handed out on this server (not yet in git)

Reading it is cheap and needs nothing of the build, so the endpoint uses this module for its health answer and
to notice a new release."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

RELEASES, CURRENT, LAST_PUBLISH, SHORT_LINKS = "releases", "current", "last-publish.json", "short-links.yaml"
SITE, INTRANET, REDIRECTS, ADDRESSES, RELEASE_JSON, GONE = ("site", "intranet", "redirects.nginx", "addresses.txt",
                                                           "release.json", "gone.txt")


def live_name(folder: Path) -> str | None:
    """The live release's name (one readlink), or None before the first publish."""
    try:
        return Path(os.readlink(folder / CURRENT)).name
    except OSError:
        return None


def live_release(folder: Path) -> Path | None:
    name = live_name(folder)
    return folder / RELEASES / name if name else None


def all_releases(folder: Path) -> list[Path]:
    """Every complete release, oldest first (names are UTC times, so they sort by age)."""
    base = folder / RELEASES
    return sorted(p for p in base.iterdir() if p.is_dir() and (p / RELEASE_JSON).is_file()) if base.is_dir() else []


def _json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def health(folder: Path, now: dt.datetime) -> dict:
    """For /api/health: the live release and its age, and the last publish's result, so that a monitoring check
    can alert when publishing stopped or failed."""
    release = live_release(folder)
    info = _json(release / RELEASE_JSON) if release else None
    age = None
    if info and info.get("time"):
        age = round((now - dt.datetime.fromisoformat(info["time"])).total_seconds())
    return {"live": release.name if release else None, "published_at": info.get("time") if info else None,
            "age_seconds": age, "commit": info.get("commit") if info else None,
            "last_publish": _json(folder / LAST_PUBLISH)}
