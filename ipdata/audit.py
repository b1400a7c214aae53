"""The audit trail: every write, who did it, when, what, from which file.

Every data write is already a revision (import, demo, rollback, task edit, note) carrying user, time,
file name and sha256, so the revisions are the first source of events. `events` unions all
sources into one frame with the columns of `EVENT_COLUMNS`; a later source (user changes, failed
logins) is one more function `(store) -> frame with EVENT_COLUMNS` appended to `SOURCES`.

Who may read what: the trail names people (operators, user names, logins, addresses), so it is
for statisticians and admins (`may_see_people`). Visitors see the revision log's versions, times
and kinds of change only (`revision_log(..., people=False)`); the data export follows the same rule.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ipdata.store import Store
from ipdata.views import REVISION_HEADERS, REVISION_KIND_LABELS, local_time, revision_table

EVENT_COLUMNS = ["time", "user", "action", "what", "file_name", "sha256", "revision_id",
                 "n_new", "n_changed", "n_removed", "n_warnings", "comment", "source", "client"]
#   time[str: UTC ISO 8601] user[str] action[str: import|demo|rollback|task-edit|...]
#   what[str: Chinese description] file_name, sha256[str|None] revision_id[Int64]
#   n_new, n_changed, n_removed[Int64: counts of changed items] n_warnings[Int64: warnings the
#   upload was imported with, see Store.revision_warnings] comment[str|None]
#   source[str: which log the event comes from, "revisions" for data writes]
#   client[str|None: the browser's address of a web login or user change]

AUDIT_HEADERS = {
    "time": "时间(北京时间)", "user": "操作人", "action": "操作", "what": "内容", "file_name": "文件名",
    "sha256": "文件SHA-256", "revision_id": "版本号", "n_new": "新增", "n_changed": "修改",
    "n_removed": "删除", "n_warnings": "警告", "comment": "说明", "client": "地址",
}
# The revision log's columns a visitor sees: versions, times, kinds and sizes of change.
PUBLIC_REVISION_FIELDS = ("id", "created_at", "kind", "n_new", "n_changed", "n_removed", "n_demo_removed",
                          "n_warnings", "rollback_to")


def may_see_people(user) -> bool:
    """Whether `user` (an auth.User, or None for a visitor) may see who did what."""
    from ipdata.auth import STATISTICIAN, User

    return isinstance(user, User) and user.has(STATISTICIAN)


def revision_log(revisions: pd.DataFrame, people: bool) -> pd.DataFrame:
    """The 版本记录 table: all of it for statisticians and admins; for visitors no operator,
    file name, file hash or comment (which name people)."""
    table = revision_table(revisions)
    return table if people else table[[REVISION_HEADERS[f] for f in PUBLIC_REVISION_FIELDS]]


def revision_events(store: Store) -> pd.DataFrame:
    """One event per revision."""
    revs = store.revisions()
    what = [_describe(r) for r in revs.to_dict("records")]
    return pd.DataFrame({
        "time": revs["created_at"], "user": revs["user"], "action": revs["kind"], "what": what,
        "file_name": revs["file_name"], "sha256": revs["sha256"], "revision_id": revs["id"],
        "n_new": revs["n_new"], "n_changed": revs["n_changed"], "n_removed": revs["n_removed"],
        "n_warnings": revs["n_warnings"], "comment": revs["comment"], "source": "revisions",
    }, columns=EVENT_COLUMNS)


_COUNTS = ("revision_id", "n_new", "n_changed", "n_removed", "n_warnings")

AUTH_LABELS = {"login": "登录", "confirm": "确认密码", "logout": "退出登录", "user-add": "新增用户",
               "user-passwd": "修改密码", "user-role": "修改角色", "user-disable": "停用用户", "user-enable": "启用用户"}
_FAILURES = {"throttled": "（失败次数过多，已拒绝）", "bad-credentials": "（用户名或密码不正确）"}
_LOGOUTS = {"idle": "（长时间无操作，自动退出）", "expired": "（登录时间到期）", "changed": "（账户已停用或角色、密码已变更）"}


def _auth_what(r: dict, role_labels: dict[str, str]) -> str:
    label, detail = AUTH_LABELS.get(r["event"], r["event"]), None if pd.isna(r["detail"]) else r["detail"]
    if r["event"] in ("login", "confirm"):
        return f"{label}{'成功' if r['ok'] else '失败'}{_FAILURES.get(detail, '')}"
    if r["event"] == "logout":
        return f"{label}{_LOGOUTS.get(detail, '')}"
    return f"{label}“{r['name']}”" + (f"（{role_labels.get(detail, detail)}）" if detail else "")


def auth_events(store: Store) -> pd.DataFrame:
    """Logins (successful, failed, throttled), password confirmations, logouts and user changes."""
    from ipdata.auth import ROLE_LABELS, Users

    ev = Users(store.path).events()
    what = [_auth_what(r, ROLE_LABELS) for r in ev.to_dict("records")]
    none = [None] * len(ev)
    return pd.DataFrame({
        "time": ev["happened_at"], "user": [n if pd.isna(a) else a for a, n in zip(ev["actor"], ev["name"], strict=True)],
        "action": ev["event"], "what": what, "file_name": none, "sha256": none, "revision_id": none,
        "n_new": none, "n_changed": none, "n_removed": none, "n_warnings": none, "comment": none, "source": "auth",
        "client": ev["client"],
    }, columns=EVENT_COLUMNS)


def restore_events(store: Store) -> pd.DataFrame:
    """Restores from a backup (ipdata/backup.py): who, when, from which backup, and where the
    data it replaced was saved first."""
    rs = store.restores()
    what = [f"从备份恢复数据（备份于 {local_time(r['backup_created_at'])}，最新为第 {r['backup_revision']} 版"
            + ("" if pd.isna(r["replaced_revision"]) else f"；替换了第 {int(r['replaced_revision'])} 版及以前的数据")
            + ("；用户和登录记录也按备份恢复" if r["with_users"] else "") + "）" for r in rs.to_dict("records")]
    comment = [None if pd.isna(p) else f"恢复前的数据已自动备份到 {p}" for p in rs["safety_backup"]]
    none = [None] * len(rs)
    return pd.DataFrame({
        "time": rs["restored_at"], "user": rs["user"], "action": "restore", "what": what,
        "file_name": rs["backup_dir"], "sha256": none, "revision_id": rs["backup_revision"], "n_new": none,
        "n_changed": none, "n_removed": none, "n_warnings": none, "comment": comment, "source": "restores",
    }, columns=EVENT_COLUMNS)


SOURCES: list[Callable[[Store], pd.DataFrame]] = [revision_events, auth_events, restore_events]


def events(store: Store) -> pd.DataFrame:
    """Every recorded event from every source, oldest first (ties in source order)."""
    frames = [f[EVENT_COLUMNS] for f in (source(store) for source in SOURCES) if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_COLUMNS})
    out = pd.concat(frames, ignore_index=True).sort_values("time", kind="stable", ignore_index=True)
    for c in EVENT_COLUMNS:
        if c in _COUNTS:
            out[c] = out[c].astype("Int64")
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


def audit_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Events with Chinese headers and labels, blanks for missing, for the CLI and the pages."""
    labels = {**REVISION_KIND_LABELS, **AUTH_LABELS, "restore": "从备份恢复"}
    out = frame.assign(action=frame["action"].map(labels).fillna(frame["action"]), time=frame["time"].map(local_time))
    out = out[list(AUDIT_HEADERS)].rename(columns=AUDIT_HEADERS)
    return out.astype(object).where(out.notna(), "")


def records(frame: pd.DataFrame) -> list[dict]:
    """Events as JSON-ready dicts (None for missing, ints for counts)."""
    return [
        {k: (None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v))
             else int(v) if hasattr(v, "__index__") else v) for k, v in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


def _describe(rev: dict) -> str:
    kind = rev["kind"]
    if kind == "import":
        text = f"导入文件“{rev['file_name']}”" if rev.get("file_name") else "导入数据"
        return text + (f"，删除示例数据 {rev['n_demo_removed']} 项" if rev.get("n_demo_removed") else "")
    if kind == "demo":
        return "载入示例数据（虚构）"
    if kind == "rollback":
        to = rev["rollback_to"]
        return "回滚到第 0 版（清空全部数据）" if to == 0 else f"回滚到第 {to} 版之后的状态"
    if kind == "task-edit":
        return "在线修改重点任务进度"
    if kind == "note":  # one note a revision: added, rewritten or taken back
        verb = "删除" if rev.get("n_removed") else "修改" if rev.get("n_changed") else "添加"
        return f"{verb}指标备注"
    return str(kind)
