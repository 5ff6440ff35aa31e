"""Search and matcher at two scales: the Pagefind index on disk and what a visitor's browser downloads.

    .venv/bin/python bench/search_bench.py [--scale 1.0] [--seed 1] [--skip-sample] [--skip-city]

For the repo's sample content and for the generated city-scale corpus (bench/corpus.py: 654 organisations, 1,500
vacancies, 400 stories at --scale 1.0): a production build served on 127.0.0.1 below /hasselthelpt/, then
- the index on disk: output/pagefind/, in total and per kind of file, and the time Pagefind takes alone;
- in headless Chromium (fresh profile, no cache), every response below /pagefind/ counted in bytes (Pagefind's
  index files and its WebAssembly are gzip files already, so these are the bytes on the wire; its two scripts
  would shrink further with the server's gzip, shown as "gzip"):
  (1) opening /zoeken/ until the first ten results show (script, WebAssembly, index entry, filters, ten
      result fragments), (2) then a first word search ("koken"), (3) a filter after that;
- the matcher: the size of matcher/data.json, which the matcher page loads on the first "Toon mijn matches";
- our own scripts, raw and gzipped.
Not a test: nothing is asserted. Work files go to bench-output/search/ (ignored by git); the derived-image cache
there is kept between runs, so only the first city-scale build resizes the photos.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from benchmark import copy_repo, link_tree, log, size  # noqa: E402
from corpus import TODAY, corpus_key, ensure_corpus  # noqa: E402

WORK = REPO / "bench-output" / "search"
PREFIX = "hasselthelpt"
OWN_SCRIPTS = ("search.js", "matcher.js", "forms.js")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

_BUILD = """
import json, sys
from pathlib import Path
from hasselthelpt.cli import build_site
project, output, override = sys.argv[1:4]
build_site(Path(project), True, Path(output), **json.loads(override))
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(project: Path, output: Path, siteurl: str, cache: Path) -> float:
    override = {"HH_TODAY": TODAY.isoformat(), "SITEURL": siteurl, "HH_CACHE_PATH": str(cache)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _BUILD, str(project), str(output), json.dumps(override)], cwd=project,
                   check=True)
    return time.perf_counter() - started


def index_on_disk(bundle: Path) -> dict[str, tuple[int, int]]:
    """kind -> (files, bytes)."""
    kinds: dict[str, list[int]] = {}
    for path in bundle.rglob("*"):
        if path.is_file():
            rel = path.relative_to(bundle).as_posix()
            kind = rel.split("/")[0] if "/" in rel else ("WebAssembly" if rel.startswith("wasm.") else rel.split(".")[-1])
            kinds.setdefault(kind, []).append(path.stat().st_size)
    return {k: (len(v), sum(v)) for k, v in sorted(kinds.items())}


def pagefind_seconds(output: Path) -> float:
    from hasselthelpt.outputs.search import run_pagefind

    started = time.perf_counter()
    run_pagefind(output)
    return time.perf_counter() - started


def browse(url: str) -> dict[str, list[tuple[str, int]]]:
    """Bytes below /pagefind/ (and the matcher's data) per step of a first visit."""
    from playwright.sync_api import sync_playwright

    steps: dict[str, list[tuple[str, int]]] = {}
    current: list[tuple[str, int]] = []

    def on_response(response):
        if "/pagefind/" in response.url or response.url.endswith("/matcher/data.json"):
            try:
                current.append((response.url.split("?")[0].rsplit("/", 1)[-1], len(response.body())))
            except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body
                pass

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="nl-BE")
        page = context.new_page()
        page.on("response", on_response)

        def step(name: str, action) -> None:
            nonlocal current
            current = []
            before = page.get_attribute("form[data-hh-search], form[data-hh-matcher]", "data-done") \
                if page.url.startswith("http") else None
            action()
            page.wait_for_function("b => { const f = document.querySelector('form[data-done]');"
                                   " return f && f.getAttribute('data-done') !== b; }", arg=before, timeout=60_000)
            page.wait_for_load_state("networkidle")
            steps[name] = current

        step("open /zoeken/ (first 10 results, counts)", lambda: page.goto(url + "zoeken/"))
        step("then search 'koken'", lambda: (page.fill("#zoekterm", "koken"), page.press("#zoekterm", "Enter")))
        step("then filter thema=jeugd", lambda: page.check("input[name=thema][value=jeugd]"))
        page.goto(url + "matcher/")
        page.wait_for_selector("form[data-hh-matcher]:not([hidden])")
        page.check("#m-talents-koken")
        step("matcher: first 'Toon mijn matches'", lambda: page.click("text=Toon mijn matches"))
        browser.close()
    return steps


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def report(name: str, output: Path, build_s: float, steps: dict, pagefind_s: float, pages: int) -> list[str]:
    bundle = output / "pagefind"
    on_disk = index_on_disk(bundle)
    total = sum(b for _, b in on_disk.values())
    lines = [f"## {name}: {pages} pages indexed; production build {build_s:.1f} s, of which Pagefind alone "
             f"{pagefind_s:.2f} s", "",
             f"Index on disk (output/pagefind/): {sum(n for n, _ in on_disk.values())} files, {size(total)} "
             f"({total:,} bytes)", "", "| kind | files | bytes |", "|---|---|---|"]
    lines += [f"| {kind} | {n} | {b:,} |" for kind, (n, b) in on_disk.items()]
    lines += ["", "What a first visit downloads (bytes on the wire; Pagefind's scripts also with gzip):", "",
              "| step | requests | bytes | of which |", "|---|---|---|---|"]
    scripts = {p.name: p.read_bytes() for p in bundle.glob("*.js")}
    for step, responses in steps.items():
        got = sum(b for _, b in responses)
        parts = {}
        for file, b in responses:
            key = file if file.endswith((".js", ".json")) else file.split(".")[-1].replace("pf_", "")
            parts[key] = parts.get(key, 0) + b
        detail = ", ".join(f"{k} {v:,}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1]))
        zipped = sum(gz(scripts[f]) if f in scripts else b for f, b in responses)
        lines.append(f"| {step} | {len(responses)} | {got:,} (gzip {zipped:,}) | {detail} |")
    data = (output / "matcher" / "data.json").read_bytes()
    lines += ["", f"matcher/data.json: {len(data):,} bytes, gzip {gz(data):,}", ""]
    return lines


def run_site(name: str, key: str, project: Path, work: Path) -> list[str]:
    root = work / f"{key}-served"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    server, url = serve(root)
    try:
        output = root / PREFIX
        log(f"{name}: production build ...")
        build_s = build(project, output, url + PREFIX, work / "cache")
        pages = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())["languages"]["nl"]["page_count"]
        pagefind_s = pagefind_seconds(output)
        log(f"{name}: browsing ...")
        steps = browse(url + PREFIX + "/")
        return report(name, output, build_s, steps, pagefind_s, pages)
    finally:
        server.shutdown()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-sample", action="store_true")
    p.add_argument("--skip-city", action="store_true")
    p.add_argument("--work", type=Path, default=WORK)
    args = p.parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    out = ["# Search and matcher: index size and first-search bytes", ""]
    js = REPO / "theme" / "static" / "js"
    out.append("Our scripts: " + ", ".join(f"{n} {(js / n).stat().st_size:,} bytes (gzip {gz((js / n).read_bytes()):,})"
                                           for n in OWN_SCRIPTS))
    out.append("")
    if not args.skip_sample:
        sample = work / "sample-project"
        shutil.rmtree(sample, ignore_errors=True)
        sample.mkdir(parents=True)
        copy_repo(sample, with_content=True)
        out += run_site("sample content", "sample", sample, work)
    if not args.skip_city:
        shared = REPO / "bench-output" / "corpus-cache"  # benchmark.py's, when it has this corpus already
        cache = shared if (shared / corpus_key(args.seed, args.scale) / ".complete").is_file() else work / "corpus-cache"
        corpus = ensure_corpus(cache, args.seed, args.scale, log=log)
        city = work / "city-project"
        shutil.rmtree(city, ignore_errors=True)
        city.mkdir(parents=True)
        copy_repo(city, with_content=False)
        link_tree(corpus / "content", city / "content")
        link_tree(corpus / "vacancies", city / "vacancies")
        out += run_site(f"city scale (seed {args.seed}, scale {args.scale:g})", "city", city, work)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
