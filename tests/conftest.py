"""Shared fixtures. The helpers they use, and that test modules import, are in hh_testing.py."""

from __future__ import annotations

import shutil

import pytest

from hh_testing import REPO, Project


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path)


@pytest.fixture
def sample_project(tmp_path) -> Project:
    """The repo's own sample content in a throwaway project."""
    p = Project(tmp_path)
    for name in ("content", "vacancies"):
        shutil.rmtree(p.root / name)
        shutil.copytree(REPO / name, p.root / name)
    return p
