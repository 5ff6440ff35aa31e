"""Short addresses for paper: `/k/<code>/` redirects to a page with a campaign tag (`?bron=print-poster`).

The ledger `content/short-links.yaml` (in git) holds every code ever handed out, with its address and tag; the
build appends new ones and never changes or removes a line, so a printed code keeps working for good. On the
server, `publish` keeps the codes it hands out in a ledger of its own beside the releases (HH_SHORT_LINKS_STATE):
the checkout stays as git left it, so the next `git pull` never meets a local change. A code
is four characters from an alphabet without look-alikes (no 0/o, 1/l/i), derived from a hash of the address and
tag: the same item gets the same code on every machine. Codes are lower case; the build also writes the upper-case
address, so a code typed in capitals works on a static host (case-insensitive without server rules).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.loading import ContentError, key_lines, load_yaml
from ..incremental import file_key
from ..settings import SHORT_LINK_LEDGER

LEDGER = SHORT_LINK_LEDGER
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # 31 characters: no 0, 1, i, l, o
LENGTH = 4  # 31**4 = 923,521 codes
PREFIX = "k/"
CODE_RE = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")
LEDGER_HEADER = ("# Short addresses printed on paper (posters, the market-stall list, the welcome pack, the staff\n"
                 "# magazine): /k/<code>/ sends to url with ?bron=<bron>. The build adds a line for each new printed\n"
                 "# item. Never change or remove a line: the code is on paper. When a page goes, add a redirect for\n"
                 "# its url in content/redirects.yaml.\n")


@dataclass(frozen=True)
class ShortLink:
    code: str
    url: str  # site-relative, with a trailing slash: vacatures/kok/
    bron: str  # campaign tag: print-poster, print-markt...
    since: dt.date

    @property
    def path(self) -> str:
        return f"{PREFIX}{self.code}/"

    @property
    def target(self) -> str:
        return f"{self.url}?bron={self.bron}"


def code_for(url: str, bron: str, taken: set[str]) -> str:
    """The first code from the hash chain of (url, bron) that is not taken: deterministic, and never one in use."""
    for attempt in range(1000):
        digest = int.from_bytes(hashlib.sha256(f"{attempt}:{url}?bron={bron}".encode()).digest()[:8], "big")
        code = ""
        for _ in range(LENGTH):
            digest, index = divmod(digest, len(ALPHABET))
            code += ALPHABET[index]
        if code not in taken:
            return code
    raise RuntimeError("no free short code")  # only with nearly a million codes in use


def load_ledger(root: Path, server: Path | None = None) -> tuple[list[ShortLink], list[ContentError]]:
    """The codes of the project's ledger, then those of the server's own ledger (HH_SHORT_LINKS_STATE) that git
    does not hold yet; a code in both must lead to the same place."""
    links, errors = _read_ledger(root / LEDGER, LEDGER)
    if server is None:
        return links, errors
    more, more_errors = _read_ledger(server, str(server))
    known = {link.code: link for link in links}
    for link in more:
        if link.code not in known:
            links.append(link)
        elif (known[link.code].url, known[link.code].bron) != (link.url, link.bron):
            more_errors.append(ContentError(str(server), "code", f"'{link.code}' leads to /{link.url} here but to "
                                            f"/{known[link.code].url} in {LEDGER}", "Keep the line of the paper that "
                                            "was printed first; give the other item a new code."))
    return links, errors + more_errors


def _read_ledger(path: Path, name: str) -> tuple[list[ShortLink], list[ContentError]]:
    """A ledger file's codes and errors; parsed again only when the file changed (a build reads it several times,
    and at city scale it has thousands of lines)."""
    state = (name, *file_key(path))
    known = _parsed.get(str(path))
    if known is None or known[0] != state:
        known = _parsed[str(path)] = (state, _parse_ledger(path, name) if path.is_file() else ([], []))
    links, errors = known[1]
    return list(links), list(errors)


_parsed: dict[str, tuple] = {}  # path -> (name, size, times, inode when parsed), (links, errors)


def _parse_ledger(path: Path, name: str) -> tuple[list[ShortLink], list[ContentError]]:
    text = path.read_text(encoding="utf-8")
    data, errors = load_yaml(text, name)
    if errors:
        return [], errors
    lines = key_lines(text)
    links, seen = [], {}
    for i, entry in enumerate(data or []):
        line = lines.get(f"[{i}].code")
        fields = entry if isinstance(entry, dict) else {}
        code, url, bron, since = (fields.get(k) for k in ("code", "url", "bron", "since"))
        if isinstance(code, int) and not isinstance(code, bool):  # an all-digit code written unquoted: 7423
            code = str(code)
        try:
            since = dt.date.fromisoformat(str(since))
        except ValueError:
            since = None
        if not (isinstance(code, str) and CODE_RE.match(code) and isinstance(url, str) and isinstance(bron, str)
                and since):
            errors.append(ContentError(name, f"[{i}]", "is not a code of 4 characters with url, bron and since",
                                       "Undo the change to this line: the build writes this file.", line))
            continue
        if code in seen:
            errors.append(ContentError(name, f"[{i}].code", f"'{code}' is used twice (also line {seen[code]})",
                                       "Undo the change: a code is never reused.", line))
            continue
        seen[code] = line
        links.append(ShortLink(code, normalise(url), bron, since))
    return links, errors


def normalise(url: str) -> str:
    url = url.strip().lstrip("/")
    return url if not url or url.endswith("/") else url + "/"


def assign(ledger: list[ShortLink], wanted: list[tuple[str, str]], today: dt.date) -> list[ShortLink]:
    """The new ledger entries for the (url, bron) pairs that have no code yet, in the order asked."""
    known = {(link.url, link.bron) for link in ledger}
    taken = {link.code for link in ledger}
    new = []
    for url, bron in wanted:
        if (url, bron) in known:
            continue
        code = code_for(url, bron, taken)
        taken.add(code)
        known.add((url, bron))
        new.append(ShortLink(code, url, bron, today))
    return new


def append_ledger(root: Path, new: list[ShortLink], server: Path | None = None) -> None:
    """Append lines to the project's ledger, or to the server's own one when there is one (a checkout that `git
    pull` updates must not change); earlier lines, comments included, stay byte for byte."""
    if not new:
        return
    path = server or root / LEDGER
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.is_file() else LEDGER_HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    rows = "".join(f"- code: '{link.code}'\n  url: /{link.url}\n  bron: {link.bron}\n  since: {link.since.isoformat()}\n"
                   for link in new)  # quoted: a code can be all digits; addresses and tags are slugs
    path.write_text(text + rows, encoding="utf-8")


def check_ledger(links: list[ShortLink], page_urls: set[str], redirects: dict[str, str]) -> list[ContentError]:
    """A code whose page is gone: printed, so it needs a redirect or a gone entry."""
    return [ContentError(LEDGER, "url", f"'{link.url}' (code {link.code}) no longer leads to a page",
                         f"Keep the content file, add a redirect for '/{link.url}' in content/redirects.yaml, or a "
                         f"'no longer available' page for it in content/gone.yaml.")
            for link in links if link.url not in page_urls and link.url not in redirects]


def redirect_paths(link: ShortLink) -> list[str]:
    """The folders that answer for a code: lower case as printed, and upper case as some people type it."""
    return list(dict.fromkeys([f"{PREFIX}{link.code}/", f"{PREFIX}{link.code.upper()}/"]))  # one for 7423
