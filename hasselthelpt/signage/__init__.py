"""Signage: ready-sized slides for every screen in signage/screens.yaml, and the playlists the players pull.

screens (the screen definitions, checked) -> select (which items, words, links, dates) -> layout (fitted text,
pure geometry) -> render (Pillow, cached by a hash of the inputs) -> output (playlist JSON, Media RSS,
slideshow page). `check`, `output.plan_slides` (the slides of this build, made once in build.check_site) and
`write_signage` are what the build calls.
"""

from .output import check, write_signage

__all__ = ["check", "write_signage"]
