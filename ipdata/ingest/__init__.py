"""Excel ingest: read a workbook, validate every cell, return an `Upload` (never raises for a bad file).

load (workbook.py: bytes -> sheets) -> read tables (tables.py: header detection -> raw rows)
-> values (values.py: names, units, numbers, years -> records) -> checks (checks.py: across records)
-> Upload. All problems are collected at once, each located by sheet and cell.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from ipdata.catalogue import Plan
from ipdata.errors import Problem, Report, column_letter
from ipdata.ingest import checks, columns, sheet_checks
from ipdata.ingest.known import Known
from ipdata.ingest.limits import Limits
from ipdata.ingest.matching import Matcher
from ipdata.ingest.regions import Regions
from ipdata.ingest.tables import EXPECTED_HEADERS, Header, find_tables, read_table
from ipdata.ingest.upload import (
    OBSERVATION_COLUMNS,
    TARGET_COLUMNS,
    TASK_COLUMNS,
    Upload,
    empty_frame,
)
from ipdata.ingest.values import RowReader, read_tasks, today_year
from ipdata.ingest.workbook import Sheet, load_sheets

__all__ = ["MAX_UPLOAD_BYTES", "Known", "Limits", "read_upload", "read_upload_isolated"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FAST = True  # read data tables column-wise (columns.py); False: row by row only (tests compare)
SKIPPED_SHEET_WORDS = ("说明",)  # 填报说明 holds a goal table for reading, not data


def read_upload(source: Path | bytes, plan: Plan, file_name: str | None = None,
                known: Known | None = None, limits: Limits | None = None) -> Upload:
    """Read and validate one workbook in this process. Every problem is in `upload.report`; check `.valid`.

    `known` is what the store already holds (regions seen, current values and targets): it lets
    the plausibility checks compare with last year's figure and the region's own target.
    Files from other hands are read through `read_upload_isolated` (worker.py), which runs this in
    a worker process with memory and time limits; this function alone bounds what it can before
    each expensive step (`limits`), but cannot stop a reader that runs away.
    """
    limits = limits or Limits.from_settings()
    data, upload = raw_upload(source, file_name)
    if upload.report.valid:
        _read(data, plan, upload, known or Known(), limits)
    return upload


def raw_upload(source: Path | bytes, file_name: str | None = None) -> tuple[bytes, Upload]:
    """The bytes of an upload and its (still empty) Upload; a problem already when the file cannot
    be read or is too big to parse."""
    data, name, problem = _raw(source, file_name)
    upload = Upload(file_name=name, sha256=hashlib.sha256(data).hexdigest())
    if problem is None and len(data) > MAX_UPLOAD_BYTES:
        problem = Problem("file-too-large", f"文件有 {len(data) / 1024 / 1024:.1f} MB，超过上限 "
                          f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB。请删除无关的工作表、图片后再上传，或分成几个文件上传。")
    if problem is not None:
        upload.report.add(problem)
    return data, upload


def _raw(source: Path | bytes, file_name: str | None) -> tuple[bytes, str, Problem | None]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), file_name or "上传文件.xlsx", None
    path = Path(source)
    try:
        return path.read_bytes(), file_name or path.name, None
    except OSError as exc:
        reason = "找不到该文件" if isinstance(exc, FileNotFoundError) else "无法读取该文件"
        return b"", file_name or path.name, Problem("unreadable-file", f"{reason}：{path}。请检查文件路径后重试。")


def _skipped_for_name(sheet_name: str, header: Header | None) -> bool:
    """A 填报说明-like sheet is skipped for its name only when it holds no data table (a goal list
    with targets is the template's guide, not data)."""
    return any(w in sheet_name for w in SKIPPED_SHEET_WORDS) and (header is None or header.kind == "targets")


def _read(data: bytes, plan: Plan, upload: Upload, known: Known, limits: Limits) -> None:
    report = upload.report
    sheets, problems = load_sheets(data, limits)
    report.add(problems)
    if sheets is None:
        return
    regions = Regions(plan)
    reader = RowReader(plan, Matcher(plan), today_year(), regions, limits)
    task_records: list[dict] = []
    fast_obs: list[pd.DataFrame] = []
    fast_targets: list[pd.DataFrame] = []
    found_table = False
    for sheet in sheets:
        if sheet.is_empty:
            continue
        headers = find_tables(sheet, regions)
        if _skipped_for_name(sheet.name, headers[0] if headers else None):
            continue
        if sheet.hidden:
            report.add(Problem("hidden-sheet", "这是隐藏的工作表，已跳过，其中的数据没有导入。如需导入，请在 Excel 中取消隐藏后重新上传。",
                               sheet=sheet.name, severity="warning"))
            continue
        if not headers:
            report.add(sheet_checks.sheet_not_read(sheet, reader.matcher))
            continue
        found_table = True
        for k, header in enumerate(headers):
            above = headers[k - 1].end or 0 if k else 0
            _read_table(sheet, header, above, plan, reader, report, fast_obs, fast_targets, task_records)

    order = {s.name: i for i, s in enumerate(sheets)}
    obs = _frame(reader.observations, OBSERVATION_COLUMNS, {"year": "int64", "value": "float64"}, fast_obs, order)
    targets = _frame(reader.targets, TARGET_COLUMNS, {"year": "int64", "target": "float64"}, fast_targets, order)
    tasks = _frame(task_records, TASK_COLUMNS, {})
    obs, p1 = checks.duplicate_conflicts(obs, ["series", "region", "year"], "value")
    targets, p2 = checks.duplicate_conflicts(targets, ["series", "region", "year"], "target")
    tasks, p3 = checks.duplicate_conflicts(tasks, ["task_id"], "status")
    report.add(p1 + p2 + p3)
    report.add(checks.skipped_rows(reader.skipped, reader.matcher))
    report.add(checks.subtotal_rows(reader.subtotals))
    report.add(checks.hidden_cells(obs, targets, sheets))
    fractions = list(checks.fraction_percents(obs, targets, plan))
    report.add(fractions)
    report.add(checks.derived_mismatches(obs, plan))
    # a jump next to a fraction-looking percent is the fraction's doing: told once, as that
    report.add(checks.year_on_year(obs, plan, known.values, {(p.sheet, p.cell) for p in fractions}))
    report.add(checks.far_from_target(obs, targets, plan, known.targets))
    report.add(checks.new_regions(obs, targets, plan, regions, known.regions))
    targets, p4 = checks.district_targets(targets, plan)
    report.add(p4)

    if all(s.is_empty for s in sheets):
        report.add(Problem("no-data", "工作簿是空的，没有任何内容。请在模板中填写数据后再上传。"))
    elif not found_table:
        report.add(Problem("no-data", f"未找到可识别的数据表。表头应为以下之一：{EXPECTED_HEADERS}。"
                           "建议下载填报模板，按模板填写后上传。"))
    elif reader.skipped and not reader.indicator_rows and tasks.empty:
        sheet, row, col, _ = reader.skipped[0]
        report.add(Problem("no-plan-indicator", f"文件中没有一行是规划“{plan.short_title}”的指标(共 {len(reader.skipped)} 行，"
                           "见上面的提示)，未导入任何数据。请确认上传的是本规划的统计表，指标名称与规划一致(可下载填报模板对照)。",
                           sheet=sheet, row=row, column=None if col is None else column_letter(col)))
    elif obs.empty and targets.empty and tasks.empty and report.valid:
        report.add(Problem("no-data", "表格中没有填写任何数据(空白和“-”都表示无数据)。请填写数值后再上传。"))
    report.capped()
    upload.observations = _public(obs, OBSERVATION_COLUMNS)
    upload.targets = _public(targets, TARGET_COLUMNS)
    upload.tasks = _public(tasks, TASK_COLUMNS)


def _read_table(sheet: Sheet, header: Header, above: int, plan: Plan, reader: RowReader, report: Report,
                fast_obs: list[pd.DataFrame], fast_targets: list[pd.DataFrame], task_records: list[dict]) -> None:
    """One table of a sheet: layout checks, then its rows (column-wise where the table allows)."""
    if (problem := sheet_checks.ambiguous_region(sheet, header, plan)
            or sheet_checks.year_missing(sheet, header)) is not None:
        report.add(problem)
        return
    report.add(sheet_checks.ignored_columns(sheet, header))
    report.add(sheet_checks.partial_years(sheet, header, above))
    fast = columns.read_rows(sheet, header, reader) if FAST and header.kind != "tasks" else None
    if fast is not None:
        fast_obs += fast[0]
        fast_targets += fast[1]
        report.add(fast[2])
        return
    table = read_table(sheet, header)
    for row in table.rows:
        report.add(reader.read(row))
    records, task_problems = read_tasks(table.tasks, plan, reader.limits)
    task_records += records
    report.add(task_problems)


def _frame(records: list[dict], columns: list[str], dtypes: dict[str, str],
           fast: list[pd.DataFrame] | None = None, order: dict[str, int] | None = None) -> pd.DataFrame:
    """Records of the row-by-row reader plus frames of the column reader, in sheet, row and
    column order (the order the row-by-row reader alone would give)."""
    cols = [*columns, "_row", "_col", "_pct"]
    if not records and not fast:
        return empty_frame(cols).astype(dtypes)
    parts = [f.reindex(columns=cols) for f in fast or []]
    if records:
        parts.append(pd.DataFrame.from_records(records, columns=cols))
    if len(parts) == 1 and not fast:
        return parts[0].astype(dtypes).assign(_pct=lambda f: f["_pct"].astype(object).fillna(False).astype(bool))
    frame = pd.concat(parts, ignore_index=True)
    frame["_sheet_no"] = frame["sheet"].map(order or {})
    frame = frame.sort_values(["_sheet_no", "_row", "_col"], kind="stable", ignore_index=True)
    frame["_pct"] = frame["_pct"].astype(object).fillna(False).astype(bool)
    return frame[cols].astype(dtypes)


def _public(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The contract columns only, renumbered; None (not NaN) for missing text."""
    out = frame[columns].reset_index(drop=True)
    for col in ("source", "note", "updated"):
        if col in out.columns:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def read_upload_isolated(source: Path | bytes, plan: Plan, file_name: str | None = None,
                         known: Known | None = None, limits: Limits | None = None) -> Upload:
    """`read_upload` in a worker process with memory and time limits (worker.py)."""
    from ipdata.ingest.worker import read_upload_isolated as in_worker

    return in_worker(source, plan, file_name, known, limits)
