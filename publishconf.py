"""Pelican settings for the public site: absolute URLs, no drafts or future items. The output folder is kept
between builds (incremental): the build removes the files whose source vanished (hasselthelpt/incremental.py).
The production build runs with Pelican's fatal-warnings mode (`hasselthelpt build --production`)."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = "https://www.hasselt.be/hasselthelpt"
RELATIVE_URLS = False
HH_PREVIEW = False
