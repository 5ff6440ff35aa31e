"""Benchmark of the HASSELT Helpt build at city scale, against plain Pelican and Hugo, plus Lighthouse.

    .venv/bin/python bench/benchmark.py [--scales 1,3] [--seed 1] [--repeat 1] [--skip-lighthouse] [--profile]

Our build (`hasselthelpt build`, HH_TODAY fixed) on a generated corpus, cold, with no change and with one vacancy
edited, each paired with a peer on the same Markdown in the same round (ours, peer, ours, peer...): plain Pelican 4
cold, Hugo cold, Hugo warm, Hugo after the same edit; then how soon a running `hasselthelpt serve` shows an
edit. Then the growth from the first scale to the last, and
Lighthouse scores of three pages of the repo's sample site. What each figure means: bench/README.md. Not a test:
nothing is asserted.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import functools
import http.server
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from corpus import TODAY, ensure_corpus  # noqa: E402
from peers import documents, edit_hugo_vacancy, hugo_command, pelican_command, write_hugo, write_pelican  # noqa: E402

VENV_BIN = Path(sys.executable).parent
WORK = REPO / "bench-output"  # ignored by git
# Never copied from the repo into a benchmark project: the package (imported from where it is installed), tools,
# caches and output. Everything else git tracks or would track (settings, theme, plugins, signage...) is copied.
NOT_COPIED = {"hasselthelpt", "node_modules", "output", "cache", "bench", "bench-output", "tests", "docs", "schema"}
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# --- Running a build and measuring it --------------------------------------------------------------------------

@dataclass
class Run:
    wall: float  # seconds
    max_rss: int  # KiB: largest single process (the build or one of its workers), from wait4()
    tree_pss: int  # KiB: largest sampled sum of PSS over the process tree (main + image workers at once)
    output: str
    written: int = 0  # files in the output folder that this run created or changed (see `build`)


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _memory_kib(pid: int) -> int:
    """Proportional set size (shared pages split between the processes that share them), else RSS."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def _sample_tree(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.wait(0.1):
        children = _children_map()
        todo, total = [pid], 0
        while todo:
            p = todo.pop()
            total += _memory_kib(p)
            todo += children.get(p, [])
        peak[0] = max(peak[0], total)


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run cmd in a subprocess; its wall time, its peak memory, and its output (stdout and stderr)."""
    with open(cwd / "run.log", "w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        stop, peak = threading.Event(), [0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, stop, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        out.seek(0)
        text = out.read()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{text[-5000:]}")
    return Run(wall, usage.ru_maxrss, peak[0], text)


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, mtime, size) of every file below folder: a file rewritten in place or replaced changes one of them."""
    out = {}
    for root, _, names in os.walk(folder):
        for name in names:
            st = os.lstat(path := os.path.join(root, name))
            out[path] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


def build(cmd: list[str], cwd: Path, output: Path) -> Run:
    """measure(), plus how many files below output the build created or changed (untimed)."""
    before = snapshot(output)
    run = measure(cmd, cwd)
    run.written = sum(before.get(path) != stat for path, stat in snapshot(output).items())
    return run


def clear(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def tree_stats(folder: Path) -> tuple[int, int, int]:
    """(files, bytes, HTML files) below folder."""
    files = size = html = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(root, name)).st_size
            html += name.endswith(".html")
    return files, size, html


# --- Our site, the peers, and the rounds of paired builds -------------------------------------------------

def copy_repo(target: Path, with_content: bool) -> None:
    """Copy the repo's project files into target; the sample content and vacancies only when with_content."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    skip = NOT_COPIED | (set() if with_content else {"content", "vacancies"})
    for name in sorted({line.split("/", 1)[0] for line in listed if line} - skip):
        src = REPO / name
        if name.startswith(".") or not src.exists():
            continue
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, target / name)


def link_tree(source: Path, target: Path) -> None:
    """Copy a folder with hard links: cheap, and the cached corpus is never written through them."""
    shutil.copytree(source, target, copy_function=os.link)


def prepare_ours(corpus: Path, work: Path) -> Path:
    project = work / "ours"
    clear(project)
    project.mkdir(parents=True)
    copy_repo(project, with_content=False)
    with open(project / "pelicanconf.py", "a") as f:
        f.write(f'\n# Benchmark: a fixed date, so the corpus reads the same on every day.\nHH_TODAY = "{TODAY}"\n')
    link_tree(corpus / "content", project / "content")
    shutil.copytree(corpus / "vacancies", project / "vacancies")  # real copies: one of them gets edited
    return project


def edit_one_vacancy(project: Path, n: int) -> str:
    """Change the description of one vacancy, as an editor would (a new file, never through a hard link).
    Returns its slug, so the peer gets the same edit."""
    paths = sorted((project / "vacancies").glob("*.yaml"))
    path = paths[len(paths) // 2]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["description"] += f"\nAangepast voor de benchmark ({n}).\n"
    path.unlink()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path.stem


@dataclass
class Projects:
    ours: Path
    plain: Path
    hugo: Path
    documents: int  # what the peers get

    def ours_cmd(self) -> list[str]:
        return [str(VENV_BIN / "hasselthelpt"), "--project", str(self.ours), "build"]


def prepare(corpus: Path, work: Path) -> Projects:
    log(f"Preparing the projects in {work}")
    # The package's bytecode, as an installed release has it: where PYTHONDONTWRITEBYTECODE is set (some
    # containers), every build would otherwise compile the package again as it starts (about 0.15 s).
    compileall.compile_dir(REPO / "hasselthelpt", quiet=1)
    docs = documents(corpus)
    write_pelican(docs, corpus, work / "plain")
    write_hugo(docs, corpus, work / "hugo")
    return Projects(prepare_ours(corpus, work), work / "plain", work / "hugo", len(docs))


# Each row of the report: (our build, its peer in the same round). The keys are those of bench_round().
PAIRS = (("cold", "ours cold", "plain Pelican cold", "plain cold"),
         ("cold", "ours cold", "Hugo cold", "hugo cold"),
         ("no change", "ours no change", "Hugo warm", "hugo warm"),
         ("one vacancy edited", "ours edit", "Hugo one edit", "hugo edit"))


def bench_round(p: Projects, n: int, rounds: int) -> dict[str, Run]:
    """One round of every build, ours and its peer alternating, so that both see the same machine load."""
    hugo = hugo_command(shutil.which("hugo"))
    plain = pelican_command(VENV_BIN / "pelican", p.plain)
    runs: dict[str, Run] = {}

    def step(key: str, cmd: list[str], cwd: Path, output: Path) -> None:
        log(f"  round {n + 1}/{rounds}: {key}")
        runs[key] = build(cmd, cwd, output)

    clear(p.ours / "output", p.ours / "cache")
    step("ours cold", p.ours_cmd(), p.ours, p.ours / "output")
    clear(p.plain / "output", p.plain / "cache")
    step("plain cold", plain, p.plain, p.plain / "output")
    clear(p.hugo / "public", p.hugo / "resources")
    step("hugo cold", hugo, p.hugo, p.hugo / "public")
    step("ours no change", p.ours_cmd(), p.ours, p.ours / "output")
    step("hugo warm", hugo, p.hugo, p.hugo / "public")
    slug = edit_one_vacancy(p.ours, n)
    step("ours edit", p.ours_cmd(), p.ours, p.ours / "output")
    edit_hugo_vacancy(p.hugo, slug, n)
    step("hugo edit", hugo, p.hugo, p.hugo / "public")
    return runs


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 30) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read()


def serve_edits(project: Path, edits: int) -> tuple[float, list[float]]:
    """A running `hasselthelpt serve` (development, watching): seconds of its first build, and for each edit of
    one vacancy the seconds from the save until the server answers with the changed page (the file watcher's
    grouping step included; the other outputs, which follow the page, not)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([str(VENV_BIN / "hasselthelpt"), "--project", str(project), "serve", "--host",
                               "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    seconds = []
    try:
        while True:
            try:
                number = json.loads(_get(f"{base}/__hh/build", 2))["build"]
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 600:
                    raise SystemExit("`hasselthelpt serve` did not start: run it by hand to see why.")
                time.sleep(0.2)
        first = time.perf_counter() - started
        for n in range(edits):
            time.sleep(15)  # the other outputs of the edit before (feeds, print, search: about 8 s) are done
            t0 = time.perf_counter()
            slug = edit_one_vacancy(project, 1000 + n)
            marker = f"Aangepast voor de benchmark ({1000 + n})".encode()
            while True:
                now = json.loads(_get(f"{base}/__hh/build?after={number}"))["build"]
                if now != number:
                    number = now
                    if marker in _get(f"{base}/vacatures/{slug}/"):
                        break
            seconds.append(time.perf_counter() - t0)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    return first, seconds


@dataclass
class ScaleResult:
    scale: float
    corpus: Path
    projects: Projects
    rounds: list[dict[str, Run]]
    outputs: dict[str, tuple[int, int, int]]  # ours, plain, hugo -> tree_stats of the output
    serve_first: float = 0.0  # seconds: `serve`'s first build
    serve_edits: list[float] = field(default_factory=list)  # seconds from a save to the changed page, per edit

    def median(self, key: str, field: str = "wall") -> float:
        return statistics.median(getattr(r[key], field) for r in self.rounds)

    def ratio(self, ours: str, peer: str, field: str = "wall") -> float:
        """The median over the rounds of ours / peer, each pair from the same round."""
        return statistics.median(getattr(r[ours], field) / max(getattr(r[peer], field), 1e-9) for r in self.rounds)


def bench_scale(corpus: Path, work: Path, scale: float, repeat: int) -> ScaleResult:
    projects = prepare(corpus, work)
    rounds = [bench_round(projects, n, repeat) for n in range(repeat)]
    outputs = {"ours": tree_stats(projects.ours / "output"), "plain": tree_stats(projects.plain / "output"),
               "hugo": tree_stats(projects.hugo / "public")}
    log("  serve: one vacancy edited while `hasselthelpt serve` runs")
    first, edits = serve_edits(projects.ours, SERVE_EDITS)
    return ScaleResult(scale, corpus, projects, rounds, outputs, first, edits)


SERVE_EDITS = 5


def serve_line(r: ScaleResult) -> str:
    e = r.serve_edits
    return (f"`hasselthelpt serve` (watching): first build {r.serve_first:.1f} s; one vacancy edited, visible "
            f"{statistics.median(e):.2f} s after the save (median of {len(e)}; min {min(e):.2f}, max {max(e):.2f})")


# (file, function) -> what it is, for the summary of the profile. Cumulative times overlap (they nest).
PHASES = {
    "`hasselthelpt check` before the build (cli.cmd_check)": ("cli.py", "cmd_check"),
    "Pelican run (cli.build_site)": ("cli.py", "build_site"),
    "  load + check all content (content.loading.load_corpus), all calls": ("loading.py", "load_corpus"),
    "  Markdown rendering (content.loading.MarkdownRenderer), all calls": ("loading.py", "__call__"),
    "  YAML parsing (yaml.load), all calls": ("__init__.py", "load"),
    "  cross-file checks incl. image headers (content.loading.cross_check)": ("loading.py", "cross_check"),
    "  photos: waiting for the resize workers (images.photos.derive_all)": ("photos.py", "derive_all"),
    "  planning the pages (outputs.pages.plan_site)": ("pages.py", "plan_site"),
    "  rendering + writing all pages (generate_output)": ("__init__.py", "generate_output"),
    "    Jinja2 rendering (Template.render)": ("environment.py", "render"),
    "    Pelican writer (Writer.write_file)": ("writers.py", "write_file"),
    "    copying photos into the output (images.photos.publish)": ("photos.py", "publish"),
}


# Frames that wrap the whole run (python -m, exec, the module itself): left out of the cumulative listing.
NOT_LISTED = r"^(?!<frozen |<string>|\{built-in method builtins\.exec\}|cli\.py:1\(<module>\))"


def profile_ours(project: Path, cold: bool, top: int = 25) -> str:
    """cProfile of one build (main process only: the photo workers run in other processes): a cold build, or a
    no-change rebuild right after one."""
    what = "a cold build" if cold else "a no-change rebuild"
    if cold:
        clear(project / "output", project / "cache")
    stats_file = project.parent / f"{'cold' if cold else 'no-change'}-build.prof"
    measure([sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "hasselthelpt.cli", "--project",
             str(project), "build"], project)
    out = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=out).strip_dirs()
    total = max(ct for (_, _, name), (_, _, _, ct, _) in stats.stats.items() if name == "<module>")
    out.write(f"--- Where {what} spends its time (cProfile, main process, {total:.1f} s in all) ---\n")
    for label, (file, func) in PHASES.items():
        entries = [(cc, ct) for (f, _, name), (cc, _, _, ct, _) in stats.stats.items() if f == file and name == func]
        if entries:
            calls, cumulative = sum(e[0] for e in entries), max(e[1] for e in entries)
            out.write(f"{label:<64} {cumulative:6.1f} s {100 * cumulative / total:5.1f}%  ({calls} call(s))\n")
    out.write(f"\n--- cProfile of {what}, by cumulative time (top {top}) ---\n")
    stats.sort_stats("cumulative").print_stats(NOT_LISTED, top)
    out.write(f"--- by own time (top {top}) ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --- Lighthouse on the sample site ---------------------------------------------------------------------------

_BUILD = """
import sys
from pathlib import Path
from hasselthelpt.cli import build_site
build_site(Path(sys.argv[1]), True, Path(sys.argv[2]), HH_TODAY=sys.argv[3], SITEURL=sys.argv[4])
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def lighthouse_bin() -> Path | None:
    candidate = REPO / "node_modules" / ".bin" / "lighthouse"  # pinned in package.json, shared with the tests
    return candidate if candidate.exists() else None


def chromium() -> str | None:
    return os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def bench_lighthouse(work: Path) -> list[tuple[str, dict]]:
    """Scores of the home page, the richest open vacancy and the overview of the sample site (production build,
    served locally below /hasselthelpt/ as on www.hasselt.be)."""
    lighthouse, chrome = lighthouse_bin(), chromium()
    if not lighthouse or not chrome:
        raise SystemExit("Lighthouse or Chromium is missing: run `make deps`, or pass --skip-lighthouse.")
    root = work / "lighthouse"
    shutil.rmtree(root, ignore_errors=True)
    project, served = root / "project", root / "served"
    project.mkdir(parents=True)
    copy_repo(project, with_content=True)
    served.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(served)))
    base = f"http://127.0.0.1:{server.server_address[1]}/hasselthelpt"
    build = subprocess.run([sys.executable, "-c", _BUILD, str(project), str(served / "hasselthelpt"), str(TODAY),
                            base], cwd=project, capture_output=True, text=True)
    if build.returncode:
        raise SystemExit(f"Building the sample site failed:\n{build.stdout}\n{build.stderr}")
    site = served / "hasselthelpt"
    vacancies = [d for d in (site / "vacatures").iterdir() if (d / "index.html").is_file()
                 and 'name="consent"' in (d / "index.html").read_text(encoding="utf-8")]
    vacancy = max(vacancies, key=lambda d: (d / "index.html").stat().st_size)
    pages = [("home", ""), (f"vacancy ({vacancy.name})", f"vacatures/{vacancy.name}/"), ("overview", "vacatures/")]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results = []
    try:
        for label, rel in pages:
            log(f"  Lighthouse: {label}")
            cmd = [str(lighthouse), f"{base}/{rel}", f"--only-categories={','.join(CATEGORIES)}", "--output=json",
                   "--output-path=stdout", "--quiet", f"--chrome-flags={CHROME_FLAGS}"]
            proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chrome},
                                  cwd=root, timeout=300)
            if proc.returncode:
                raise SystemExit(f"Lighthouse failed on {rel or '/'}:\n{proc.stderr[-3000:]}")
            results.append((f"{label}: /hasselthelpt/{rel}", json.loads(proc.stdout)))
    finally:
        server.shutdown()
        server.server_close()
    return results


# --- Report ------------------------------------------------------------------------------------------------

def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def corpus_line(r: ScaleResult) -> str:
    corpus = r.corpus
    n = {k: len(list((corpus / folder).glob(pattern))) for k, folder, pattern in (
        ("organisations", "content/organisations", "*.yaml"), ("vacancies", "vacancies", "*.yaml"),
        ("stories", "content/stories", "*.md"), ("events", "content/events", "*.yaml"),
        ("pages", "content/pages", "*.md"))}
    photos = list((corpus / "content/images/stories").glob("*.jpg"))
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in (r.projects.plain / "content").rglob("*.md"))
    return (f"Corpus: {n['organisations']} organisations, {n['vacancies']} vacancies, {n['stories']} stories, "
            f"{n['events']} events, {n['pages']} pages; {len(photos)} photos of 3000x2000 "
            f"({size(sum(f.stat().st_size for f in photos))}); the peers get {r.projects.documents} Markdown "
            f"documents ({words / 1e6:.2f} M words)")


def outputs_line(r: ScaleResult) -> str:
    parts = [f"{label} {r.outputs[key][2]} HTML pages of {r.outputs[key][0]} files ({size(r.outputs[key][1])})"
             for key, label in (("ours", "ours"), ("plain", "plain Pelican"), ("hugo", "Hugo"))]
    return "Output: " + "; ".join(parts)


def scale_table(r: ScaleResult) -> str:
    rows = [["build", "ours", "peer (same round)", "peer", "ratio", "peak RSS ours", "peer", "ratio",
             "PSS tree ours", "files written ours", "peer"]]
    for name, ours, peer_name, peer in PAIRS:
        rows.append([name, f"{r.median(ours):.1f} s", peer_name, f"{r.median(peer):.1f} s",
                     f"{r.ratio(ours, peer):.2f}x", mib(r.median(ours, 'max_rss')), mib(r.median(peer, 'max_rss')),
                     f"{r.ratio(ours, peer, 'max_rss'):.2f}x", mib(r.median(ours, 'tree_pss')),
                     f"{r.median(ours, 'written'):.0f}", f"{r.median(peer, 'written'):.0f}"])
    return table(rows)


# Growth from the first scale to the last: (label, key of bench_round()).
GROWTH = (("ours cold", "ours cold"), ("plain Pelican cold", "plain cold"), ("Hugo cold", "hugo cold"),
          ("ours no change", "ours no change"), ("Hugo warm", "hugo warm"),
          ("ours one vacancy edited", "ours edit"), ("Hugo one edit", "hugo edit"))


def growth_table(first: ScaleResult, last: ScaleResult) -> str:
    a, b = f"scale {first.scale:g}", f"scale {last.scale:g}"
    rows = [["build", a, b, "growth", f"peak RSS {a}", b, "growth"]]
    for label, key in GROWTH:
        rows.append([label, f"{first.median(key):.1f} s", f"{last.median(key):.1f} s",
                     f"{last.median(key) / first.median(key):.2f}x", mib(first.median(key, "max_rss")),
                     mib(last.median(key, "max_rss")),
                     f"{last.median(key, 'max_rss') / first.median(key, 'max_rss'):.2f}x"])
    return table(rows)


def lighthouse_report(lighthouse: list[tuple[str, dict]]) -> list[str]:
    out = ["Lighthouse (mobile, simulated throttling) on the sample site, production build served locally"]
    rows = [["page", *CATEGORIES, "FCP", "LCP", "TBT", "CLS"]]
    problems = []
    for label, lhr in lighthouse:
        scores = [f"{round(lhr['categories'][c]['score'] * 100)}" for c in CATEGORIES]
        audits = lhr["audits"]
        metrics = [audits[a].get("displayValue", "-") for a in ("first-contentful-paint",
                   "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")]
        rows.append([label, *scores, *metrics])
        for c in CATEGORIES:
            for ref in lhr["categories"][c]["auditRefs"]:
                audit = audits[ref["id"]]
                if ref.get("weight") and audit.get("score") is not None and audit["score"] < 0.9:
                    problems.append(f"  {label.split(':')[0]} [{c}] {ref['id']}: {audit['title']}"
                                    + (f" ({audit['displayValue']})" if audit.get("displayValue") else ""))
                    for item in (audit.get("details") or {}).get("items", [])[:3]:
                        what = item.get("description") or item.get("url") or item.get("node", {}).get("snippet")
                        if what:
                            problems.append(f"      {str(what)[:160]}")
    out.append(table(rows))
    out.append("Audits below 0.9 that count towards a score:" if problems else "Every weighted audit scored "
               "0.9 or more.")
    return out + problems


def hugo_version(hugo: str) -> str:
    text = subprocess.run([hugo, "version"], capture_output=True, text=True, check=True).stdout
    return text.split()[1].split("+")[0] if text.startswith("hugo v") else text.strip()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="HASSELT Helpt build benchmark (see bench/README.md).")
    p.add_argument("--scale", type=float, default=1.0, help="corpus size; 1.0 = 654 organisations, 1,500 "
                   "vacancies, 400 stories with photos")
    p.add_argument("--scales", help="comma-separated scales, e.g. 1,3: everything at each, then the growth from "
                   "the first to the last (overrides --scale)")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (same seed, same corpus)")
    p.add_argument("--repeat", type=int, default=1, help="rounds of paired builds; medians are shown")
    p.add_argument("--skip-lighthouse", action="store_true", help="leave out Lighthouse")
    p.add_argument("--profile", action="store_true", help="also print a cProfile of one cold build of ours and "
                   "of the no-change rebuild after it (at the first scale)")
    p.add_argument("--work", type=Path, default=WORK, help=f"work folder (default {WORK.relative_to(REPO)}/)")
    args = p.parse_args(argv)
    scales = [float(x) for x in args.scales.split(",")] if args.scales else [args.scale]
    hugo = shutil.which("hugo")
    if not hugo:
        raise SystemExit("Hugo is missing: run `make bench-deps` (Debian's package hugo), or `make bench`.")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    results, profiles = [], []
    for scale in scales:
        corpus = ensure_corpus(work / "corpus-cache", args.seed, scale, log=log)
        log(f"Scale {scale:g}")
        results.append(bench_scale(corpus, work / f"scale{scale:g}", scale, args.repeat))
        if args.profile and not profiles:
            log("  profiling a cold build and a no-change rebuild of ours")
            profiles = [profile_ours(results[0].projects.ours, cold) for cold in (True, False)]
    lighthouse = [] if args.skip_lighthouse else (log("Lighthouse") or bench_lighthouse(work))

    out = [f"HASSELT Helpt build benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, "
           f"Python {sys.version.split()[0]}, Hugo {hugo_version(hugo)}, seed {args.seed}, HH_TODAY {TODAY}, "
           f"medians of {args.repeat} round(s) of paired builds",
           "ours: `hasselthelpt build` (check + development build); plain Pelican: `pelican` (default theme and "
           "feeds); Hugo: `hugo --quiet` (no --gc)",
           "ratio: median over the rounds of ours / peer in the same round; files written: files in the output "
           "created or changed by the build"]
    for r in results:
        out += ["", f"Scale {r.scale:g}. {corpus_line(r)}", outputs_line(r), scale_table(r), serve_line(r)]
    if len(results) > 1:
        first, last = results[0], results[-1]
        out += ["", f"Growth from scale {first.scale:g} to scale {last.scale:g} (linear: "
                f"{last.scale / first.scale:.1f}x)", growth_table(first, last)]
    if lighthouse:
        out += [""] + lighthouse_report(lighthouse)
    out += ["", f"Benchmark took {time.perf_counter() - started:.0f} s."]
    print("\n".join(out))
    for profile in profiles:
        print()
        print(profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
