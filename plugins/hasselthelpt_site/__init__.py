"""Pelican glue: a generator that writes every HASSELT Helpt page. The logic lives in the hasselthelpt package."""

from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from hasselthelpt import brand, images, jinja, settings
from hasselthelpt.build import CHANNELS, prepare


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
        output = Path(self.output_path)
        output.mkdir(parents=True, exist_ok=True)
        images.publish(self.prepared.public_images, self.hh.cache_path / "images", output)
        (output / "favicon.svg").write_text(brand.favicon_svg(), encoding="utf-8")
        form_action = self.hh.form_action
        for page in self.prepared.pages:
            writer.write_file(page.save_as, self.get_template(page.template), self.context,
                              relative_urls=self.hh.relative_urls, FORM_ACTION=form_action,
                              PRIVACY_VERSION=self.hh.privacy_version, TRANSLATIONS=self.hh.translations,
                              **page.context)
        for channel in CHANNELS:
            channel(self.prepared, self.hh, output)


def get_generators(pelican_object):
    return HasseltHelptGenerator


def register():
    signals.get_generators.connect(get_generators)
