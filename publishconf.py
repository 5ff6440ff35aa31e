"""Pelican settings for the public site: absolute URLs, no drafts or future items, clean output folder.
The production build runs with Pelican's fatal-warnings mode (`hasselthelpt build --production`)."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = "https://www.hasselt.be/hasselthelpt"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
HH_PREVIEW = False
