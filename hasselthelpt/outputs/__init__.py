"""Outputs: one module per thing the build writes from the checked content and its `Publication`.

The HTML pages: pages.py plans every page at its permanent URL (the Pelican plugin renders them); widget, the
open-data page and press add pages to that plan, page_meta adds data to every page as it is rendered (with
structured_data.py, the JSON-LD). The other writers have one signature, `write(prepared, settings, output)`, and
build.CHANNELS lists them: feeds (the RSS/Atom format in feed_writer.py), calendars (iCalendar in ics.py), sitemap,
opendata, staff, channel_images, press (feed and press kits) and search (Pagefind, and the matcher's data from
matcher.py).
"""
