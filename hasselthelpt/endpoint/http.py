"""Plain HTTP for the endpoint's routes: a response, JSON answers and reading a posted form. Shared by app.py
and alerts.py, so neither imports the other."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import parse_qs

from .forms import FormError

STATUS = {200: "OK", 303: "See Other", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
          404: "Not Found", 405: "Method Not Allowed", 410: "Gone", 413: "Payload Too Large",
          415: "Unsupported Media Type", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        headers = [*self.headers, ("Content-Length", str(len(self.body))), ("Cache-Control", "no-store"),
                   ("X-Content-Type-Options", "nosniff")]
        start_response(f"{self.status} {STATUS[self.status]}", headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else self.body]


def json_response(status: int, data: dict, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode(),
                    [("Content-Type", "application/json; charset=utf-8"), *(headers or [])])


def wants_json(environ: dict) -> bool:
    return "application/json" in environ.get("HTTP_ACCEPT", "")


def read_form(environ: dict, cap: int) -> dict:
    """The posted fields: a urlencoded form or a JSON object, at most `cap` bytes."""
    too_large = FormError("Je bericht is te lang. Maak je tekst wat korter en probeer opnieuw.", status=413)
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise FormError("Het formulier kon niet gelezen worden.") from None
    if length > cap:
        raise too_large
    stream = environ["wsgi.input"]
    if length:
        body = stream.read(length)
    elif environ.get("wsgi.input_terminated"):  # chunked: read no more than the cap allows
        body = stream.read(cap + 1)
        if len(body) > cap:
            raise too_large
    else:
        body = b""
    kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    unreadable = FormError("Het formulier kon niet gelezen worden. Laad de pagina opnieuw en probeer nog eens.")
    try:
        text = body.decode("utf-8")
        if kind == "application/x-www-form-urlencoded":
            return parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=300)
        if kind == "application/json":
            data = json.loads(text)
            if isinstance(data, dict):
                return data
    except (UnicodeDecodeError, ValueError):
        raise unreadable from None
    if kind not in ("application/x-www-form-urlencoded", "application/json"):
        raise FormError("Het formulier kon niet gelezen worden: stuur het als gewoon webformulier.", status=415)
    raise unreadable
