"""The HTTP security headers of the site, in one place: `hasselthelpt serve` sends them (`with_headers`), and
`hasselthelpt security-headers --nginx` writes the same headers as an nginx snippet for production.

The Content-Security-Policy allows only the site's own files: no inline script (the theme's scripts are files in
theme/static/js; JSON-LD is data, not script), no inline event handlers, no style attributes. The one inline
<style> of each page, the brand colours (brand.css_variables), is allowed by its hash. Pagefind's search runs
WebAssembly, hence 'wasm-unsafe-eval' (which allows compiling WebAssembly, not JavaScript eval).

The widget (/widget/...) is made to be embedded in other sites' iframes: it has no script at all and its own small
inline stylesheet, so it gets its own policy with frame-ancestors * and no X-Frame-Options. So do the signage
pages (/signage/...), which players may show in an iframe: their one script and style are allowed by hash.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Callable, Iterable

from . import brand
from .editor_config import EDITOR_FOLDER
from .signage import output as signage

def style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii") + "'"


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


SITE_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": f"'self' {style_hash(brand.css_variables())}",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
SITE_CSP = _policy(SITE_DIRECTIVES)
# The intranet's staff page (outputs/staff.py) has one inline stylesheet of its own, from the brand colours, and
# no script: its host allows inline styles, nothing more.
STAFF_CSP = _policy({**SITE_DIRECTIVES, "style-src": "'self' 'unsafe-inline'"})
WIDGET_CSP = _policy({
    "default-src": "'none'",
    "style-src": "'unsafe-inline'",  # its one <style>; the widget has no script and no text from Markdown
    "img-src": "'self'",
    "font-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'none'",
    "frame-ancestors": "*",
})
SIGNAGE_CSP = _policy({
    "default-src": "'none'",
    "script-src": style_hash(signage.SLIDESHOW_SCRIPT),
    "style-src": f"{style_hash(signage.SLIDESHOW_STYLE)} {style_hash(signage.INDEX_STYLE)}",
    "img-src": "'self'",
    "connect-src": "'self'",  # the slideshow asks its playlist whether a new build is out
    "base-uri": "'none'",
    "form-action": "'none'",
    "frame-ancestors": "*",  # players such as Xibo show a web page in an iframe
})
# The web editor (/admin/, hasselthelpt/outputs/editor.py) is Decap CMS, a React application: its styles are
# inserted at run time (CSS-in-JS, hence 'unsafe-inline' for styles only), photos it shows before they are saved
# are blob: and data: addresses (which it also reads back to upload them), and it talks to the git host's API
# (any https address: which host is the setting HH_EDITOR_BACKEND). Its scripts are still only its own files,
# but Decap checks its configuration with Ajv, which compiles each JSON Schema into a function at run time:
# 'unsafe-eval', for /admin/ only. Only signed-in editors use it.
EDITOR_DIRECTIVES = {
    **SITE_DIRECTIVES,
    "script-src": "'self' 'unsafe-eval' 'wasm-unsafe-eval'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' blob: data: https:",
    "media-src": "'self' blob:",
    "connect-src": "'self' blob: https:",
    "frame-src": "'self' blob:",
    "base-uri": "'self'",
}
EDITOR_CSP = _policy(EDITOR_DIRECTIVES)
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
}
SITE_HEADERS = {"Content-Security-Policy": SITE_CSP, "X-Frame-Options": "DENY", **COMMON}
STAFF_HEADERS = {**SITE_HEADERS, "Content-Security-Policy": STAFF_CSP}
# The folders with a policy of their own: made to be shown inside other sites and players.
SECTIONS = {
    "widget": {"Content-Security-Policy": WIDGET_CSP, **COMMON},
    signage.FOLDER: {"Content-Security-Policy": SIGNAGE_CSP, **COMMON},
    EDITOR_FOLDER: {"Content-Security-Policy": EDITOR_CSP, "X-Frame-Options": "DENY", **COMMON},
}


def headers(path: str, site_path: str = "") -> dict[str, str]:
    """The security headers of the response at URL path `path`, for a site below `site_path` ("" at the root
    of its host, or e.g. "/hasselthelpt")."""
    for folder, found in SECTIONS.items():
        if path.startswith(f"{site_path.rstrip('/')}/{folder}/"):
            return found
    return SITE_HEADERS


WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def with_headers(app: WSGIApp, site_path: str = "") -> WSGIApp:
    """Add the security headers to every response of a WSGI app (headers the app sets itself stay)."""

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("SCRIPT_NAME", "") + (environ.get("PATH_INFO") or "/")

        def start(status, response_headers, exc_info=None):
            own = {name.lower() for name, _ in response_headers}
            extra = [(k, v) for k, v in headers(path, site_path).items() if k.lower() not in own]
            return start_response(status, [*response_headers, *extra], exc_info)

        return app(environ, start)

    return wrapped


def nginx(site_path: str = "", site_headers: dict[str, str] = SITE_HEADERS) -> str:
    """The headers as an nginx snippet for the server { } block of the site (the sections' sets chosen by URL);
    `site_headers` for the pages outside the sections (STAFF_HEADERS on the intranet's host)."""
    site_path = site_path.rstrip("/")
    names = list(dict.fromkeys([*site_headers, *(n for found in SECTIONS.values() for n in found)]))
    variable = {name: "$hh_" + name.lower().replace("-", "_") for name in names}
    lines = [
        "# The security headers of HASSELT Helpt. Made by `hasselthelpt security-headers --nginx` from",
        "# hasselthelpt/security.py: do not edit, run the command again. Include it in the server { } block.",
        "# nginx drops these in a location that has add_header lines of its own: include it there too.",
        "# An empty value sends no header (the widget, embedded in other sites, has no X-Frame-Options).",
    ]
    lines += [f'set {variable[n]} "{site_headers.get(n, "")}";' for n in names]
    for folder, found in SECTIONS.items():
        lines.append(f'if ($uri ~ "^{site_path}/{folder}/") {{')
        lines += [f'    set {variable[n]} "{found.get(n, "")}";' for n in names
                  if found.get(n, "") != site_headers.get(n, "")]
        lines.append("}")
    lines += [f"add_header {n} {variable[n]} always;" for n in names]
    return "\n".join(lines) + "\n"
