"""`hasselthelpt serve --editor`: the web editor on a laptop, against the local checkout (docs/editor.md).

- **decap-server** (Decap's local backend, npm package decap-server pinned in package.json) runs beside the dev
  server on 127.0.0.1, in its file mode: a save in the editor writes the file into the checkout, and the dev
  server's watcher (hasselthelpt/live.py) rebuilds as after any other edit.
- **/admin/** is served by the dev server itself, never from the output folder, so the editor keeps working while
  the last build failed: the page (theme/templates/admin.html), Decap's files from node_modules, and a config.yml
  with the local backend (editor_config.config(local=...)), without the editorial workflow, which decap-server's
  file mode does not have.
- **/__hh/fouten/** lists the content errors of the last build (file, line, field, what is wrong, how to fix it,
  and a link to the entry in the editor), or says there are none; `.json` beside it gives the same as data. The
  editor's previews link to it. While the build fails every other page shows the same errors (live.py).
- The previews' photos: /admin/images/... from content/images/ (Decap asks for an image field's path there).
"""

from __future__ import annotations

import atexit
import json
import mimetypes
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterable

from . import brand, security
from .content.schema import CONTENT_TYPES
from .editor_config import COLLECTIONS, EDITOR_FOLDER, MEDIA_FOLDER, PUBLIC_FOLDER, config_yaml
from .live import DEV_THEME, MOUNT, SCRIPT, LiveBuilds, State, _send
from .outputs.editor import decap_files, decap_folder, index_html
from .settings import Settings

ERRORS_PAGE = f"{MOUNT}/fouten/"
ERRORS_JSON = f"{MOUNT}/fouten.json"
DEFAULT_PORT = 8081  # decap-server's own default
DECAP_SERVER = Path("node_modules") / ".bin" / "decap-server"


def decap_server_command(settings: Settings) -> list[str]:
    """node_modules/.bin/decap-server of the project or of this package's checkout, else `npx decap-server`."""
    for root in (settings.root, Path(__file__).resolve().parents[1]):
        if (root / DECAP_SERVER).is_file():
            return [str(root / DECAP_SERVER)]
    npx = shutil.which("npx")
    if not npx:
        raise FileNotFoundError("decap-server is missing: run `npm ci` (or `make deps`).")
    return [npx, "--no-install", "decap-server"]


def start_decap_server(settings: Settings, port: int) -> subprocess.Popen:
    """decap-server on 127.0.0.1:port, writing below the project folder; stopped when this process ends."""
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(settings.root), "LOG_LEVEL": "warn"}
    process = subprocess.Popen(decap_server_command(settings), cwd=settings.root, env=env,
                               stdout=sys.stderr, stderr=sys.stderr)

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()

    atexit.register(stop)
    return process


def editor_link(path: str) -> str | None:
    """The editor's address of the entry in a content file, e.g. /admin/#/collections/vacatures/entries/x."""
    folder, _, name = path.rpartition("/")
    for type_name, (collection, _) in COLLECTIONS.items():
        ctype = CONTENT_TYPES[type_name]
        if folder == ctype.folder and name.endswith(ctype.suffix):
            return f"/{EDITOR_FOLDER}/#/collections/{collection}/entries/{name[:-len(ctype.suffix)]}"
    return None


class EditorLiveBuilds(LiveBuilds):
    """LiveBuilds, plus the editor below /admin/ and the error list, for `serve --editor`."""

    def __init__(self, project: Path, output: Path, settings: Settings, decap_port: int = DEFAULT_PORT, **kwargs):
        super().__init__(project, output, **kwargs)
        self.settings, self.decap_port = settings, decap_port
        self.local_api = f"http://127.0.0.1:{decap_port}/api/v1"
        self._decap = {p.name: p for p in decap_files(decap_folder(settings))}

    def start_editor(self) -> subprocess.Popen:
        return start_decap_server(self.settings, self.decap_port)

    def editor_headers(self) -> list[tuple[str, str]]:
        local = f"http://127.0.0.1:{self.decap_port} http://localhost:{self.decap_port}"
        directives = {**security.EDITOR_DIRECTIVES,
                      "connect-src": f"{security.EDITOR_DIRECTIVES['connect-src']} {local}"}
        return [("Content-Security-Policy", "; ".join(f"{k} {v}" for k, v in directives.items()))]

    def errors_page(self, state: State) -> bytes:
        from jinja2 import Environment, FileSystemLoader

        env = Environment(loader=FileSystemLoader(str(self.project.joinpath(*DEV_THEME))), autoescape=True)
        errors = [{**e, "editor": editor_link(e["path"])} for e in state.errors]
        return env.get_template("content-errors.html").render(
            errors=errors, failure=state.failure, build=state.number, script=f"/{SCRIPT}",
            name=brand.NAME).encode("utf-8")

    def app(self, site: Callable) -> Callable:
        live = super().app(site)

        def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
            path = (environ.get("PATH_INFO") or "/").lstrip("/")
            if path == ERRORS_PAGE.rstrip("/"):
                start_response("301 Moved Permanently", [("Location", "/" + ERRORS_PAGE), ("Content-Length", "0")])
                return [b""]
            if path == ERRORS_PAGE:
                return _send(start_response, "200 OK", "text/html", self.errors_page(self.state))
            if path == ERRORS_JSON:
                state = self.state
                body = json.dumps({"build": state.number, "errors": state.errors, "failure": state.failure},
                                  ensure_ascii=False).encode("utf-8")
                return _send(start_response, "200 OK", "application/json", body)
            if path == EDITOR_FOLDER:
                start_response("301 Moved Permanently", [("Location", f"/{EDITOR_FOLDER}/"), ("Content-Length", "0")])
                return [b""]
            if path.startswith(EDITOR_FOLDER + "/"):
                return self._editor_file(path[len(EDITOR_FOLDER) + 1:], start_response)
            return live(environ, start_response)

        return serve

    def _photo(self, name: str) -> Path | None:
        """A photo below content/images, as the previews ask for it (/admin/images/...: Decap reads a path of an
        image field relative to the editor's page). Never a file outside that folder."""
        folder = (self.settings.root / MEDIA_FOLDER).resolve()
        target = (self.settings.root / "content" / name).resolve()
        return target if target.is_file() and folder in target.parents else None

    def _editor_file(self, name: str, start_response: Callable) -> Iterable[bytes]:
        if name in ("", "index.html"):
            body, kind = index_html(self.settings, "", errors_url="/" + ERRORS_PAGE).encode("utf-8"), "text/html"
        elif name == "config.yml":
            body, kind = config_yaml(self.settings, local=self.local_api).encode("utf-8"), "text/yaml"
        elif name.startswith(PUBLIC_FOLDER + "/") and (photo := self._photo(name)) is not None:
            body, kind = photo.read_bytes(), mimetypes.guess_type(photo.name)[0] or "application/octet-stream"
        elif name in self._decap:
            source = self._decap[name]
            body = source.read_bytes()
            kind = "application/wasm" if source.suffix == ".wasm" else (
                "text/plain" if source.suffix == ".txt" else "application/javascript")
        else:
            return _send(start_response, "404 Not Found", "text/plain", b"Not found\n")
        binary = kind == "application/wasm" or kind.startswith("image/")
        headers = [("Content-Type", kind if binary else f"{kind}; charset=utf-8"),
                   ("Content-Length", str(len(body))), ("Cache-Control", "no-store"), *self.editor_headers()]
        start_response("200 OK", headers)
        return [body]
