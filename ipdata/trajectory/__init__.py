"""The trajectory engine: how far each goal has come, whether it is on schedule, where it is
heading, and a sentence that says so. Pure functions over data frames; the method is written
down in docs/method.md.

    compute(plan, values, targets=None, region=None) -> one row per goal (columns: COLUMNS)
    compute_all(plan, values, targets=None, regions=None) -> one row per (goal, region)
    goal_values(plan, values) -> goal values with per-10,000 ratios derived where missing
    to_records(frame) -> JSON-safe list of dicts

What a goal is judged against when its plan states a base, derives a target from it, gives the
goal its own years or interim targets: trajectory/targets.py. Rank goals: trajectory/rank.py.
"""

from ipdata.trajectory.derive import goal_values
from ipdata.trajectory.engine import COLUMNS, compute, compute_all, to_records
from ipdata.trajectory.labels import DEFAULT, STATUS_LABELS, STATUS_RANK, Thresholds

__all__ = [
    "COLUMNS", "DEFAULT", "STATUS_LABELS", "STATUS_RANK", "Thresholds", "compute", "compute_all",
    "goal_values", "to_records",
]
