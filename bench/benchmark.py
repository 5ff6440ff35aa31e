"""Benchmark of the HASSELT Helpt build at city scale, against plain Pelican, plus Lighthouse on the sample site.

    .venv/bin/python bench/benchmark.py [--scale 1.0] [--seed 1] [--skip-lighthouse] [--repeat 1] [--profile]

(a) our build (`hasselthelpt build`, HH_TODAY fixed) on a generated corpus: cold, no-change rebuild, one vacancy
edited; (b) plain Pelican 4 with its default theme and feeds on the same Markdown, cold; (c) Lighthouse scores of
three pages of the repo's sample site. What each figure means: bench/README.md. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from corpus import TODAY, ensure_corpus  # noqa: E402

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


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


def tree_stats(folder: Path) -> tuple[int, int, int]:
    """(files, bytes, HTML files) below folder."""
    files = size = html = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(root, name)).st_size
            html += name.endswith(".html")
    return files, size, html


# --- (a) our site ----------------------------------------------------------------------------------------------

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
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    copy_repo(project, with_content=False)
    with open(project / "pelicanconf.py", "a") as f:
        f.write(f'\n# Benchmark: a fixed date, so the corpus reads the same on every day.\nHH_TODAY = "{TODAY}"\n')
    link_tree(corpus / "content", project / "content")
    shutil.copytree(corpus / "vacancies", project / "vacancies")  # real copies: one of them gets edited
    return project


def edit_one_vacancy(project: Path, n: int) -> Path:
    """Change the description of one vacancy, as an editor would (a new file, never through a hard link)."""
    path = sorted((project / "vacancies").glob("*.yaml"))[len(list((project / "vacancies").glob("*.yaml"))) // 2]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["description"] += f"\nAangepast voor de benchmark ({n}).\n"
    path.unlink()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def bench_ours(project: Path, repeat: int) -> dict[str, Run]:
    cmd = [str(VENV_BIN / "hasselthelpt"), "--project", str(project), "build"]
    cold = []
    for i in range(repeat):
        shutil.rmtree(project / "output", ignore_errors=True)
        shutil.rmtree(project / "cache", ignore_errors=True)
        log(f"  ours: cold build {i + 1}/{repeat}")
        cold.append(measure(cmd, project))
    warm = []
    for i in range(repeat):
        log(f"  ours: no-change rebuild {i + 1}/{repeat}")
        warm.append(measure(cmd, project))
    edited = []
    for i in range(repeat):
        edit_one_vacancy(project, i)
        log(f"  ours: one vacancy edited {i + 1}/{repeat}")
        edited.append(measure(cmd, project))
    return {"cold": median_run(cold), "no change": median_run(warm), "one vacancy edited": median_run(edited)}


# (file, function) -> what it is, for the summary of the profile. Cumulative times overlap (they nest).
PHASES = {
    "`hasselthelpt check` before the build (cli.cmd_check)": ("cli.py", "cmd_check"),
    "Pelican run (cli.build_site)": ("cli.py", "build_site"),
    "  load + check all content (content.load_corpus), all calls": ("content.py", "load_corpus"),
    "  Markdown rendering (content.MarkdownRenderer), all calls": ("content.py", "__call__"),
    "  YAML parsing (yaml.load), all calls": ("__init__.py", "load"),
    "  cross-file checks incl. image headers (content.cross_check)": ("content.py", "cross_check"),
    "  photos: waiting for the resize workers (images.derive_all)": ("images.py", "derive_all"),
    "  planning the pages (site.plan_site)": ("site.py", "plan_site"),
    "  rendering + writing all pages (generate_output)": ("__init__.py", "generate_output"),
    "    Jinja2 rendering (Template.render)": ("environment.py", "render"),
    "    Pelican writer (Writer.write_file)": ("writers.py", "write_file"),
    "    copying photos into the output (images.publish)": ("images.py", "publish"),
}


def profile_ours(project: Path, top: int = 25) -> str:
    """cProfile of one cold build (main process only: the photo workers run in other processes)."""
    shutil.rmtree(project / "output", ignore_errors=True)
    shutil.rmtree(project / "cache", ignore_errors=True)
    stats_file = project.parent / "cold-build.prof"
    measure([sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "hasselthelpt.cli", "--project",
             str(project), "build"], project)
    out = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=out).strip_dirs()
    total = max(ct for (_, _, name), (_, _, _, ct, _) in stats.stats.items() if name == "<module>")
    out.write(f"--- Where a cold build spends its time (cProfile, main process, {total:.1f} s in all) ---\n")
    for label, (file, func) in PHASES.items():
        entries = [(cc, ct) for (f, _, name), (cc, _, _, ct, _) in stats.stats.items() if f == file and name == func]
        if entries:
            calls, cumulative = sum(e[0] for e in entries), max(e[1] for e in entries)
            out.write(f"{label:<64} {cumulative:6.1f} s {100 * cumulative / total:5.1f}%  ({calls} call(s))\n")
    out.write(f"\n--- cProfile of a cold build, by cumulative time (top {top}) ---\n")
    stats.sort_stats("cumulative").print_stats(top)
    out.write(f"--- by own time (top {top}) ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --- (b) plain Pelican -----------------------------------------------------------------------------------------

PLAIN_SETTINGS = '''# Plain Pelican 4: default theme (notmyidea), default feeds, no plugins.
AUTHOR = "Stad Hasselt"
SITENAME = "HASSELT Helpt (plain Pelican)"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Brussels"
DEFAULT_LANG = "nl"
# As the baseline of docs/perf-notes: with 654 pages in the menu every page lists them all (quadratic build).
DISPLAY_PAGES_ON_MENU = False
'''


def _metadata(fields: dict) -> str:
    return "".join(f"{k}: {' '.join(str(v).split())}\n" for k, v in fields.items() if v not in (None, "", []))


def prepare_plain(corpus: Path, work: Path) -> tuple[Path, int]:
    """The corpus as a plain Pelican project: vacancies and stories as articles, organisations as pages, with
    Pelican's 'Key: value' metadata and the summary as Summary metadata. Returns (project, documents)."""
    from hasselthelpt.schema import TALENTS, THEMES

    project = work / "plain"
    shutil.rmtree(project, ignore_errors=True)
    content = project / "content"
    for folder in ("vacatures", "verhalen", "pages"):
        (content / folder).mkdir(parents=True)
    link_tree(corpus / "content" / "images", content / "images")
    (project / "pelicanconf.py").write_text(PLAIN_SETTINGS)
    count = 0
    for path in sorted((corpus / "vacancies").glob("*.yaml")):
        v = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta = {"Title": v["title"], "Date": v["publish_from"], "Category": THEMES[v["themes"][0]],
                "Tags": ", ".join([THEMES[t] for t in v["themes"]] + [TALENTS[t] for t in v.get("talents", [])]),
                "Slug": path.stem, "Summary": v["summary"]}
        (content / "vacatures" / f"{path.stem}.md").write_text(_metadata(meta) + "\n" + v["description"])
        count += 1
    for path in sorted((corpus / "content" / "stories").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, body = text[4:].split("\n---\n", 1)
        s = yaml.safe_load(head)
        meta = {"Title": s["title"], "Date": s["date"], "Category": "Verhalen",
                "Tags": ", ".join(THEMES[t] for t in s.get("themes", [])), "Slug": path.stem,
                "Summary": s["summary"]}
        image = f"![{s['image_alt']}]({{static}}/{s['image']})\n\n"
        (content / "verhalen" / f"{path.stem}.md").write_text(_metadata(meta) + "\n" + image + body)
        count += 1
    for path in sorted((corpus / "content" / "organisations").glob("*.yaml")):
        o = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta = {"Title": o["name"], "Slug": path.stem, "Summary": o["summary"]}
        (content / "pages" / f"{path.stem}.md").write_text(_metadata(meta) + "\n" + o["description"])
        count += 1
    return project, count


def bench_plain(project: Path, repeat: int) -> Run:
    cmd = [str(VENV_BIN / "pelican"), str(project / "content"), "-s", str(project / "pelicanconf.py"),
           "-o", str(project / "output")]
    runs = []
    for i in range(repeat):
        shutil.rmtree(project / "output", ignore_errors=True)
        shutil.rmtree(project / "cache", ignore_errors=True)
        log(f"  plain Pelican: cold build {i + 1}/{repeat}")
        runs.append(measure(cmd, project))
    return median_run(runs)


# --- (c) Lighthouse on the sample site ---------------------------------------------------------------------

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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="HASSELT Helpt build benchmark (see bench/README.md).")
    p.add_argument("--scale", type=float, default=1.0, help="corpus size; 1.0 = 654 organisations, 1,500 "
                   "vacancies, 400 stories with photos")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (same seed, same corpus)")
    p.add_argument("--repeat", type=int, default=1, help="runs per build scenario; the median is shown")
    p.add_argument("--skip-lighthouse", action="store_true", help="leave out part (c)")
    p.add_argument("--profile", action="store_true", help="also print a cProfile of one cold build of ours")
    p.add_argument("--work", type=Path, default=WORK, help=f"work folder (default {WORK.relative_to(REPO)}/)")
    args = p.parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    corpus = ensure_corpus(work / "corpus-cache", args.seed, args.scale, log=log)
    ours = prepare_ours(corpus, work)
    plain, documents = prepare_plain(corpus, work)
    n = {k: len(list(g)) for k, g in (("organisations", (corpus / "content/organisations").glob("*.yaml")),
                                       ("vacancies", (corpus / "vacancies").glob("*.yaml")),
                                       ("stories", (corpus / "content/stories").glob("*.md")),
                                       ("events", (corpus / "content/events").glob("*.yaml")),
                                       ("pages", (corpus / "content/pages").glob("*.md")))}
    photos = list((corpus / "content/images/stories").glob("*.jpg"))
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in (plain / "content").rglob("*.md"))

    log("(a) our build")
    ours_runs = bench_ours(ours, args.repeat)
    ours_files = tree_stats(ours / "output")
    log("(b) plain Pelican")
    plain_run = bench_plain(plain, args.repeat)
    plain_files = tree_stats(plain / "output")
    lighthouse = [] if args.skip_lighthouse else (log("(c) Lighthouse") or bench_lighthouse(work))
    profile = profile_ours(ours) if args.profile else ""

    out = []
    out.append(f"HASSELT Helpt build benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, "
               f"Python {sys.version.split()[0]}, seed {args.seed}, scale {args.scale:g}, HH_TODAY {TODAY}, "
               f"median of {args.repeat} run(s) each")
    out.append(f"Corpus: {n['organisations']} organisations, {n['vacancies']} vacancies, {n['stories']} stories, "
               f"{n['events']} events, {n['pages']} pages; {len(photos)} photos of 3000x2000 "
               f"({size(sum(f.stat().st_size for f in photos))}); plain Pelican gets {documents} Markdown documents "
               f"({words / 1e6:.2f} M words)")
    out.append("")
    out.append("(a) our site: `hasselthelpt build` (content check and development build in one pass), each in a fresh process")
    rows = [["scenario", "wall", "peak RSS (largest process)", "peak PSS (process tree)"]]
    for name, run in ours_runs.items():
        rows.append([name, f"{run.wall:.1f} s", mib(run.max_rss), mib(run.tree_pss)])
    out.append(table(rows))
    out.append(f"output: {ours_files[0]} files ({ours_files[2]} HTML), {size(ours_files[1])}")
    out.append("")
    out.append("(b) plain Pelican 4 (default theme notmyidea, default Atom feeds, pages not in the menu), cold")
    cold = ours_runs["cold"]
    rows = [["build", "wall", "peak RSS (largest process)", "peak PSS (tree)", "files", "HTML", "bytes"],
            ["ours, cold", f"{cold.wall:.1f} s", mib(cold.max_rss), mib(cold.tree_pss), str(ours_files[0]),
             str(ours_files[2]), size(ours_files[1])],
            ["plain Pelican, cold", f"{plain_run.wall:.1f} s", mib(plain_run.max_rss), mib(plain_run.tree_pss),
             str(plain_files[0]), str(plain_files[2]), size(plain_files[1])],
            ["ratio ours/plain", f"{cold.wall / plain_run.wall:.2f}x", f"{cold.max_rss / plain_run.max_rss:.2f}x",
             f"{cold.tree_pss / max(plain_run.tree_pss, 1):.2f}x", f"{ours_files[0] / plain_files[0]:.2f}x",
             f"{ours_files[2] / plain_files[2]:.2f}x", f"{ours_files[1] / plain_files[1]:.2f}x"]]
    warm = ours_runs["no change"]
    rows.append(["ours no-change / plain cold", f"{warm.wall / plain_run.wall:.2f}x", "", "", "", "", ""])
    out.append(table(rows))
    if lighthouse:
        out.append("")
        out.append("(c) Lighthouse (mobile, simulated throttling) on the sample site, production build served "
                   "locally")
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
        out += problems
    out.append("")
    out.append(f"Benchmark took {time.perf_counter() - started:.0f} s.")
    print("\n".join(out))
    if profile:
        print()
        print(profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
