"""The benchmark's generated corpus (bench/corpus.py) stays content that `check` accepts: a rule added to the schema
(a reserved slug, a new limit) must not leave the benchmark measuring a build that stops at its first error."""

from __future__ import annotations

import sys
from pathlib import Path

from hh_testing import Project

from hasselthelpt.build import check

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import corpus  # noqa: E402


def test_a_small_corpus_passes_check(tmp_path):
    project = Project(tmp_path)
    counts = corpus.generate(tmp_path, seed=1, scale=0.01, workers=1)
    assert counts["vacancies"] >= 1 and counts["stories"] >= 1
    checked, errors = check(project.settings(today=corpus.TODAY.isoformat()))
    assert errors == []
    assert len(checked.of_type("vacancy")) == counts["vacancies"]
