"""The HASSELT Helpt brand: colours, font and logo, in one place for the site and the signage slides."""

from __future__ import annotations

from pathlib import Path

NAME = "HASSELT Helpt"
TAGLINE = "Vrijwilligerswerk in Hasselt"

# Colour pairs are chosen for a contrast of at least 4.5:1 (WCAG AA) where text sits on them.
COLOURS = {
    "primary": "#A3123A",  # raspberry red: buttons, links, the logo's "Helpt"
    "primary_dark": "#7A0D2B",  # hover and focus
    "ink": "#1D1D29",  # body text
    "muted": "#4F4F5E",  # secondary text on white
    "paper": "#FFFFFF",
    "tint": "#FBF1F3",  # soft background of cards and bands
    "accent": "#FFC845",  # focus ring and highlights (never text on white)
}

FONT_DIR = Path(__file__).resolve().parent.parent / "theme" / "static" / "fonts"
FONT_REGULAR = FONT_DIR / "OpenSans-Regular.ttf"
FONT_BOLD = FONT_DIR / "OpenSans-Bold.ttf"
FONT_FAMILY = "Open Sans"


def css_variables() -> str:
    """The brand colours as CSS custom properties, inlined in every page's <head>."""
    body = ";".join(f"--hh-{name.replace('_', '-')}:{value}" for name, value in COLOURS.items())
    return f":root{{{body}}}"


def logo_svg(title: str = NAME) -> str:
    """The word mark: 'HASSELT' in ink, 'Helpt' in the primary colour, with a heart for the dot."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 260 48" width="260" height="48" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        f'<text x="0" y="34" font-family="{FONT_FAMILY}, sans-serif" font-weight="700" font-size="30" '
        f'fill="{COLOURS["ink"]}" letter-spacing="1">HASSELT</text>'
        f'<text x="146" y="34" font-family="{FONT_FAMILY}, sans-serif" font-weight="700" font-size="30" '
        f'fill="{COLOURS["primary"]}">Helpt</text>'
        f'<path d="M236 14c3-6 12-5 12 2 0 6-8 10-12 14-4-4-12-8-12-14 0-7 9-8 12-2z" fill="{COLOURS["primary"]}"/>'
        "</svg>"
    )
