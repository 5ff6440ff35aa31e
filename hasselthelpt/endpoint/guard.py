"""Defences against abuse: form tokens (minimum fill time), the per-client rate limit (kept in the database,
so every worker and instance counts together), the cross-site check and the client's address.

Form tokens. The pages are static, so a page cannot carry the time it was shown. The form script
(theme/static/js/forms.js) asks GET /api/formtoken for a token when the page loads: the time of issue, signed
with HMAC-SHA256 (HH_SECRET). A form sent with a valid token younger than HH_MIN_FILL_SECONDS is refused (a
bot, or a person who needs to wait a moment). Without JavaScript there is no token; such a form is accepted
(leniently), as are tokens that are too old or no longer valid (a key changed at a restart): the honeypot, the
rate limit and the cross-site check still apply. So a person is never stopped by the token, a fast bot is.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import hmac
import threading
import time
from typing import Callable, Mapping
from urllib.parse import urlsplit

TOKEN_MAX_AGE = 24 * 3600  # older tokens count as missing: a tab left open overnight still works


class FormTokens:
    def __init__(self, secret: bytes, clock: Callable[[], float] = time.time):
        self._secret, self._clock = secret, clock

    def _sign(self, issued: int) -> str:
        return hmac.new(self._secret, f"v1.{issued}".encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        issued = int(self._clock())
        return f"v1.{issued}.{self._sign(issued)}"

    def age(self, token: str) -> float | None:
        """Seconds since the token was issued; None when it is missing, forged, from the future or too old."""
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != "v1" or not parts[1].isdigit() or len(parts[1]) > 12:
            return None
        issued = int(parts[1])
        if not hmac.compare_digest(parts[2], self._sign(issued)):
            return None
        age = self._clock() - issued
        return age if -60 <= age <= TOKEN_MAX_AGE else None


class RateLimiter:
    """At most `limit` hits per `window` seconds per client (a sliding window), kept in this process's memory.

    Each gunicorn worker would keep its own count, so the endpoint uses StoredRateLimiter; this one is for
    callers that have no database."""

    MAX_CLIENTS = 50_000  # memory bound: the oldest clients are forgotten first

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self._clock = limit, window, clock
        self._hits: collections.OrderedDict[str, collections.deque] = collections.OrderedDict()
        self._lock = threading.Lock()

    def hit(self, client: str) -> float:
        """Count one hit; returns 0 when allowed, else the seconds to wait."""
        now = self._clock()
        with self._lock:
            hits = self._hits.pop(client, None) or collections.deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            self._hits[client] = hits  # most recent last
            while len(self._hits) > self.MAX_CLIENTS:
                self._hits.popitem(last=False)
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - now, 1.0)
            hits.append(now)
            return 0.0


class StoredRateLimiter:
    """At most `limit` hits per `window` seconds per client, counted in the database (Storage.rate_hit): all
    workers of an instance, and all instances on one PostgreSQL, share one count. The database keeps only a
    fingerprint of the client's address. A write per post: posts are rare, page views never reach here."""

    def __init__(self, storage, limit: int, window: float, clock: Callable[[], dt.datetime]):
        self.storage, self.limit, self.window, self._clock = storage, limit, window, clock

    def hit(self, client: str) -> float:
        """Count one hit; returns 0 when allowed, else the seconds to wait."""
        key = hashlib.sha256(f"rate-limit|{client}".encode()).hexdigest()[:32]
        return self.storage.rate_hit(key, self._clock(), self.limit, self.window)


def client_address(environ: Mapping[str, str], trusted_proxies: int) -> str:
    """The client's address: the connection's, or the one the n-th trusted proxy saw (X-Forwarded-For)."""
    if trusted_proxies:
        forwarded = [a.strip() for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return environ.get("REMOTE_ADDR", "")


def cross_site(environ: Mapping[str, str], allowed_origins: tuple[str, ...]) -> bool:
    """True when a state-changing request comes from another site (the header-based check of Go's
    CrossOriginProtection): an allowed Origin passes; else Sec-Fetch-Site decides when the browser sends it
    (same-origin, or none for a request the user made); else the Origin must match the Host; a request with
    neither header is not from a browser form on another site."""
    origin = environ.get("HTTP_ORIGIN")
    if origin and origin in allowed_origins:
        return False
    fetch_site = environ.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    if origin is None:
        return False
    return urlsplit(origin).netloc != environ.get("HTTP_HOST", "")
