"""Permanent links: addresses printed in the Nieuwe Hasselaar pack, flyers and QR codes must keep working.

`content/printed-links.yaml` lists every address that was printed; `content/redirects.yaml` sends an address
that no longer has its own page (a vacancy file that was removed, a renamed page) to a new one. The build fails
when a printed address would lead nowhere.
"""

from __future__ import annotations

from pathlib import Path


from .loading import ContentError, key_lines, load_yaml

PRINTED_LINKS = "content/printed-links.yaml"
REDIRECTS = "content/redirects.yaml"


def _normalise(url: str) -> str:
    """'/vacatures/kok' and 'vacatures/kok/' both become 'vacatures/kok/' (site-relative, with a slash)."""
    url = url.strip().lstrip("/")
    return url if not url or url.endswith("/") or url.endswith(".html") else url + "/"


def _load_list(root: Path, rel: str, keys: tuple[str, ...]) -> tuple[list[dict], list[ContentError]]:
    path = root / rel
    if not path.is_file():
        return [], []
    text = path.read_text(encoding="utf-8")
    data, errors = load_yaml(text, rel)
    if errors:
        return [], errors
    data = data or []
    lines = key_lines(text)
    entries, errors = [], []
    if not isinstance(data, list):
        return [], [ContentError(rel, "", "must be a list", f"Start each entry with '- ' and give {', '.join(keys)}.")]
    for i, entry in enumerate(data):
        missing = [k for k in keys if not isinstance(entry, dict) or not isinstance(entry.get(k), str)
                   or not entry[k].strip()]
        if missing:
            errors.append(ContentError(rel, f"[{i}].{missing[0]}", "is missing or not text",
                                       f"Give each entry {', '.join(keys)}, each an address such as /vacatures/.",
                                       lines.get(f"[{i}].{keys[0]}")))
            continue
        entries.append({**entry, "line": lines.get(f"[{i}].{keys[0]}")})
    return entries, errors


def load_redirects(root: Path) -> tuple[dict[str, str], list[ContentError]]:
    """Old site-relative URL -> new site-relative URL."""
    entries, errors = _load_list(root, REDIRECTS, ("from", "to"))
    return {_normalise(e["from"]): _normalise(e["to"]) for e in entries}, errors


def check_links(root: Path, page_urls: set[str], redirects: dict[str, str]) -> list[ContentError]:
    """Errors for printed addresses and redirects that lead nowhere."""
    printed, errors = _load_list(root, PRINTED_LINKS, ("url", "where"))
    for old, new in redirects.items():
        if old in page_urls:
            errors.append(ContentError(REDIRECTS, "from", f"'{old}' still has its own page",
                                       "Remove the redirect, or remove the page."))
        if new not in page_urls:
            errors.append(ContentError(REDIRECTS, "to", f"'{new}' is not a page of the site",
                                       "Point the redirect to an existing address."))
    for entry in printed:
        url = _normalise(entry["url"])
        if url not in page_urls and url not in redirects:
            errors.append(ContentError(
                PRINTED_LINKS, "url", f"'{url}' ({entry['where']}) no longer leads to a page",
                "Keep the content file (an expired vacancy keeps its page), or add a redirect for it in "
                f"{REDIRECTS}.", entry["line"]))
    return errors
