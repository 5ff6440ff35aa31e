"""Pelican glue: a generator that writes every HASSELT Helpt page. The logic lives in the hasselthelpt package."""

import contextlib
import contextvars
import functools
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import signals
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from hasselthelpt import brand, incremental, jinja, live, quick_render, settings
from hasselthelpt.build import BESIDE, CHANNELS, prepare
from hasselthelpt.files import copy_if_changed, counting, current_tally, is_precompressed, keep, write_if_changed
from hasselthelpt.images import photos
from hasselthelpt.outputs import page_meta


class HasseltHelptGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.filters.update(jinja.FILTERS)
        self.env.globals.update(jinja.GLOBALS)
        self.hh = settings.from_pelican(self.settings)
        # Compiled templates kept between builds (Jinja checks each template's source before using its copy):
        # compiling the theme took longer than rendering the one page an edit changes.
        compiled = self.hh.cache_path / "jinja"
        compiled.mkdir(parents=True, exist_ok=True)
        self.env.bytecode_cache = FileSystemBytecodeCache(str(compiled))
        self.prepared = None

    def generate_context(self):
        self.prepared = prepare(self.hh)

    def generate_output(self, writer):
        """Pages and channels are made again only when their inputs changed since the last build into this
        folder (hasselthelpt/incremental.py), and written only when their bytes differ (Pelican's writer
        rewrites every file); so are the theme's files (pelicanconf.py leaves THEME_STATIC_PATHS empty for this).
        Files the last build produced and this one did not are removed."""
        output = Path(self.output_path)
        output.mkdir(parents=True, exist_ok=True)
        state_path = incremental.state_file(self.hh.cache_path, output)
        previous = incremental.BuildState.load(state_path)
        if not previous.outputs and (output / "index.html").is_file():  # a site built before any state was kept
            previous.outputs = incremental.output_stats(
                p.absolute() for root in (output, self.hh.staff_folder(output)) if root.is_dir()
                for p in root.rglob("*") if p.is_file() and not is_precompressed(p))
        state = incremental.BuildState()
        build_tally = current_tally()  # None outside `hasselthelpt build` (tests running Pelican): then our own
        own = contextlib.nullcontext(build_tally) if build_tally else self._counting(output)
        with incremental.remembering(self.hh.cache_path / "memo"), own as tally:
            self._write(output, previous, state)
        produced = set(tally.paths)
        incremental.remove_vanished(previous.outputs, produced)
        state.outputs = incremental.output_stats(sorted(produced))
        state.save(state_path)
        if self.hh.live_reload:  # `serve`: the next edit's page can be made at once from this build
            quick_render.remember(quick_render.LastBuild(self.prepared, self.hh, output, self.render_page))

    def _write(self, output: Path, previous, state) -> None:
        static = Path(self.theme) / "static"
        for source in sorted(p for p in static.rglob("*") if p.is_file()):
            copy_if_changed(source, output / self.settings["THEME_STATIC_DIR"] / source.relative_to(static))
        photos.publish(self.prepared.public_images, self.hh.cache_path / "images", output)
        write_if_changed(output / "favicon.svg", brand.favicon_svg().encode("utf-8"))
        digester = incremental.Digester()
        shared = incremental.Digester(lenient=True).of(self.context)  # Pelican's settings as templates see them
        base = digester.of((incremental.code_version(), incremental.folder_digest(Path(self.theme) / "templates"),
                            shared, self.hh, self.prepared.images))  # the images: each page's meta shows some
        for page in self.prepared.pages:
            if page.save_as in state.pages:
                raise ValueError(f"Two pages of the plan would be written to {page.save_as}.")
            digest = digester.of((base, page.save_as, page.template, page.context))
            state.pages[page.save_as] = digest
            path = output / page.save_as
            if previous.pages.get(page.save_as) == digest and previous.intact(path):
                keep(path)
            else:
                write_if_changed(path, self.render_page(page))
        # A channel reads the whole prepared build, the project's signage folder and the pages just written.
        signage = self.hh.root / "signage"
        inputs = functools.cache(lambda: digester.of((base, self.prepared, str(output.resolve()),
                                                       incremental.folder_digest(signage) if signage.is_dir() else "")))
        todo = []
        for channel in CHANNELS:
            name = f"{channel.__module__}.{channel.__qualname__}"
            digest, paths = previous.channels.get(name, ["", []])
            if not all(previous.intact(p) for p in paths):
                digest = ""  # one of its files was changed or removed since: it runs again
            todo.append((channel, name, digest, paths))
        if incremental.is_deferring():  # `serve`: they run after the browsers reloaded (no page reads them)
            for channel, name, digest, paths in todo:
                kept_paths = [p for p in paths if os.path.isfile(p)]
                for p in kept_paths:  # the last run's files stay until the channel ran again
                    keep(p)
                state.channels[name] = ["", kept_paths]  # should the later run never happen, the next build runs it
            incremental.defer(self._later(todo, inputs, output))
        else:
            state.channels.update(self._channels(todo, inputs(), output))

    def _channels(self, todo: list, inputs: str, output: Path) -> dict[str, list]:
        """Each channel's [inputs, files]. Those of build.BESIDE (Pagefind: a program of its own, on the pages
        already written) run in a thread while the others run here, so a build uses both cores. Once
        `incremental.stopping()` (`serve`'s next edit came) no channel starts, the feeds and Pagefind stop: those
        are left out, and the next build makes them."""
        beside = [job for job in todo if job[0] in BESIDE]
        made = {}
        with ThreadPoolExecutor(max_workers=1) as pool:
            running = {job[1]: pool.submit(contextvars.copy_context().run, self._run, *job, inputs, output)
                       for job in beside}
            for job in todo:
                if job not in beside and not incremental.stopping():
                    with contextlib.suppress(incremental.Stopped):
                        made[job[1]] = self._run(*job, inputs, output)
            for name, future in running.items():
                with contextlib.suppress(incremental.Stopped):
                    made[name] = future.result()
        return {job[1]: made[job[1]] for job in todo if job[1] in made}

    def _counting(self, output: Path):
        """A tally of the files written below the public and the staff output."""
        return counting(output, self.hh.staff_folder(output))

    def _run(self, channel, name: str, digest: str, paths: list[str], inputs: str, output: Path) -> list:
        """A channel's [inputs, files]: it runs unless its inputs and every file it made are as last time."""
        if digest == inputs:
            for p in paths:
                keep(p)
            return [inputs, paths]
        with self._counting(output) as own:
            channel(self.prepared, self.hh, output)
        return [inputs, sorted(own.paths)]

    def _later(self, todo: list, inputs, output: Path):
        """The channels' run after the browsers reloaded; then their files and inputs go into the build's state.
        It returns how many it left unmade for the next build (which came meanwhile: `incremental.stopping`)."""
        hh, state_path = self.hh, incremental.state_file(self.hh.cache_path, output)

        def run() -> int:
            started = time.perf_counter()
            with incremental.remembering(hh.cache_path / "memo"), self._counting(output) as tally:
                made = self._channels(todo, inputs(), output)
            state = incremental.BuildState.load(state_path)
            for channel, name, digest, paths in todo:
                if name not in made:
                    continue  # its state stays unmade: the next build makes it
                files = made[name][1]
                incremental.remove_vanished(paths, set(files))
                for p in set(paths) - set(files):
                    state.outputs.pop(p, None)
                state.outputs.update(incremental.output_stats(files))
                state.channels[name] = made[name]
            state.save(state_path)
            left, summary = len(todo) - len(made), tally.summary(time.perf_counter() - started)
            if left:
                summary = f"{summary[:-1]}; {left} of {len(todo)} outputs left for the next build, which came."
            print(f"Then the other outputs: {summary}", flush=True)
            return left

        return run

    def render_page(self, page) -> bytes:
        """A page of the plan with its meta (Open Graph, feeds, JSON-LD), as Pelican's writer renders it: its
        settings as context, SITEURL relative in development."""
        page = page_meta.with_meta(page, self.hh, self.prepared.images)
        context = {**self.context, "output_file": page.save_as, "FORM_ACTION": self.hh.form_action,
                   "PRIVACY_VERSION": self.hh.privacy_version, "TRANSLATIONS": self.hh.translations,
                   "LIVE_RELOAD": live.SCRIPT if self.hh.live_reload else "", **page.context}
        if self.hh.relative_urls:
            context["SITEURL"] = context["localsiteurl"] = path_to_url(get_relative_path(page.save_as))
        return self.get_template(page.template).render(context).encode("utf-8")


def get_generators(pelican_object):
    return HasseltHelptGenerator


def register():
    signals.get_generators.connect(get_generators)
