"""Incremental builds: what each output file was made from, so a rebuild costs what changed, not what exists.

- `code_version()`: one digest of the hasselthelpt package's files and the installed distributions' versions.
  Any change to the code or a dependency counts as a change of every output's inputs.
- `Digester`: a digest of a value as the templates see it (items, lists, dicts, dates, settings, the closures
  of context functions). Shared objects (the corpus's items, the common context of every page) are digested
  once per build. A type it does not know is an error, never a silent guess: a value left out of a digest
  would make a stale page.
- `BuildState`: per output folder, in the cache: each page's input digest, each channel's input digest and the
  files it produced, and the size and modification time of every file the build produced. A rebuild renders a
  page only when its digest changed or its file is no longer as written, and removes the files the previous
  build produced that this one did not (their source vanished).
- `input_keys()`: the whole-build shortcut's key, read before Pelican is imported: the state of every input
  file of the project (size, modification and change time, inode), the code version, today's date and the build
  options. When it and every output file are as after the last successful build, `hasselthelpt build` stops
  there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import json
import os
import pickle
import subprocess
import sys
import sysconfig
import types
import functools
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable, Iterator

from .settings import INPUT_FOLDERS, SHORT_LINK_LEDGER

STATE_VERSION = 1
PACKAGE = Path(__file__).resolve().parent


def _stat_key(st: os.stat_result) -> list[int]:
    """What tells that a file changed: a write changes size or mtime, a rename the inode, and ctime cannot be set
    back by any tool (so `cp -p` or `touch -d` do not hide a change)."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package's files (sources, fonts, data) and the installed distributions (their dist-info names carry
    their versions), with the Python version."""
    h = hashlib.sha256(sys.version.encode())
    for key in {"purelib", "platlib"}:
        folder = Path(sysconfig.get_paths()[key])
        if folder.is_dir():
            h.update("\0".join(sorted(n for n in os.listdir(folder) if n.endswith(".dist-info"))).encode())
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def folder_digest(folder: Path) -> str:
    """The bytes of every file below a folder (the theme's templates), with their names."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


# --- Digests of values -----------------------------------------------------------------------------------------

_SCALARS = (str, int, float, bool, type(None), bytes, dt.date, dt.datetime, dt.time, dt.timedelta, decimal.Decimal,
            PurePath, enum.Enum, complex, range)


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


class Digester:
    """Digests of the values of one build. Containers and objects are memoised by identity (and kept alive, so
    an identity is never reused), which makes the corpus and the shared page context cost once per build:
    values must not change after they have been digested (the build plans every page before rendering)."""

    def __init__(self, lenient: bool = False):
        self._memo: dict[int, tuple[Any, str]] = {}
        self.lenient = lenient  # unknown types by their type name: only for Pelican's own context

    def of(self, value: Any) -> str:
        if isinstance(value, _SCALARS):
            return hashlib.sha1(self._scalar(value).encode("utf-8", "surrogatepass")).hexdigest()
        hit = self._memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        digest = hashlib.sha1("\x1f".join(self._parts(value)).encode("utf-8", "surrogatepass")).hexdigest()
        self._memo[id(value)] = (value, digest)
        return digest

    @staticmethod
    def _scalar(value: Any) -> str:
        if type(value) is str:  # the most common value, and often long (HTML): its length tells where it ends
            return f"s{len(value)}:{value}"
        return f"{type(value).__qualname__}:{value!r}"

    def _child(self, value: Any) -> str:
        return self._scalar(value) if isinstance(value, _SCALARS) else self.of(value)

    def _parts(self, value: Any) -> Iterable[str]:
        child = self._child
        if isinstance(value, (list, tuple)):
            return [type(value).__qualname__, *map(child, value)]
        if isinstance(value, dict):
            return [type(value).__qualname__, *(f"{child(k)}={child(v)}" for k, v in value.items())]
        if isinstance(value, (set, frozenset)):  # iteration order differs between processes: sorted
            return ["set", *sorted(map(child, value))]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return [type(value).__module__, type(value).__qualname__,
                    *(f"{name}={child(getattr(value, name))}" for name in _field_names(type(value)))]
        if isinstance(value, types.FunctionType):  # a context function: its code is in code_version
            cells = [c.cell_contents for c in value.__closure__ or ()]
            return ["function", value.__module__, value.__qualname__, *map(child, cells),
                    *map(child, value.__defaults__ or ())]
        if isinstance(value, (types.BuiltinFunctionType, types.ModuleType, type)):
            return [type(value).__qualname__, getattr(value, "__module__", "") or "", value.__qualname__
                    if hasattr(value, "__qualname__") else value.__name__]
        if self.lenient:
            return ["object", type(value).__module__, type(value).__qualname__]
        raise TypeError(f"No digest for a {type(value).__qualname__} in a page's context: teach "
                        "hasselthelpt/incremental.py its inputs, so the page is rendered again when they change.")


# --- The state of an output folder ------------------------------------------------------------------------------

def state_file(cache_path: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache_path / "build-state" / f"{name}.json"


@dataclasses.dataclass
class BuildState:
    pages: dict[str, str] = dataclasses.field(default_factory=dict)  # save_as -> input digest
    channels: dict[str, list] = dataclasses.field(default_factory=dict)  # name -> [input digest, [paths]]
    outputs: dict[str, list[int]] = dataclasses.field(default_factory=dict)  # absolute path -> _stat_key

    @classmethod
    def load(cls, path: Path) -> BuildState:
        """The last build's state; empty (everything is made again) when missing, damaged or of other code."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == STATE_VERSION and data.get("code") == code_version():
                return cls(data["pages"], data["channels"], data["outputs"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"version": STATE_VERSION, "code": code_version(), "pages": self.pages,
                                   "channels": self.channels, "outputs": self.outputs}), encoding="utf-8")
        os.replace(tmp, path)

    def intact(self, path: str | Path) -> bool:
        """The file is still as the last build left it (nobody changed or removed it since)."""
        known = self.outputs.get(str(path))
        if known is None:
            return False
        try:
            return _stat_key(os.stat(path)) == known
        except OSError:
            return False


def output_stats(paths: Iterable[str | Path]) -> dict[str, list[int]]:
    """The stat key of each file (os.stat of the name: a build produces about 11,000 files at city scale, and a
    Path for each would cost more than the stat itself)."""
    out = {}
    for path in map(str, paths):
        try:
            out[path] = _stat_key(os.stat(path))
        except OSError:
            pass
    return out


def remove_vanished(previous: Iterable[str], produced: set[str]) -> list[str]:
    """Remove the files an earlier build produced and this one did not, and folders left empty by that."""
    removed = []
    for name in sorted(set(previous) - produced):
        path = Path(name)
        if path.is_file():
            path.unlink()
            removed.append(name)
            parent = path.parent
            while parent != parent.parent and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return removed


# --- The whole-build shortcut -----------------------------------------------------------------------------------

# A build's inputs in the project: the folders `serve` watches (content, vacancies, theme, signage, plugins) and
# the files beside them that settings are made of; not logs, tools, caches, tests or docs.
INPUT_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".toml", ".cfg", ".txt")
NOT_INPUTS = {"__pycache__"}


def _tree_state(project: Path, skip: set[str]) -> list:
    out = [[name, *_stat_key(os.stat(project / name))] for name in sorted(os.listdir(project))
           if name.endswith(INPUT_SUFFIXES) and (project / name).is_file()]
    stack = [project / name for name in INPUT_FOLDERS]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in NOT_INPUTS or entry.path in skip:
                continue
            if entry.is_dir():
                stack.append(Path(entry.path))
            elif entry.is_file():
                out.append([os.path.relpath(entry.path, project), *_stat_key(entry.stat())])
    return out


def shortcut_file(project: Path, options: dict) -> Path:
    name = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return project / "cache" / "last-build" / f"{name}.json"


def input_keys(project: Path, options: dict, today: dt.date, skip: set[str]) -> tuple[str, str]:
    """Everything a build reads, as a digest: the project's files, the code, HH_* environment variables, the date,
    the build options; and the same without the inputs the build itself writes (the short-link ledger), which
    tells whether anything else changed while a build ran."""
    env = {k: v for k, v in os.environ.items() if k.startswith(("HH_", "PELICAN"))}
    tree = _tree_state(project, skip)
    own = [entry for entry in tree if entry[0] != SHORT_LINK_LEDGER]

    def digest(files: list) -> str:
        data = [code_version(), str(today), env, options, files]
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    return digest(tree), digest(own)


def load_shortcut(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(record: dict, key: str) -> bool:
    """The last successful build had these inputs, and every file it produced is still as it left it."""
    if not record or record.get("key") != key:
        return False
    try:
        return all(_stat_key(os.stat(p)) == known for p, known in record.get("outputs", {}).items())
    except OSError:
        return False


def save_shortcut(path: Path, key: str, outputs: dict[str, list[int]], roots: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"key": key, "outputs": outputs, "roots": roots}), encoding="utf-8")
    os.replace(tmp, path)


# --- Remembered results -----------------------------------------------------------------------------------------

class Memo:
    """Results of pure steps kept between builds in one cache file (loaded items, slide layouts): key -> pickled
    value. The caller makes the key from everything the result depends on (`key()` adds the code version). A hit
    returns a fresh copy, so a caller may change what it gets without changing the cache. Saving keeps only the
    entries this build used: the file never grows stale."""

    def __init__(self, path: Path | None, compress: bool = False):
        self.path = path
        self.compress = compress  # zlib: for large texts (feeds), a smaller file to read at every build
        self._old: dict[str, bytes] = {}
        self._new: dict[str, bytes] = {}
        if path is not None and path.is_file():
            try:
                with path.open("rb") as f:
                    self._old = pickle.load(f)
            except Exception:  # a damaged or old cache only costs time
                self._old = {}

    @staticmethod
    def key(*parts: Any) -> str:
        return Digester().of((code_version(), parts))

    def get(self, key: str, make):
        data = self._old.get(key)
        if data is None:
            value = make()
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self._new[key] = zlib.compress(data, 1) if self.compress else data
            return value
        self._new[key] = data
        return pickle.loads(zlib.decompress(data) if self.compress else data)

    def save(self) -> None:
        if self.path is None or self._new.keys() == self._old.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("wb") as f:
            pickle.dump(self._new, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
        self._old = dict(self._new)


def file_key(path: Path) -> list[int]:
    """What tells that an input file changed (see _stat_key); [] when it is gone."""
    try:
        return _stat_key(path.stat())
    except OSError:
        return []


# Pure functions of the channels (a feed from its spec) remember their results between builds while a build has
# `remembering` open; called outside a build they just run.
_MEMOS: ContextVar[dict[str, Memo] | None] = ContextVar("hasselthelpt_memos", default=None)
_memo_dir: ContextVar[Path] = ContextVar("hasselthelpt_memo_dir", default=Path("cache"))
_digester: ContextVar[Digester] = ContextVar("hasselthelpt_digester", default=Digester())  # shared by one build


@contextmanager
def remembering(cache_dir: Path) -> Iterator[None]:
    """Open the memo of every `remembered` function for the length of a build, below cache_dir."""
    memos: dict[str, Memo] = {}
    token, folder, digester = _MEMOS.set(memos), _memo_dir.set(cache_dir), _digester.set(Digester())
    try:
        yield
    finally:
        _MEMOS.reset(token)
        _memo_dir.reset(folder)
        _digester.reset(digester)
    for name, memo in memos.items():
        memo.save()


def remembered(name: str, compress: bool = False):
    """Decorator for a pure function of digestible arguments (code version included in the key)."""

    def wrap(func):
        @functools.wraps(func)
        def call(*args, **kwargs):
            memos = _MEMOS.get()
            if memos is None:
                return func(*args, **kwargs)
            memo = memos.get(name)
            if memo is None:
                memo = memos[name] = Memo(_memo_dir.get() / f"{name}.pickle", compress)
            key = _digester.get().of((code_version(), name, args, kwargs))
            return memo.get(key, lambda: func(*args, **kwargs))

        return call

    return wrap


# `serve` shows an edited page before the other outputs follow it: a build inside `deferring` leaves its channels
# (build.CHANNELS: feeds, slides, print, the search index...) to `run_later`, called once the browsers were told.
_LATER: ContextVar[list | None] = ContextVar("hasselthelpt_later", default=None)


@contextmanager
def deferring() -> Iterator[list]:
    later: list = []
    token = _LATER.set(later)
    try:
        yield later
    finally:
        _LATER.reset(token)


def is_deferring() -> bool:
    return _LATER.get() is not None


def defer(call) -> None:
    """Keep a call (a function without arguments) for run_later; only while `is_deferring()`."""
    _LATER.get().append(call)


def run_later(later: list, stop: Callable[[], bool] = lambda: False) -> bool:
    """Run the kept calls; whether one left outputs unmade (it returns true then). `stop`: whether they should
    give way (the next edit came in `serve`): the channels look at it between them (`stopping`), and a program
    of their own (Pagefind) is stopped (`run_program`)."""
    token = _STOP.set(stop)
    try:
        return any([bool(call()) for call in later])
    finally:
        _STOP.reset(token)


_STOP: ContextVar[Callable[[], bool]] = ContextVar("hasselthelpt_stop", default=lambda: False)


class Stopped(Exception):
    """A program was stopped because `stopping()`."""


def stopping() -> bool:
    """Whether the outputs being made should give way to the next build; what they leave unmade it makes."""
    return _STOP.get()()


def give_way() -> None:
    """For a long channel, between its files: stop once `stopping()` (the files it wrote are written again)."""
    if stopping():
        raise Stopped()


def run_program(cmd: list[str], look_every: float = 0.05) -> subprocess.CompletedProcess:
    """subprocess.run(cmd, capture_output=True, text=True), but the program is killed, and Stopped raised, once
    `stopping()`."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        while True:
            try:
                out, err = process.communicate(timeout=look_every)
                return subprocess.CompletedProcess(cmd, process.returncode, out, err)
            except subprocess.TimeoutExpired:
                if stopping():
                    process.kill()
                    process.communicate()
                    raise Stopped(cmd[0]) from None
