"""hasselthelpt.settings: HH_* keys from Pelican's settings, checked; and documented in docs/operators.md."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from hh_testing import REPO
from hasselthelpt import cli
from hasselthelpt.settings import DEFAULTS, TIMEZONE, SettingsError, from_pelican


def settings_of(tmp_path, **keys):
    return from_pelican({"PATH": str(tmp_path / "content"), **keys})


def test_unknown_key_is_named(tmp_path):
    with pytest.raises(SettingsError) as exc:
        settings_of(tmp_path, HH_PER_PAGES=20)
    assert "HH_PER_PAGES" in str(exc.value)
    assert "HH_PER_PAGE" in str(exc.value).replace("HH_PER_PAGES", ""), "the known keys are listed"


def test_unknown_key_in_settings_file_stops_the_cli(project, capsys):
    conf = project.root / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + "\nHH_TODYA = '2026-11-27'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="HH_TODYA"):
        project.settings()
    assert cli.main(["--project", str(project.root), "check"]) == 2
    assert "HH_TODYA" in capsys.readouterr().err


def test_live_reload_is_for_development_only(tmp_path):
    assert settings_of(tmp_path, HH_LIVE_RELOAD=True).live_reload
    assert not settings_of(tmp_path, SITEURL="https://www.hasselt.be/hasselthelpt").live_reload
    with pytest.raises(SettingsError, match="HH_LIVE_RELOAD"):
        settings_of(tmp_path, HH_LIVE_RELOAD=True, SITEURL="https://www.hasselt.be/hasselthelpt")


def test_other_keys_are_not_ours(tmp_path):
    assert settings_of(tmp_path, SITENAME="x", HHX=1).per_page == DEFAULTS["HH_PER_PAGE"][0]


def test_defaults(tmp_path):
    s = settings_of(tmp_path)
    assert s.root == tmp_path.resolve()
    assert s.preview is DEFAULTS["HH_PREVIEW"][0]
    assert s.image_widths == tuple(sorted(DEFAULTS["HH_IMAGE_WIDTHS"][0]))
    assert s.image_quality == DEFAULTS["HH_IMAGE_QUALITY"][0]
    assert s.cache_path == tmp_path.resolve() / DEFAULTS["HH_CACHE_PATH"][0]
    assert s.form_action == DEFAULTS["HH_FORM_ACTION"][0]
    assert s.per_page == DEFAULTS["HH_PER_PAGE"][0]


@pytest.mark.parametrize("value, expected", [("2026-11-27", dt.date(2026, 11, 27)),
                                             (dt.date(2027, 2, 28), dt.date(2027, 2, 28))])
def test_today_parsing(tmp_path, value, expected):
    assert settings_of(tmp_path, HH_TODAY=value).today == expected


@pytest.mark.parametrize("value", ["27-11-2026", "2026-02-30", "morgen"])
def test_today_invalid(tmp_path, value):
    with pytest.raises(SettingsError, match="HH_TODAY"):
        settings_of(tmp_path, HH_TODAY=value)


def test_today_default_is_today_in_belgium(tmp_path):
    before = dt.datetime.now(TIMEZONE).date()
    today = settings_of(tmp_path).today
    assert today in (before, dt.datetime.now(TIMEZONE).date())


def test_today_reaches_the_build_settings(project):
    assert project.settings(today="2027-01-02").today == dt.date(2027, 1, 2)


def test_image_widths_are_sorted_and_checked(tmp_path):
    assert settings_of(tmp_path, HH_IMAGE_WIDTHS=[960, 480]).image_widths == (480, 960)
    for bad in ([], [50, 960]):
        with pytest.raises(SettingsError, match="HH_IMAGE_WIDTHS"):
            settings_of(tmp_path, HH_IMAGE_WIDTHS=bad)


@pytest.mark.parametrize("key", list(DEFAULTS))
def test_every_setting_is_documented_for_operators(key):
    operators = REPO / "docs" / "operators.md"
    assert operators.is_file(), "docs/operators.md is missing: its build settings table must list every HH_* key"
    text = operators.read_text(encoding="utf-8")
    assert re.search(rf"\b{key}\b", text), f"{key} is not documented in docs/operators.md"
