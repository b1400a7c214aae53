"""`make test` (what .ci/run runs) fails when pytest collects no test: a CI run that tested
nothing must fail loudly, not pass in silence."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make_pytest(args: str) -> subprocess.CompletedProcess:
    """The pytest step of `make test` on `args` (the ruff step is the same whatever the tests)."""
    return subprocess.run(["make", "-s", "--no-print-directory", "pytest",
                           f"PYTEST_ARGS={args} -q -p no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_no_test_collected_fails_and_says_so(tmp_path):
    run = make_pytest(str(tmp_path))  # an empty directory: pytest exits 5
    assert run.returncode != 0
    assert "pytest collected no test (exit 5): nothing was tested." in run.stderr


def test_a_passing_run_passes(tmp_path):
    (tmp_path / "test_one.py").write_text("def test_one():\n    assert 1 + 1 == 2\n", encoding="utf-8")
    run = make_pytest(str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_a_failing_run_fails(tmp_path):
    (tmp_path / "test_one.py").write_text("def test_one():\n    assert 1 + 1 == 3\n", encoding="utf-8")
    run = make_pytest(str(tmp_path))
    assert run.returncode != 0 and "1 failed" in run.stdout
    assert "nothing was tested" not in run.stderr


def test_make_test_runs_that_step():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest: setup\n", 1)[1].split("\n\n", 1)[0]
    assert "ruff check ." in recipe and "$(MAKE) --no-print-directory pytest" in recipe
    assert "rc=0" not in makefile  # nothing maps a failure (or exit 5) to success
