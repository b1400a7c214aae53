"""The tidy result of reading one workbook: the contract between ingest and the store."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ipdata.errors import Report

# Column contracts (dtype in brackets). `sheet`/`cell` say where each value came from, so that a
# problem found later (e.g. by the store) can still name the place in the user's file.
OBSERVATION_COLUMNS = ["series", "region", "year", "value", "source", "note", "sheet", "cell"]
#   series[str: catalogue code of a goal, numerator or context series] region[str] year[int64]
#   value[float64] source[str|None] note[str|None] sheet[str] cell[str, "F7"]
TARGET_COLUMNS = ["series", "region", "year", "target", "note", "sheet", "cell"]
#   a region's own target for a goal (目标分解); year = the target year (normally plan.target_year)
TASK_COLUMNS = ["task_id", "status", "note", "updated", "sheet", "cell"]
#   task_id[str: TaskParagraph.id such as "二.2.3"] status[str: 未启动|推进中|已完成]
#   note[str|None] updated[str|None: date text as given]

TASK_STATUSES = ("未启动", "推进中", "已完成")


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class Upload:
    """What one file would change, once validated. Never partially valid: check `report.valid`."""

    file_name: str
    sha256: str
    observations: pd.DataFrame = field(default_factory=lambda: empty_frame(OBSERVATION_COLUMNS))
    targets: pd.DataFrame = field(default_factory=lambda: empty_frame(TARGET_COLUMNS))
    tasks: pd.DataFrame = field(default_factory=lambda: empty_frame(TASK_COLUMNS))
    report: Report = field(default_factory=Report)

    @property
    def is_empty(self) -> bool:
        return self.observations.empty and self.targets.empty and self.tasks.empty
