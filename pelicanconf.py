"""Pelican settings for development: relative URLs, drafts and future items previewed. HH_* keys are ours
(see hasselthelpt/settings.py for each one's meaning and default)."""

AUTHOR = "Stad Hasselt"
SITENAME = "HASSELT Helpt"
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/Brussels"
DEFAULT_LANG = "nl"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["hasselthelpt_site"]

# The hasselthelpt_site plugin writes every page from the content model; Pelican's own readers, page types
# and feeds stay idle (and content/images is never copied: only resized photos are published).
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
DIRECT_TEMPLATES = []
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
# The plugin copies theme/static to output/theme/ itself, writing only files whose bytes differ (Pelican's static
# copy rewrites every file on every build).
THEME_STATIC_PATHS = []

RELATIVE_URLS = True
HH_PREVIEW = True

# Autoescape: content text such as "Vrienden & Co" must come out as valid HTML.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
