"""Expectations for corpora of real workbooks (tests/data/calc, tests/data/redteam): what a file
must read as, checked the same way for every corpus."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest_helpers import PLAN

from ipdata.ingest import read_upload

# Plausibility warnings hang on thresholds set in the plan file: these tests do not pin them.
PLAUSIBILITY = {"yoy-change", "far-from-target"}


class _Anywhere:
    """Exactly one problem, wherever the reader puts it (a notice about a whole sheet or file)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "ANY"


ANY = _Anywhere()


@dataclass(frozen=True)
class OneOf:
    """Exactly one problem, at one of these cells."""

    options: tuple[str, ...]

    def __eq__(self, other: object) -> bool:
        return other in self.options


class EachAt:
    """One or more problems, each at one of these cells (one per column, per row or per table)."""

    def __init__(self, *cells: str) -> None:
        self.cells = cells

    def __eq__(self, other: object) -> bool:
        return other in self.cells

    def __repr__(self) -> str:
        return f"EachAt{self.cells}"


@dataclass
class Expect:
    values: list[tuple] = field(default_factory=list)  # (series, region, year, value) stored
    targets: list[tuple] = field(default_factory=list)  # (series, region, year, target) stored
    errors: list[tuple] = field(default_factory=list)  # (code, sheet, cell): a refusal names all of them
    warnings: list[tuple] = field(default_factory=list)  # (code, sheet, cell)
    messages: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "code" or "code@cell" -> pieces
    notices_in: str | None = None  # a column whose cells or header may carry any warning (read or ignored)


def same(got: list[tuple], expected: list[tuple]) -> bool:
    """Each expected problem found, and nothing else. A plain, ANY or OneOf location takes exactly
    one problem; an EachAt location takes all the problems of that code at its cells (at least one)."""
    left = list(got)
    for item in sorted(expected, key=lambda e: any(isinstance(part, EachAt) for part in e)):
        hits = [i for i, g in enumerate(left) if item == g]
        if not hits:
            return False
        taken = hits if any(isinstance(part, EachAt) for part in item) else hits[:1]
        left = [g for i, g in enumerate(left) if i not in taken]
    return not left


def _rows(frame: Any, value: str) -> list[tuple]:
    return sorted((s, r, int(y), round(float(v), 9))
                  for s, r, y, v in frame[["series", "region", "year", value]].itertuples(index=False, name=None))


def check_file(path: Path, expect: Expect) -> None:
    """Read `path` and assert it gives exactly what `expect` says (values, targets, problems)."""
    report = (upload := read_upload(path, PLAN)).report  # never raises
    errors = [(p.code, p.sheet, p.cell) for p in report.errors]
    warnings = [(p.code, p.sheet, p.cell) for p in report.warnings if p.code not in PLAUSIBILITY
                and not (expect.notices_in and (p.cell or "").rstrip("0123456789") == expect.notices_in)]
    assert same(errors, expect.errors), f"errors {errors}, expected {expect.errors}"
    for key, pieces in expect.messages.items():
        code, _, cell = key.partition("@")
        text = " ".join(p.message for p in report.problems if p.code == code and (not cell or p.cell == cell))
        assert all(piece in text for piece in pieces), f"{key}: {text!r} lacks one of {pieces}"
    if expect.errors:
        return  # a refused file: its errors are pinned, not the notices beside them
    assert same(warnings, expect.warnings), f"warnings {warnings}, expected {expect.warnings}"
    assert _rows(upload.observations, "value") == sorted(expect.values)
    assert _rows(upload.targets, "target") == sorted(expect.targets)


def load_script(path: Path, also_loaded: tuple[str, ...] = ()) -> Any:
    """The corpus script at `path` as a module (its CASES say which files it writes)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
        for name in also_loaded:
            sys.modules.pop(name, None)
    return module
