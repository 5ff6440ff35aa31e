"""The report's charts: SVG from pygal, without JavaScript, in the brand's colours.

pygal (LGPL-3.0, kept up by Kozea, pure Python) draws bar charts as SVG on the server: the intranet page needs
no script, and the charts stay sharp when printed or zoomed. Its tooltip script is switched off (`js=[]`).

Each chart is hidden from screen readers (`aria-hidden`): the table beside it, with the same figures, is the
accessible content (report.html). Same figures, same bytes: the chart's id is fixed and pygal's comment with
today's date is left out.
"""

from __future__ import annotations

from . import brand
from .content import characters

WIDTH = 800
BAR_HEIGHT = 26  # per label, in horizontal charts
LABEL_CHARACTERS = 40  # longer labels are cut in the chart (the table has them in full)

SERIES = ("Aanmeldingen", "Antwoorden", "Matches")


def _style():
    from pygal.style import Style

    c = brand.COLOURS
    return Style(background=c["paper"], plot_background=c["paper"], foreground=c["ink"], foreground_strong=c["ink"],
                 foreground_subtle=c["muted"], colors=brand.CHART_COLOURS, opacity="1", opacity_hover="1",
                 font_family=f"{brand.FONT_FAMILY}, Arial, sans-serif", label_font_size=13,
                 major_label_font_size=13, legend_font_size=14, title_font_size=16, value_font_size=12,
                 tooltip_font_size=12, no_data_font_size=20, transition="0s")


def _chart(kind: str, chart_id: str, title: str, labels: list[str], height: int):
    import pygal

    chart_class = {"bar": pygal.Bar, "hbar": pygal.HorizontalBar}[kind]
    chart = chart_class(style=_style(), js=[], disable_xml_declaration=True, width=WIDTH, height=height,
                        title=characters.xml_safe(title), legend_at_bottom=True, truncate_label=LABEL_CHARACTERS,
                        truncate_legend=-1, print_values=False, show_minor_x_labels=True,
                        no_data_text="Geen gegevens", margin=12, spacing=12, min_scale=1, max_scale=8,
                        x_label_rotation=40 if kind == "bar" and len(labels) > 8 else 0)
    chart.uuid = chart_id  # pygal makes a random one; the CSS in the SVG is scoped to it
    chart.x_labels = [characters.xml_safe(label) for label in labels]
    return chart


def _svg(chart) -> str:
    """The chart as SVG text, without pygal's scripts (it always adds one with its configuration, for its
    tooltips), its comments (one carries today's date) and the ids inside it (every chart of a page would have
    the same ones)."""
    from pygal.etree import etree

    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag or tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
            elif "id" in child.attrib:  # for pygal's scripts only; the same in every chart of the page
                del child.attrib["id"]
    root.set("aria-hidden", "true")
    root.set("focusable", "false")
    return etree.tostring(root, encoding="unicode")


def _shown(table) -> list:
    rows = list(table.rows[:table.chart_rows] if table.chart_rows else table.rows)
    return rows[::-1] if table.horizontal else rows  # pygal draws horizontal bars from the bottom up


def _height(table, rows: list, series: int) -> int:
    if not table.horizontal:
        return 400
    return max(220, 110 + len(rows) * BAR_HEIGHT * (1 + 0.4 * (series - 1)))


def count_chart(table) -> str:
    """Sign-ups, answers and matches per row of the table."""
    rows = _shown(table)
    chart = _chart("hbar" if table.horizontal else "bar", f"{table.name}-aantallen",
                   f"{table.title}: aanmeldingen, antwoorden en matches", [r.label for r in rows],
                   int(_height(table, rows, 3)))
    chart.value_formatter = lambda v: f"{v:.0f}"
    if any(r.signups for r in rows):
        for name, values in zip(SERIES, ([r.signups for r in rows], [r.answers for r in rows],
                                         [r.matches for r in rows])):
            chart.add(name, values)
    return _svg(chart)


def median_chart(table) -> str:
    """The median response time in days per row (no bar where nothing was answered)."""
    rows = _shown(table)
    chart = _chart("hbar" if table.horizontal else "bar", f"{table.name}-reactietijd",
                   f"{table.title}: mediane reactietijd in dagen", [r.label for r in rows],
                   int(_height(table, rows, 1)))
    chart.value_formatter = lambda v: f"{v:.1f}".replace(".", ",")
    if any(r.median_days is not None for r in rows):
        chart.add("Mediane reactietijd (dagen)", [r.median_days for r in rows])
    return _svg(chart)
