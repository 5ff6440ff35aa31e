"""What the content's git history says about addresses: a renamed content file becomes a redirect from its old
address to its new one, and a deleted one names an address that needs a redirect or a 'gone' entry.

One `git log` over the content folders (renames and deletions only) and one `git diff` for what is not committed
yet; outside a git repository (or without git) there is no history and nothing is derived."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from ..outputs.pages import url_of
from .loading import ContentError
from .schema import CONTENT_TYPES

CONTENT_FOLDERS = sorted({t.folder for t in CONTENT_TYPES.values()})
NOT_COMMITTED = "(not committed)"


@dataclass
class History:
    renamed: dict[str, str] = field(default_factory=dict)  # old address -> newest address of the same file
    deleted: dict[str, tuple[str, str]] = field(default_factory=dict)  # address -> (file, commit that deleted it)


def address_of(rel: str) -> str | None:
    """The site-relative address of a content file ('vacancies/kok.yaml' -> 'vacatures/kok/'), or None."""
    path = Path(rel)
    for ctype in CONTENT_TYPES.values():
        suffixes = (".yaml", ".yml") if ctype.suffix == ".yaml" else (ctype.suffix,)
        if path.parent.as_posix() == ctype.folder and path.suffix in suffixes:
            return url_of(SimpleNamespace(type=ctype.name, slug=path.stem))
    return None


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _changes(text: str, commit: str | None = None) -> list[tuple[str, str, str, str | None]]:
    """(commit, status, old file, new file) from `--name-status` output; lines 'commit <sha>' start a commit."""
    found = []
    for line in text.splitlines():
        if line.startswith("commit "):
            commit = line.split()[1][:12]
        elif line[:1] in ("R", "D") and commit:
            parts = line.split("\t")
            found.append((commit, parts[0][0], parts[1], parts[2] if len(parts) > 2 else None))
    return found


def read_history(root: Path) -> History:
    """Renames and deletions of content files, oldest first, then the working tree's own (against HEAD)."""
    if _git(root, "rev-parse", "--is-inside-work-tree") is None:
        return History()
    log = _git(root, "log", "--relative", "--reverse", "--name-status", "-M", "--diff-filter=RD",
               "--format=commit %H", "--", *CONTENT_FOLDERS) or ""
    changes = _changes(log)
    pending = _git(root, "diff", "--relative", "--name-status", "-M", "--diff-filter=RD", "HEAD", "--",
                   *CONTENT_FOLDERS)
    changes += _changes(pending or "", NOT_COMMITTED)
    history = History()
    for commit, status, old, new in changes:
        old_url = address_of(old)
        if old_url is None:
            continue
        new_url = address_of(new) if status == "R" and new else None
        if new_url is None:  # deleted, or moved out of the content folders: with the addresses it had before
            for earlier in [a for a, target in history.renamed.items() if target == old_url] + [old_url]:
                history.deleted[earlier] = (old, commit)
                history.renamed.pop(earlier, None)
            continue
        history.deleted.pop(new_url, None)  # a file renamed onto an address that was deleted revives it
        for earlier, target in history.renamed.items():  # a -> b, then b -> c: a -> c
            if target == old_url:
                history.renamed[earlier] = new_url
        history.renamed[old_url] = new_url
        history.renamed.pop(new_url, None)
    return history


def rename_redirects(history: History, page_urls: set[str], redirects: dict[str, str]) -> dict[str, str]:
    """The renames that become redirects: old addresses without a page or redirect of their own, whose new
    address is a page of this site (a rename into a draft or a staff-only item redirects nowhere yet)."""
    return {old: new for old, new in history.renamed.items()
            if old not in page_urls and old not in redirects and new in page_urls}


def deleted_warnings(history: History, served: set[str]) -> list[ContentError]:
    """A warning for each deleted content file whose address nothing serves now (no page, redirect or gone
    entry). A warning only: the file may never have been published; `publish` refuses what the live site served."""
    return [ContentError(
        rel, "", f"was deleted ({'not committed yet' if commit == NOT_COMMITTED else 'commit ' + commit}), and its "
        f"address /{url} no longer leads anywhere",
        f"If it was ever published, add a redirect for /{url} to content/redirects.yaml, or an entry to "
        "content/gone.yaml (a page 'niet meer beschikbaar'). A renamed file becomes a redirect by itself once "
        "git sees the rename: commit the removal and the new file together (git mv).", warning=True)
        for url, (rel, commit) in sorted(history.deleted.items()) if url not in served]
