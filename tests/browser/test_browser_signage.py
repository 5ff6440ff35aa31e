"""The signage slideshow page in Chromium, with the page's clock under the test's control: it advances by itself,
crossfades, skips what has expired by the player's own clock, and keeps playing offline once loaded."""

from __future__ import annotations

import datetime as dt
import json

from hasselthelpt.settings import TIMEZONE

SCREEN = "jcdecaux-portrait"


def shown(page) -> str:
    """The slide on top: the one with class 'on' and the highest z-index."""
    return page.evaluate("""() => {
        const on = [...document.querySelectorAll('img.on')];
        on.sort((a, b) => Number(b.style.zIndex) - Number(a.style.zIndex));
        return on.length ? on[0].getAttribute('src') : null; }""")


def open_at(page, site, moment: dt.datetime) -> list[dict]:
    page.clock.install(time=moment)
    page.goto(f"{site.url}signage/{SCREEN}/")
    page.wait_for_load_state("load")
    page.clock.run_for(100)
    return json.loads((site.output / "signage" / SCREEN / "playlist.json").read_text(encoding="utf-8"))["assets"]


def cycle(page, assets) -> list[str]:
    seen = []
    for _ in range(len(assets)):
        seen.append(shown(page))
        page.clock.run_for(assets[0]["duration"] * 1000)
    return seen


def name(asset: dict) -> str:
    return asset["uri"].rsplit("/", 1)[-1]


def test_slideshow_plays_every_live_slide_in_order(site, page):
    assets = open_at(page, site, dt.datetime(2026, 11, 27, 10, 0, tzinfo=TIMEZONE))
    assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"), "preloaded"
    assert cycle(page, assets) == [name(a) for a in assets]
    opacity = page.evaluate("() => getComputedStyle(document.querySelector('img.slide')).transitionDuration")
    assert opacity == "1s", "a crossfade, nothing faster"


def test_expired_items_drop_out_by_the_players_clock_and_offline(site, page):
    assets = open_at(page, site, dt.datetime(2026, 11, 27, 10, 0, tzinfo=TIMEZONE))
    page.context.set_offline(True)
    later = dt.datetime(2026, 12, 5, 9, 0, tzinfo=TIMEZONE)  # the market stall of 4 December is over
    page.clock.set_system_time(later)
    page.clock.run_for(assets[0]["duration"] * 1000)
    live = [name(a) for a in assets if dt.datetime.fromisoformat(a["end_date"]) > later]
    assert len(live) < len(assets), "the sample has an item that ends before 5 December"
    seen = set(cycle(page, assets))
    assert seen == set(live)


def test_fallback_slide_when_everything_has_expired(site, page):
    open_at(page, site, dt.datetime(2031, 1, 1, 10, 0, tzinfo=TIMEZONE))
    assert shown(page).startswith("brand-hasselt-helpt-")
