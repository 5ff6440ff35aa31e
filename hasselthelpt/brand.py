"""The HASSELT Helpt brand: colours, font and logo, in one place for the site and the signage slides."""

from __future__ import annotations

from pathlib import Path

NAME = "HASSELT Helpt"
TAGLINE = "Vrijwilligerswerk in Hasselt"
# The desk of HASSELT Helpt, for people who are not online: in the footer of every page and on the screens.
HELPDESK = {"phone": "011 00 10 00", "email": "vrijwilligers@hasselthelpt.example"}
# The organiser of activities that name no organisation.
CITY_ORGANISER = f"{NAME} (Stad Hasselt)"
# The city's help for organisations (insurance, expenses, good vacancies): named by `check` and the vacancy form.
ORGANISATION_HELP_URL = "https://www.hasselt.be/hasselthelpt/voor-organisaties/"

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
# The series of a chart (hasselthelpt/report_charts.py), in this order: each has a contrast of at least 3:1 on
# paper (WCAG 1.4.11, graphical objects) and differs from the others in hue or lightness. The blue is the one
# colour not used elsewhere: the brand has no third dark colour that is neither red nor grey.
CHART_COLOURS = (COLOURS["primary"], COLOURS["ink"], "#2B6E8F")

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"  # beside the package, in the project's repository
FONT_DIR = THEME_DIR / "static" / "fonts"
FONT_REGULAR = FONT_DIR / "OpenSans-Regular.ttf"
FONT_BOLD = FONT_DIR / "OpenSans-Bold.ttf"
FONT_FAMILY = "Open Sans"


def css_variables() -> str:
    """The brand colours as CSS custom properties, inlined in every page's <head>."""
    body = ";".join(f"--hh-{name.replace('_', '-')}:{value}" for name, value in COLOURS.items())
    return f":root{{{body}}}"


def heart_path(x: float, y: float, size: float) -> str:
    """The heart of the logo as an SVG path, in a size x size box at (x, y)."""
    k = size / 24
    return (f"M{x + 12 * k:g} {y + 5 * k:g}c{3 * k:g}-{6 * k:g} {12 * k:g}-{5 * k:g} {12 * k:g} {2 * k:g} "
            f"0 {6 * k:g}-{8 * k:g} {10 * k:g}-{12 * k:g} {14 * k:g}-{4 * k:g}-{4 * k:g}-{12 * k:g}-{8 * k:g}-"
            f"{12 * k:g}-{14 * k:g} 0-{7 * k:g} {9 * k:g}-{8 * k:g} {12 * k:g}-{2 * k:g}z")


def logo_svg(title: str = NAME) -> str:
    """The word mark: a heart, then 'HASSELT' in ink and 'Helpt' in the primary colour."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 250 40" width="250" height="40" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        f'<path d="{heart_path(0, 6, 30)}" fill="{COLOURS["primary"]}"/>'
        f'<text x="38" y="30" font-family="{FONT_FAMILY}, sans-serif" font-weight="700" font-size="26" '
        f'fill="{COLOURS["ink"]}">HASSELT <tspan fill="{COLOURS["primary"]}">Helpt</tspan></text>'
        "</svg>"
    )


def favicon_svg() -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" '
            f'fill="{COLOURS["primary"]}"/><path d="{heart_path(4, 4, 24)}" fill="#fff"/></svg>\n')
