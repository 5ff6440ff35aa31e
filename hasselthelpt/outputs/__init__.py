"""Outputs: one module per thing the build writes from the checked content and its `Publication`.

Writers have one signature, `write(prepared, settings, output)`, and build.CHANNELS lists them; the HTML pages
themselves are planned in site.py and rendered by the Pelican plugin, and the modules that add pages to that plan
(widget, the open-data page) or data to every page (page_meta) say so.
"""
