"""Tables the pages and the CLI show, computed here so that they are tested without Streamlit."""

from __future__ import annotations

import pandas as pd

from ipdata.catalogue import KIND_LABELS, Goal, Plan
from ipdata.trajectory import compute


def status_frame(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame | None = None,
                 region: str | None = None) -> pd.DataFrame:
    """The trajectory figures of every goal in one region (default: the district)."""
    return compute(plan, values, targets, region=region)


def _fmt_value(value: float, goal: Goal) -> str:
    """Same rule as the narrative: whole numbers for counts, one decimal otherwise."""
    if pd.isna(value):
        return "—"
    if goal.kind == "milestone":
        return "已建成" if value >= 1 else "未建成"
    return f"{value:,.0f}" if goal.is_count else f"{value:,.1f}"


def _pct(x: float) -> str:
    return "—" if pd.isna(x) else f"{x * 100:.1f}%"


def status_table(plan: Plan, frame: pd.DataFrame) -> pd.DataFrame:
    """Human-readable columns (Chinese headers) from `status_frame`."""
    if frame.empty:
        return pd.DataFrame()
    target_year = int(frame["target_year"].max())
    return pd.DataFrame({
        "类别": frame["category"],
        "指标": frame["name"],
        "类型": frame["kind"].map(KIND_LABELS),
        "单位": frame["unit"],
        "最新年份": frame["latest_year"].astype("Int64"),
        "最新值": [_fmt_value(v, plan.goal(c)) for v, c in zip(frame["latest_value"], frame["code"], strict=True)],
        f"{target_year}年目标": [plan.goal(c).target_text() if plan.district == r else t
                                for c, r, t in zip(frame["code"], frame["region"], frame["target_text"], strict=True)],
        "完成进度": frame["completion"].map(_pct),
        "序时进度": frame["time_elapsed"].map(_pct),
        "状态": frame["status"],
    }).reset_index(drop=True)


def goal_table(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame | None = None,
               region: str | None = None) -> pd.DataFrame:
    """One row per goal: latest tracked value, target, progress and status."""
    return status_table(plan, status_frame(plan, values, targets, region))


REVISION_HEADERS = {
    "id": "版本号", "created_at": "时间(UTC)", "user": "操作人", "kind": "类型", "file_name": "文件名",
    "sha256": "文件SHA-256", "comment": "说明", "n_new": "新增", "n_changed": "修改",
    "n_removed": "删除", "rollback_to": "回滚到版本",
}
REVISION_KIND_LABELS = {"import": "导入", "demo": "示例数据", "rollback": "回滚", "task-edit": "任务进度编辑"}


def revision_table(revisions: pd.DataFrame) -> pd.DataFrame:
    """The revision log with Chinese headers and labels; the file hash shortened for reading."""
    out = revisions.assign(
        kind=revisions["kind"].map(REVISION_KIND_LABELS).fillna(revisions["kind"]),
        sha256=revisions["sha256"].map(lambda h: h[:12] if isinstance(h, str) else ""),
    )
    out = out[list(REVISION_HEADERS)].rename(columns=REVISION_HEADERS)
    return out.astype(object).where(out.notna(), "")
