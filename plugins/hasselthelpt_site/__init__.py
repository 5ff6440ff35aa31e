"""Pelican glue: a generator that writes every HASSELT Helpt page. The logic lives in the hasselthelpt package."""

from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from hasselthelpt import brand, images, jinja, live, settings
from hasselthelpt.build import CHANNELS, prepare
from hasselthelpt.files import copy_if_changed, write_if_changed


class HasseltHelptGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.filters.update(jinja.FILTERS)
        self.env.globals.update(jinja.GLOBALS)
        self.hh = settings.from_pelican(self.settings)
        self.prepared = None

    def generate_context(self):
        self.prepared = prepare(self.hh)

    def generate_output(self, writer):
        """Pages are rendered here and written only when their bytes differ (Pelican's writer rewrites every
        file), and so are the theme's files (pelicanconf.py leaves THEME_STATIC_PATHS empty for this)."""
        output = Path(self.output_path)
        output.mkdir(parents=True, exist_ok=True)
        static = Path(self.theme) / "static"
        for source in sorted(p for p in static.rglob("*") if p.is_file()):
            copy_if_changed(source, output / self.settings["THEME_STATIC_DIR"] / source.relative_to(static))
        images.publish(self.prepared.public_images, self.hh.cache_path / "images", output)
        write_if_changed(output / "favicon.svg", brand.favicon_svg().encode("utf-8"))
        written = set()
        for page in self.prepared.pages:
            if page.save_as in written:
                raise ValueError(f"Two pages of the plan would be written to {page.save_as}.")
            written.add(page.save_as)
            write_if_changed(output / page.save_as, self.render(page))
        for channel in CHANNELS:
            channel(self.prepared, self.hh, output)

    def render(self, page) -> bytes:
        """The page as Pelican's writer renders it: its settings as context, SITEURL relative in development."""
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
