"""`hasselthelpt publish --releases DIR`: check, build production into a new release, compare it with the live
one, switch atomically, keep the last few; and `hasselthelpt rollback --releases DIR`. The layout of DIR is in
releases.py.

A release starts as a hard-linked copy of the live one: the build rewrites what changed (files.py replaces a file
by a new one, never writes into it, so the live release never changes), and whatever the build neither wrote nor
kept is removed. An unchanged file keeps its inode, so its precompressed .gz and .br are the live ones too.
A visitor never sees a half-written site: nginx serves DIR/current/site/, and `current` is a symlink replaced in
one rename. Anything wrong (content errors, a failed build, a published address that would vanish) stops the
publish before the switch, with the reason, and leaves the live release as it was."""

from __future__ import annotations

import datetime as dt
import fcntl
import gzip
import json
import os
import re
import shlex
import shutil
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import brotli

from . import releases as rel
from .build import ContentErrors
from .content.history import read_history, rename_redirects
from .content.links import load_redirects
from .content.loading import MarkdownRenderer, load_corpus
from .content.publication import Publication
from .files import PRECOMPRESSED, counting, write_if_changed
from .outputs.pages import plan_site
from .redirect_rules import nginx_rules
from .settings import Settings, SettingsError

COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics"}  # what nginx may send compressed


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, 9, mtime=0)  # no time stamp: the same file gives the same bytes


ENCODINGS = dict(zip(PRECOMPRESSED, (_gzip, brotli.compress)))  # .gz, .br; brotli: quality 11, its best
FEED_SUFFIXES = (".xml", ".ics")
SLIDE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
STAGING = ".staging"  # one fixed folder: caches keyed by the output folder (the search index) stay valid
DEFAULT_KEEP = 5
RELOAD_TIMEOUT = 120  # seconds


class PublishError(Exception):
    """Why a publish stopped; the live release is as it was."""


@dataclass
class Summary:
    release: str
    pages: dict[str, list[str]]  # added, changed, removed: addresses
    feeds: dict[str, int]
    slides: dict[str, int]
    redirects: int
    compressed: int  # .gz and .br files written (the others came with unchanged files)
    seconds: float = 0.0
    removed_files: list[str] = field(default_factory=list)  # feeds, data: not pages, listed for the operator

    def text(self) -> str:
        p = self.pages
        lines = [f"Published {self.release} in {self.seconds:.1f} s.",
                 f"  pages: {len(p['added'])} added, {len(p['changed'])} changed, {len(p['removed'])} removed",
                 f"  feeds: {self.feeds['total']} ({self.feeds['changed']} changed)",
                 f"  slides: {self.slides['total']} ({self.slides['added']} new)",
                 f"  redirects (301): {self.redirects}; compressed files written: {self.compressed}"]
        lines += [f"  added: {a}" for a in p["added"][:10]]
        lines += [f"  no longer served (not a page; nginx answers 410 Gone): {a}" for a in self.removed_files[:10]]
        return "\n".join(lines)


# --- files of a release ---

def link_copy(source: Path, target: Path) -> None:
    """`cp -al`: the same tree, every file a hard link to the source's."""
    shutil.copytree(source, target, symlinks=True, copy_function=os.link)


def prune(folder: Path, kept: set[str]) -> None:
    """Remove the files of a release copy that the build neither wrote nor kept (absolute paths; a compressed
    file goes with its source), and the folders left empty."""
    for path in sorted(folder.absolute().rglob("*"), reverse=True):
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif str(path) not in kept and not (path.suffix in ENCODINGS and str(path.with_suffix("")) in kept):
            path.unlink()


def _compress_one(job: tuple[Path, tuple[str, ...]]) -> int:
    path, suffixes = job
    data = path.read_bytes()
    return sum(write_if_changed(path.with_name(path.name + suffix), ENCODINGS[suffix](data)) for suffix in suffixes)


def compress(folder: Path, live: Path | None, workers: int | None = None) -> int:
    """Write x.gz (gzip -9, no time stamp) and x.br (brotli, best) beside each text file x, unless x is the live
    release's file itself (same inode: unchanged) and its compressed files came with it. Brotli's best costs
    about 5 ms per kilobyte: many files are shared out over processes. Returns how many were written."""
    jobs = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in COMPRESSED or not path.is_file():
            continue
        live_path = live / path.relative_to(folder) if live else None
        unchanged = live_path is not None and live_path.exists() and live_path.stat().st_ino == path.stat().st_ino
        missing = tuple(s for s in ENCODINGS if not (unchanged and path.with_name(path.name + s).is_file()))
        if missing:
            jobs.append((path, missing))
    if len(jobs) < 16:
        return sum(map(_compress_one, jobs))
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        return sum(pool.map(_compress_one, jobs, chunksize=8))


def addresses(site: Path, prefix: str) -> list[str]:
    """Every URL path the site serves: a folder's index.html as the folder; compressed copies are no address."""
    found = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix not in ENCODINGS:
            name = path.relative_to(site).as_posix()
            found.append(f"{prefix}/{name.removesuffix('index.html') if name.split('/')[-1] == 'index.html' else name}")
    return sorted(found)


def moved_with(redirects: dict[str, str], vanished: list[str], served: set[str]) -> dict[str, str]:
    """Addresses named after a redirected item that follow it: when /organisaties/a/ leads to /organisaties/b/,
    the vanished feeds/organisatie/a.rss.xml and widget/organisatie/a/ lead to their b versions (nginx 301s only:
    the build writes forwarding pages for the item's own address)."""
    slugs = {}
    for source, target in redirects.items():
        old_slug, new_slug = source.rstrip("/").rpartition("/")[2], target.rstrip("/").rpartition("/")[2]
        if old_slug and new_slug and old_slug != new_slug:
            slugs[old_slug] = new_slug
    moves = {}
    for address in vanished:
        for old_slug, new_slug in slugs.items():
            moved = re.sub(rf"/{re.escape(old_slug)}(?=[/.])", f"/{new_slug}", address)
            if moved != address and moved in served:
                moves[address] = moved
                break
    return moves


def site_redirects(settings: Settings) -> dict[str, str]:
    """The redirects the build wrote forwarding pages for (build.check_site): content/redirects.yaml, and renames
    in git whose old address has no page. Read again here (the content was checked by the build): cheap."""
    corpus = load_corpus(settings.root, MarkdownRenderer(settings.cache_path / "markdown.json"))[0]
    public = Publication.of(corpus, settings.today, False)
    urls = {page.url for page in plan_site(corpus, public, settings.per_page, {}).pages}
    explicit = load_redirects(settings.root)[0]
    return {**explicit, **rename_redirects(read_history(settings.root), urls, explicit)}


def is_page(address: str) -> bool:
    return address.endswith("/") or address.endswith(".html")


# --- the guard: addresses never vanish ---

def vanished_errors(gone: list[str], prefix: str, live: Path, root: Path) -> list[str]:
    """One message per page address the live site serves and the new release would not, with how to fix it."""
    deleted = read_history(root).deleted
    messages = []
    for address in gone:
        local = address.removeprefix(prefix)
        file, commit = deleted.get(local.lstrip("/"), (None, None))
        why = f" ({file} was deleted, {commit})" if file else ""
        title = _title_of(file_of(live / rel.SITE, prefix, address))
        messages.append(
            f"{address} is served by the live site but would no longer be{why}.\n"
            f"    How to fix: say what happens to it. If another page replaces it, add to content/redirects.yaml:\n"
            f"        - from: {local}\n          to: /<the new address>/\n"
            f"    If nothing replaces it, add to content/gone.yaml (a page 'niet meer beschikbaar' with similar "
            f"vacancies):\n        - url: {local}\n          title: {title}\n"
            f"    Or keep the content file (an expired vacancy keeps its page).")
    return messages


def _title_of(page: Path) -> str:
    """The live page's title, to fill in the suggested gone entry."""
    try:
        found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
    except OSError:
        found = None
    return found.group(1).split(" | ")[0].strip() if found else "<what the page was called>"


# --- publish and rollback ---

@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One publish or rollback at a time (an hourly timer and an operator may meet)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".publish.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"Another publish or rollback is running in {folder}; try again when it is done.") \
                from None
        yield


def switch(folder: Path, release: Path) -> None:
    """Point DIR/current at the release in one atomic rename (a relative link: DIR may move)."""
    tmp = folder / f".{rel.CURRENT}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(release.relative_to(folder))
    os.replace(tmp, folder / rel.CURRENT)


def _write_json(path: Path, data: dict) -> None:
    write_if_changed(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _new_name(folder: Path, now: dt.datetime) -> str:
    base = now.strftime("%Y%m%dT%H%M%SZ")
    name, n = base, 1
    while (folder / rel.RELEASES / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _files(site: Path, suffixes: tuple[str, ...], under: str = "") -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / under).rglob("*")
            if p.suffix in suffixes and p.is_file()} if (site / under).is_dir() else set()


def file_of(site: Path, prefix: str, address: str) -> Path:
    """The file that serves an address of addresses()."""
    local = address.removeprefix(prefix).lstrip("/")
    return site / local / "index.html" if local == "" or local.endswith("/") else site / local


def _summary(name: str, prefix: str, new_site: Path, live_site: Path | None, new: list[str], old: list[str],
             moved: dict[str, str], compressed: int) -> Summary:
    new_pages, old_pages = {a for a in new if is_page(a)}, {a for a in old if is_page(a)}

    def inode(site: Path, address: str) -> int | None:
        path = file_of(site, prefix, address)
        return path.stat().st_ino if path.is_file() else None

    changed = sorted(a for a in new_pages & old_pages if live_site and inode(new_site, a) != inode(live_site, a))
    feeds_new, feeds_old = _files(new_site, FEED_SUFFIXES), _files(live_site, FEED_SUFFIXES) if live_site else set()
    feeds_changed = sum(1 for f in feeds_new if f not in feeds_old
                        or (new_site / f).stat().st_ino != (live_site / f).stat().st_ino)
    slides_new = _files(new_site, SLIDE_SUFFIXES, "signage")
    slides_old = _files(live_site, SLIDE_SUFFIXES, "signage") if live_site else set()
    return Summary(name, {"added": sorted(new_pages - old_pages), "changed": changed,
                          "removed": sorted(old_pages - new_pages)},
                   {"total": len(feeds_new), "changed": feeds_changed},
                   {"total": len(slides_new), "added": len(slides_new - slides_old)}, len(moved), compressed,
                   removed_files=vanished_data(old, new, moved))


def vanished_data(old: list[str], new: list[str], moved: dict[str, str]) -> list[str]:
    """Feeds, calendars and data files the live release served that this one does not, nor redirects: a
    newsletter tool or calendar asks for them again and again."""
    return sorted(a for a in set(old) - set(new) - set(moved) if not is_page(a)
                  and a.endswith((".xml", ".ics", ".json")) and "/pagefind/" not in a)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split() if path.is_file() else []


# The production build (cli.build_site for one project and its publishconf.py): build(output, **Pelican settings).
Build = Callable[..., object]


def publish(settings: Callable[[], Settings], build: Build, folder: Path, keep: int = DEFAULT_KEEP,
            reload_command: str | None = None) -> Summary:
    """Publish the content as a new live release of `folder`; raise PublishError (and record it in
    last-publish.json) when anything is wrong before the switch. `settings` reads the production settings (called
    inside, so that a settings error is recorded too); the command line passes both functions."""
    folder = folder.absolute()
    started = time.perf_counter()
    with _locked(folder):
        now = _utc_now()
        try:
            summary = _publish(settings(), build, folder, keep, now)
            summary.seconds = time.perf_counter() - started
        except (PublishError, SettingsError, OSError) as exc:  # a full disk, a settings typo: recorded too
            reason = str(exc) if isinstance(exc, PublishError) else f"{type(exc).__name__}: {exc}"
            _write_json(folder / rel.LAST_PUBLISH, {"time": now.isoformat(), "ok": False, "reason": reason,
                                                    "live": rel.live_name(folder)})
            raise PublishError(reason) from exc
        record = {"time": now.isoformat(), "ok": True, "reason": "", "live": summary.release,
                  "pages_added": len(summary.pages["added"]), "pages_changed": len(summary.pages["changed"])}
        if reload_command:  # the release is live already: a failed reload is reported, not undone
            problem = run_reload(reload_command)
            if problem:
                record.update(ok=False, reason=f"Published {summary.release}, but {problem}")
                _write_json(folder / rel.LAST_PUBLISH, record)
                raise PublishError(record["reason"])
        _write_json(folder / rel.LAST_PUBLISH, record)
        return summary


def _publish(settings: Settings, build: Build, folder: Path, keep: int, now: dt.datetime) -> Summary:
    prefix = urlsplit(settings.site_url).path.rstrip("/")
    live = rel.live_release(folder)
    staging = folder / rel.RELEASES / STAGING
    if staging.exists():  # left by a publish that stopped
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    if live:
        link_copy(live, staging)
    else:
        staging.mkdir()
    site, intranet = staging / rel.SITE, staging / rel.INTRANET
    try:
        with counting(site, intranet) as tally:
            # New short codes go into the server's own ledger: the checkout stays as `git pull` left it.
            outside = {"HH_STAFF_OUTPUT": str(intranet), "HH_SHORT_LINKS_STATE": str(folder / rel.SHORT_LINKS)}
            if not settings.staff_url:  # not the build folder, which is renamed: where the live one will be
                outside["HH_STAFF_URL"] = (folder / rel.CURRENT / rel.INTRANET).as_uri()
            build(site, DELETE_OUTPUT_DIRECTORY=False, **outside)
    except ContentErrors as exc:  # the build checks all content first, as `hasselthelpt check` does
        shutil.rmtree(staging)
        raise PublishError(f"The content has {len(exc.errors)} error(s); the live site is unchanged. Fix them "
                           "('hasselthelpt check' lists them too):\n" + "\n".join(map(str, exc.errors))) from None
    except Exception as exc:  # Pelican's fatal warnings, a failing Pagefind...: the reason, not a traceback
        shutil.rmtree(staging)
        raise PublishError(f"The build failed ({type(exc).__name__}: {exc}); the live site is unchanged.") from exc
    for output in (site, intranet):
        if output.is_dir():
            prune(output, tally.paths)
    new = addresses(site, prefix)
    old = _lines(live / rel.ADDRESSES) if live else []
    redirects = {f"{prefix}/{source}": f"{prefix}/{target}" for source, target in site_redirects(settings).items()}
    redirects.update(moved_with(redirects, sorted(set(old) - set(new)), set(new)))
    vanished = sorted(a for a in set(old) - set(new) if is_page(a) and a not in redirects)
    if vanished:
        messages = vanished_errors(vanished, prefix, live, settings.root)
        shutil.rmtree(staging)
        raise PublishError(f"{len(vanished)} published address(es) would vanish; the live site is unchanged.\n"
                           + "\n".join(messages))
    # Feeds and data no page or redirect replaces answer 410 Gone, in this release and every later one.
    gone = sorted((set(_lines(live / rel.GONE) if live else []) | set(vanished_data(old, new, redirects)))
                  - set(new) - set(redirects))
    # Files of the copy are the live release's too: replace them (files.py), never write into them.
    write_if_changed(staging / rel.REDIRECTS, nginx_rules(redirects, gone).encode("utf-8"))
    write_if_changed(staging / rel.GONE, "".join(a + "\n" for a in gone).encode("utf-8"))
    compressed = compress(site, live / rel.SITE if live else None)
    compressed += compress(intranet, live / rel.INTRANET if live else None) if intranet.is_dir() else 0
    write_if_changed(staging / rel.ADDRESSES, "".join(a + "\n" for a in new).encode("utf-8"))
    name = _new_name(folder, now)
    summary = _summary(name, prefix, site, live / rel.SITE if live else None, new, old, redirects, compressed)
    _write_json(staging / rel.RELEASE_JSON, {
        "release": name, "time": now.isoformat(), "commit": _commit(settings.root),
        "counts": {"addresses": len(new), "pages": sum(map(is_page, new)), "feeds": summary.feeds["total"],
                   "slides": summary.slides["total"], "redirects": len(redirects)},
        "pages": {k: len(v) for k, v in summary.pages.items()}})
    release = folder / rel.RELEASES / name
    os.rename(staging, release)
    switch(folder, release)
    _remove_old(folder, keep)
    return summary


def _remove_old(folder: Path, keep: int) -> None:
    """Keep the newest `keep` releases, and the live one whatever its age (after a rollback it is older)."""
    live = rel.live_release(folder)
    for old in rel.all_releases(folder)[:-keep]:
        if old != live:
            shutil.rmtree(old)


def run_reload(command: str) -> str | None:
    """Run the reload hook (e.g. 'sudo systemctl reload nginx'); what went wrong, or None."""
    try:
        result = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=RELOAD_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the reload command {command!r} could not run: {exc}"
    if result.returncode:
        return f"the reload command {command!r} failed (exit {result.returncode}): {result.stderr.strip()}"
    return None


def rollback(folder: Path, reload_command: str | None = None) -> str:
    """Make the release before the live one live again; returns its name."""
    folder = folder.absolute()
    with _locked(folder):
        live, all_ = rel.live_release(folder), rel.all_releases(folder)
        older = [r for r in all_ if live is None or r.name < live.name]
        if not older:
            raise PublishError(f"There is no release before {live.name if live else 'none'} in {folder} to roll "
                               "back to.")
        switch(folder, older[-1])
        record = {"time": _utc_now().isoformat(), "ok": True, "live": older[-1].name,
                  "reason": f"Rolled back from {live.name if live else 'none'} to {older[-1].name}."}
        problem = run_reload(reload_command) if reload_command else None
        if problem:
            record.update(ok=False, reason=f"{record['reason']} But {problem}")
        _write_json(folder / rel.LAST_PUBLISH, record)  # the health answer tells monitoring about it
    if problem:
        raise PublishError(record["reason"])
    return older[-1].name
