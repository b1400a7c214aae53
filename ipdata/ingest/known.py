"""What the store already holds, as far as checking an upload needs it (ingest never opens the store)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass(frozen=True)
class Known:
    """Current values (series, region, year, value), targets (series, region, year, target) and
    every region name seen so far. Empty for a first upload or a check without a store."""

    values: pd.DataFrame = field(default_factory=lambda: _empty("series", "region", "year", "value"))
    targets: pd.DataFrame = field(default_factory=lambda: _empty("series", "region", "year", "target"))
    regions: frozenset[str] = frozenset()

    @classmethod
    def from_frames(cls, values: pd.DataFrame, targets: pd.DataFrame) -> Known:
        regions = frozenset(values["region"].dropna().unique()) | frozenset(targets["region"].dropna().unique())
        return cls(values[["series", "region", "year", "value"]], targets[["series", "region", "year", "target"]],
                   regions)
