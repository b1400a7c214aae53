"""`python -m ipdata [--db PATH] [--plan ID] COMMAND` — stable: other tools and tests call it.

Exit codes: 0 done, 1 refused or failed (the Chinese message says why and what to do), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from ipdata import plans, service, settings
from ipdata.auth import ROLE_LABELS, ROLES, User, Users, local_operator
from ipdata.catalogue import Plan
from ipdata.errors import IpdataError, Problem
from ipdata.passwords import MAX_NAME, POLICY_TEXT
from ipdata.store import Changes, Store
from ipdata.views import change_counts, change_list, user_table

SHOWN_CHANGES = 50  # changes listed on screen; --changes FILE.xlsx holds all of them
SHOWN_PROBLEMS = 50  # warnings listed on screen (errors are all listed); the file holds all


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors in Chinese, exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n用 --help 查看用法。\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m ipdata", description="知识产权规划目标监测数据工具（规划由规划目录中的 YAML 文件定义）")
    p.add_argument("--db", help=f"数据库文件（默认 {settings.get('IPDATA_DB')}，或环境变量 IPDATA_DB）")
    p.add_argument("--plan", help="规划编号或 YAML 文件（默认 IPDATA_PLAN；未设置时取数据库中最新的规划，"
                                  "再取规划目录中最新的规划文件）")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("template", help="生成填报模板 .xlsx")
    s.add_argument("out", type=Path)
    s = sub.add_parser("import", help="导入填好的 .xlsx（先校验，全部无误才保存为新版本）")
    s.add_argument("file", type=Path)
    s.add_argument("--dry-run", action="store_true", help="只校验并列出将要发生的变化，不保存")
    s.add_argument("--changes", type=Path, metavar="FILE.xlsx",
                   help=f"把全部变化写入这个 .xlsx（屏幕上只列前 {SHOWN_CHANGES} 项）")
    s.add_argument("--user", help="操作人（默认 IPDATA_USER 或系统用户名）")
    s.add_argument("--comment", help="本次导入的说明")
    s = sub.add_parser("values", help="列出当前数据")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("export", help="导出当前全部数据和版本记录为 .xlsx（可再导入）")
    s.add_argument("out", type=Path)
    s = sub.add_parser("backup", help="备份数据库（DuckDB 导出＋全部数据 .xlsx＋校验清单）到一个新目录")
    s.add_argument("dir", type=Path)
    s = sub.add_parser("restore", help="由 backup 写出的目录恢复到新的或空的数据库（不执行备份中的任何 SQL）")
    s.add_argument("dir", type=Path)
    s.add_argument("--db", dest="restore_db", help="恢复到这个数据库文件（默认同全局 --db）")
    s.add_argument("--force", action="store_true",
                   help="覆盖已有数据的数据库（覆盖前自动备份到数据库文件旁的“恢复前备份”目录）")
    s.add_argument("--with-users", action="store_true",
                   help="连同备份中的用户和登录记录一起恢复（默认保留数据库现有的用户）")
    s.add_argument("--user", help="操作人，记入操作记录（默认 IPDATA_USER 或系统用户名）")
    s = sub.add_parser("audit", help="操作记录：谁在何时导入、回滚、修改了什么")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("revisions", help="列出全部版本")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("rollback", help="恢复到第 N 版之后的状态（作为一个新版本保存）")
    s.add_argument("revision", type=int)
    s.add_argument("--user")
    s.add_argument("--comment")
    s = sub.add_parser("demo", help="为所选规划生成并导入示例数据（虚构，标明“示例数据”）")
    s.add_argument("--if-empty", action="store_true", help="仅当所选规划在数据库中还没有任何数据时导入")
    s.add_argument("--rebuild-workbook", nargs="?", const="", default=None, metavar="OUT.xlsx",
                   help="不导入，只把所选规划的示例工作簿写到 OUT.xlsx（不给文件名时写到临时文件）")
    sub.add_parser("goals", help="列出规划的全部目标")
    s = sub.add_parser("user", help="管理仪表盘登录用户（统计人员、管理员）", epilog=POLICY_TEXT)
    us = s.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    roles = [r for r in ROLES if r != "viewer"]
    a = us.add_parser("add", help="新增用户（提示输入密码）", epilog=POLICY_TEXT)
    a.add_argument("name", help=f"用户名（最多 {MAX_NAME} 个字符）")
    a.add_argument("--role", choices=roles, default="statistician")
    a.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用）")
    a = us.add_parser("passwd", help="修改密码（提示输入新密码；该用户的网页登录随即结束）", epilog=POLICY_TEXT)
    a.add_argument("name")
    a.add_argument("--password-stdin", action="store_true")
    a = us.add_parser("role", help="修改角色（该用户的网页登录随即结束）")
    a.add_argument("name")
    a.add_argument("role", choices=roles)
    a = us.add_parser("disable", help="停用用户（其网页登录随即结束）")
    a.add_argument("name")
    a = us.add_parser("enable", help="重新启用用户")
    a.add_argument("name")
    us.add_parser("list", help="列出用户")
    s = sub.add_parser("status", help="每个目标的完成进度、序时进度、预测和状态")
    s.add_argument("--json", action="store_true")
    s.add_argument("--region", help="地区（默认为整个规划区域）")
    s = sub.add_parser("deck", help="生成汇报用 PowerPoint（16:9，图表可在 PowerPoint/WPS 中编辑）")
    s.add_argument("out", type=Path)
    s.add_argument("--category", action="append", help="只含这一类别的指标（可重复）")
    s.add_argument("--goal", action="append", help="只含这个指标代码（可重复）")
    s.add_argument("--region", action="append", help="另加这个地区的幻灯片（可重复）")
    s = sub.add_parser("report", help="生成自评报告 Word 文件（公文格式，由 data/templates/report.docx 模板填写）；"
                                      "装有 LibreOffice 时同时生成 PDF")
    s.add_argument("out", type=Path, metavar="OUT.docx")
    s.add_argument("--region", action="append",
                   help="分地区部分只含这个地区（可重复；默认有数据的全部地区）")
    s.add_argument("--no-pdf", action="store_true", help="不生成 PDF")
    s = sub.add_parser("brief", help="生成领导简报：1080 像素宽的 PNG 图片（可转发到手机）或单独的 HTML 页面")
    s.add_argument("out", type=Path, metavar="OUT.png|OUT.html")
    s = sub.add_parser("plans", help="列出数据库中和规划目录中的全部规划（年份、目标数、是否已载入）")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("plan", help="规划文件有改动时：查看改动（diff），确认后生效（update）")
    ps = s.add_subparsers(dest="plan_command", required=True, metavar="ACTION")
    ps.add_parser("diff", help="列出规划文件与数据库中已载入版本的不同（不做任何改动）")
    a = ps.add_parser("update", help="列出改动并使其生效（记入规划变更记录）")
    a.add_argument("--user", help="操作人（默认 IPDATA_USER 或系统用户名）")
    s = sub.add_parser("note", help="指标备注（口径变化、不完整年份、政策事件、其他）：添加、列出、删除；每次改动保存为一个新版本")
    ns = s.add_subparsers(dest="note_command", required=True, metavar="ACTION")
    a = ns.add_parser("add", help="为一个指标（或它的某一年）添加备注；同一年份、同一类别已有备注时改为新内容")
    a.add_argument("goal", help="指标代码（python -m ipdata goals 列出全部）")
    a.add_argument("text", help="备注内容")
    a.add_argument("--year", help="针对的年份（四位数字，不写表示指标整体）")
    a.add_argument("--kind", required=True, help="类别：口径变化、不完整年份、政策事件、其他")
    a.add_argument("--user", help="操作人（默认 IPDATA_USER 或系统用户名）")
    a.add_argument("--comment", help="本次修改的说明（默认写明指标、年份和类别）")
    a = ns.add_parser("remove", help="删除一条备注（作为一个新版本保存，可回滚恢复）")
    a.add_argument("goal", help="指标代码")
    a.add_argument("--year", help="备注的年份（不写表示指标整体）")
    a.add_argument("--kind", required=True, help="备注的类别")
    a.add_argument("--user", help="操作人（默认 IPDATA_USER 或系统用户名）")
    a.add_argument("--comment", help="本次修改的说明")
    a = ns.add_parser("list", help="列出当前的备注")
    a.add_argument("--goal", help="只列这个指标的备注")
    a.add_argument("--json", action="store_true")
    s = sub.add_parser("chart", help="把一个指标的图表导出为 PNG（1920×1080）或 SVG")
    s.add_argument("code")
    s.add_argument("out", type=Path)
    s.add_argument("--region", help="地区（默认为整个规划区域）")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # exits 2 on usage errors
    try:
        return COMMANDS[args.command](args)
    except IpdataError as exc:
        print(exc.user_text(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python's exit flush quiet
        return 0
    except Exception as exc:  # never a bare traceback for a user
        if os.environ.get("IPDATA_DEBUG"):
            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}\n处理办法：请把这条信息和所用文件发给维护人员；"
              "设置 IPDATA_DEBUG=1 可显示详细调用栈。", file=sys.stderr)
        return 1


def _operator(args: argparse.Namespace) -> User:
    """The CLI runs on the server, where its user already holds the database file: a local
    operator, recorded under --user or the login name."""
    return local_operator(getattr(args, "user", None) or service.default_user())


def _store(args: argparse.Namespace) -> Store:
    """The store seen through --plan (default: plans.default_plan_id); a pending change of the
    plan file is said on stderr, once per command."""
    resolved = plans.resolve(args.plan, _db_path(args))
    store = service.open_store(args.db, resolved)
    if getattr(args, "_told_change", False):
        return store
    args._told_change = True
    see = f"用 python -m ipdata --plan {store.plan.id} plan diff 查看"
    if isinstance(resolved, str) and plans.broken_file(resolved) is not None:
        print(f"注意：规划“{store.plan.id}”的规划文件有错误，仍按已载入的版本。{see}。", file=sys.stderr)
    elif store.plan_change is not None:
        print(f"注意：规划“{store.plan.id}”的规划文件有改动，尚未生效（仍按已载入的版本）。{see}，plan update 确认后生效。",
              file=sys.stderr)
    return store


def _plan(args: argparse.Namespace) -> Plan:
    """The plan --plan names, as the store accepted it when the store holds it (uploads are
    checked against that version); from its file otherwise, without writing to the store."""
    from ipdata.store import stored_plans

    resolved = plans.resolve(args.plan, _db_path(args))
    if isinstance(resolved, str) or resolved.id in {r.id for r in stored_plans(_db_path(args))}:
        return _store(args).plan
    return resolved


def _print_frame(frame: pd.DataFrame) -> None:
    if frame.empty:
        print("（无）")
        return
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        print(frame.to_string(index=False))


def _problem_lines(problems: Sequence[Problem], rest_hint: str) -> list[str]:
    """Every error, then the first SHOWN_PROBLEMS warnings (a file can raise thousands)."""
    errors = [str(p) for p in problems if p.severity == "error"]
    warnings = [str(p) for p in problems if p.severity != "error"]
    lines = errors + warnings[:SHOWN_PROBLEMS]
    rest = len(warnings) - SHOWN_PROBLEMS
    if rest > 0:
        lines.append(f"… 另有 {rest} 条警告{rest_hint}")
    return lines


def _refusal(exc: IpdataError) -> int:
    """A refused file: the message, every error, then warnings; what to do; exit code 1."""
    lines = [exc.message, *(f"  {line}" for line in _problem_lines(exc.problems, "未列出"))]
    if exc.hint:
        lines.append(f"处理办法：{exc.hint}")
    print("\n".join(lines), file=sys.stderr)
    return 1


def _cell_text(v: object) -> str:
    """A change's value for the screen: 12 rather than 12.0, blank rather than None/NaN."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _print_changes(plan: Plan, changes: Changes, out: Path | None) -> pd.DataFrame:
    """The goal × year counts and the first SHOWN_CHANGES changes; returns all of them (for
    --changes). Only small frames are formatted: pandas' to_string of 100,000 rows took 25 s."""
    rows = changes.rows
    changed = rows[rows["change"] != "unchanged"]
    if not changed.empty:
        print("各指标、各年份的变化（每格：新增/修改 项数）：")
        _print_frame(change_counts(plan, changed))
        shown = change_list(changed.head(SHOWN_CHANGES))
        # only the columns these changes use (a values-only file has no task text)
        shown = shown[[c for c in shown.columns if shown[c].notna().any()]].map(_cell_text)
        head = "全部" if len(changed) <= SHOWN_CHANGES else f"前 {SHOWN_CHANGES} 项，共"
        print(f"\n变化明细（{head} {len(changed)} 项）：")
        _print_frame(shown)
        rest = len(changed) - SHOWN_CHANGES
        if rest > 0 and out is None:
            print(f"… 另有 {rest} 项变化，用 --changes 文件.xlsx 查看全部")
    return changed


def _write_changes(changed: pd.DataFrame, warnings: Sequence[Problem], out: Path) -> None:
    """Every change (sheet 全部变化, headers as on the data page: 变化 … 单位) and every warning
    (sheet 警告: 工作表, 单元格, 问题) into one workbook."""
    from ipdata.sheetfile import write_sheets

    problems = pd.DataFrame({"工作表": [p.sheet for p in warnings], "单元格": [p.cell for p in warnings],
                             "问题": [p.message for p in warnings]})
    try:
        write_sheets(out, [("全部变化", change_list(changed), (6, 9, 36, 14, 7, 12, 12, 8)),
                           ("警告", problems, (16, 8, 100))])
    except OSError as exc:
        raise IpdataError(f"无法写入文件：{out}（{exc.strerror or exc}）",
                          hint="检查路径和写入权限；若该文件正在 Excel 或 WPS 中打开，请先关闭。") from exc
    print(f"全部 {len(changed)} 项变化" + (f"和 {len(warnings)} 条警告" if warnings else "") + f"已写入：{out}")


def cmd_template(args: argparse.Namespace) -> int:
    from ipdata.template import write_template

    write_template(args.out, _plan(args))
    print(f"已生成填报模板：{args.out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    if not args.file.exists():
        raise IpdataError(f"找不到文件：{args.file}", hint="检查文件路径。")
    if args.changes is not None and args.changes.suffix.lower() != ".xlsx":
        raise IpdataError(f"--changes 的文件应以 .xlsx 结尾：{args.changes}")
    store = _store(args)
    if args.dry_run:
        upload, changes = service.check_file(store, args.file)
        if changes is None:
            return _refusal(IpdataError(
                f"文件“{upload.file_name}”有 {len(upload.report.errors)} 个错误，不能导入。",
                upload.report.problems, hint="按提示修改文件中标出的单元格后重试。"))
        print(changes.summary())  # counts, and the demo values an official import would remove
    else:
        try:
            upload, result = service.import_file(store, args.file, user=_operator(args), comment=args.comment)
        except IpdataError as exc:
            if not exc.problems:
                raise
            return _refusal(exc)
        changes = result.changes
    rest = f"，全部见 {args.changes}" if args.changes else "，用 --changes 文件.xlsx 查看全部"
    for line in _problem_lines(upload.report.warnings, rest):
        print(line)
    changed = _print_changes(store.plan, changes, args.changes)
    # the revision and its counts, in the store's own sentence; or that nothing was saved
    print("（试运行：未保存任何数据）" if args.dry_run else result.message)
    if args.changes is not None:
        _write_changes(changed, upload.report.warnings, args.changes)
    return 0


def _values_records(store: Store) -> list[dict]:
    frame = store.values()
    series = store.plan.all_series
    return [
        {"code": r.series, "name": series[r.series].name if r.series in series else r.series,
         "region": r.region, "year": int(r.year), "value": float(r.value),
         "unit": series[r.series].unit if r.series in series else None}
        for r in frame.sort_values(["series", "region", "year"]).itertuples()
    ]


def cmd_values(args: argparse.Namespace) -> int:
    records = _values_records(_store(args))
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        _print_frame(pd.DataFrame(records).rename(columns={
            "code": "代码", "name": "名称", "region": "地区", "year": "年份", "value": "数值", "unit": "单位"}))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ipdata.outputs.workbook import export_workbook

    export_workbook(_store(args), args.out)
    print(f"已导出：{args.out}")
    return 0


def cmd_revisions(args: argparse.Namespace) -> int:
    from ipdata.views import revision_table

    frame = _store(args).revisions()
    if args.json:
        print(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        _print_frame(revision_table(frame))
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    result = service.rollback(_store(args), args.revision, user=_operator(args), comment=args.comment)
    print(result.message)
    return 0


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else settings.db_path()


def cmd_backup(args: argparse.Namespace) -> int:
    from ipdata.backup import backup

    if not _db_path(args).exists():
        raise IpdataError(f"数据库文件不存在：{_db_path(args)}", hint="检查 --db 或 IPDATA_DB。")
    m = backup(_store(args), args.dir)  # written to a temporary directory, renamed at the end
    print(f"已备份到 {args.dir}：最新版本第 {m.latest_revision} 版，共 {m.counts['revisions']} 个版本、"
          f"{m.counts['values']} 个数值；文件校验值见 manifest.json。")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ipdata.backup import restore

    db = Path(args.restore_db) if args.restore_db else _db_path(args)
    done = restore(args.dir, db, args.plan, force=args.force, with_users=args.with_users,
                   user=_operator(args).name)
    m = done.manifest
    print(f"已从 {args.dir} 恢复到 {db}：最新版本第 {m.latest_revision} 版（备份时间 {m.created_at}）。")
    if done.safety_backup is not None:
        print(f"恢复前的数据已自动备份到：{done.safety_backup}（需要时可用 restore 恢复回去）")
    print("用户和登录记录" + ("已按备份恢复。" if args.with_users else "保留为恢复前的状态。")
          + "本次恢复已记入操作记录（python -m ipdata audit）。")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from ipdata import audit

    frame = audit.events(_store(args))
    if args.json:
        print(json.dumps(audit.records(frame), ensure_ascii=False, indent=1))
    else:
        _print_frame(audit.audit_table(frame))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.rebuild_workbook is not None:
        from ipdata.demo import write_demo_file

        out = write_demo_file(store.plan, Path(args.rebuild_workbook) if args.rebuild_workbook else None)
        print(f"已生成规划“{store.plan.name}”的示例工作簿：{out}")
        return 0
    result = service.load_demo(store, if_empty=args.if_empty)
    print(f"规划“{store.plan.name}”在数据库中已有数据，未导入示例数据。" if result is None else result.message)
    return 0


def cmd_goals(args: argparse.Namespace) -> int:
    from ipdata.catalogue import KIND_LABELS

    plan = _plan(args)
    _print_frame(pd.DataFrame([
        {"代码": g.code, "类别": g.category, "指标": g.name, "单位": g.unit,
         "类型": KIND_LABELS[g.kind], f"{plan.target_year}年目标": g.target_text()} for g in plan.goals
    ]))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from ipdata.trajectory import rank, to_records
    from ipdata.views import status_frame, status_table

    store = _store(args)
    frame = status_frame(store.plan, store.values(), store.targets(), args.region)
    if args.json:
        print(json.dumps(to_records(frame), ensure_ascii=False, indent=1))
        return 0
    numeric, ranked = rank.numeric(frame), rank.ranks(frame)  # a rank is no numeric progress: apart
    _print_frame(status_table(store.plan, numeric))
    print()
    for r in numeric.itertuples():
        print(f"· {r.narrative}")
    if not ranked.empty:
        print("\n排名目标（名次，不计入上面的进度）：")
        for r in ranked.itertuples():
            print(f"· [{r.status}] {r.name}：{r.status_reason}。")
    if store.has_demo_data():
        print("\n注意：以上含示例数据（虚构），不代表官方统计。")
    return 0


def cmd_deck(args: argparse.Namespace) -> int:
    from ipdata.outputs.deck import build_deck

    if args.out.suffix.lower() != ".pptx":
        raise IpdataError(f"输出文件应以 .pptx 结尾：{args.out}")
    store = _store(args)
    args.out.write_bytes(build_deck(store, goals=args.goal, categories=args.category, regions=args.region))
    print(f"已生成演示文稿：{args.out}")
    if store.has_demo_data():
        print("注意：含示例数据（虚构），不代表官方统计。")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ipdata.outputs.report import build_report, soffice, to_pdf
    from ipdata.outputs.report.pdf import INSTALL_HINT, NO_SOFFICE

    if args.out.suffix.lower() != ".docx":
        raise IpdataError(f"输出文件应以 .docx 结尾：{args.out}")
    store = _store(args)
    data = build_report(store, regions=args.region)
    args.out.write_bytes(data)
    print(f"已生成自评报告：{args.out}")
    if not args.no_pdf:
        if soffice() is None:
            print(f"{NO_SOFFICE}处理办法：{INSTALL_HINT}")
        else:
            print(f"已生成 PDF：{to_pdf(args.out)}")
    if store.has_demo_data():
        print("注意：含示例数据（虚构），不代表官方统计。")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from ipdata.outputs.brief import brief, brief_html, brief_png

    fmt = args.out.suffix.lower()
    if fmt not in (".png", ".html"):
        raise IpdataError(f"输出文件应以 .png 或 .html 结尾：{args.out}")
    store = _store(args)
    b = brief(store)
    data = brief_png(b) if fmt == ".png" else brief_html(b).encode("utf-8")
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        raise IpdataError(f"无法写入文件：{args.out}（{exc.strerror or exc}）",
                          hint="检查路径和写入权限后重试。") from exc
    print(f"已生成领导简报：{args.out}")
    if b.demo:
        print("注意：含示例数据（虚构），不代表官方统计。")
    return 0


def cmd_plans(args: argparse.Namespace) -> int:
    listed = plans.list_plans(_db_path(args))
    if args.json:
        print(json.dumps([p.as_dict() for p in listed], ensure_ascii=False, indent=1))
        return 0
    _print_frame(pd.DataFrame([
        {"规划编号": p.id, "规划名称": p.title,
         "规划期": f"{p.base_year}–{p.target_year}年" if p.base_year else "", "目标数": p.n_goals or "",
         "状态": p.state} for p in listed]))
    for p in listed:
        if p.problem:
            print(f"{p.id}：{p.problem}（用 python -m ipdata --plan {p.file} goals 查看详情）")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from ipdata.store import stored_plans

    args._told_change = True  # the change is what this command shows
    resolved = plans.resolve(args.plan, _db_path(args))
    plan_id = resolved if isinstance(resolved, str) else resolved.id
    broken = plans.broken_file(plan_id) if isinstance(resolved, str) else None
    if broken is not None:  # the file's problems, located; the store keeps the accepted version
        raise broken
    if plan_id not in {r.id for r in stored_plans(_db_path(args))}:
        if args.plan_command == "diff":
            print(f"规划“{plan_id}”尚未载入数据库：用 plan update（或任何使用该规划的命令）载入。")
            return 0
        _store(args)
        print(f"已载入规划“{plan_id}”。")
        return 0
    store = _store(args)
    change = store.plan_change
    if change is None:
        print(f"规划“{plan_id}”的规划文件与数据库中已载入的版本相同，无需更新。")
        return 0
    print(change.text())
    if args.plan_command == "diff":
        if not change.refusals:
            print(f"确认后生效：python -m ipdata --plan {plan_id} plan update")
        return 0
    print(service.update_plan(store, _operator(args)))
    return 0


def _unknown_goal(plan, code: str) -> IpdataError:
    import difflib

    names = {g.code: g.name for g in plan.goals}
    close = difflib.get_close_matches(code, list(names), n=5, cutoff=0.4)
    close += [c for c, n in names.items() if c not in close and (code in n or n in code)]
    listed = "、".join(f"{c}（{names[c]}）" for c in close)
    return IpdataError(f"没有指标代码“{code}”。" + (f"相近的代码：{listed}。" if close else ""),
                       hint="用 `python -m ipdata goals` 查看全部指标代码。")


def cmd_chart(args: argparse.Namespace) -> int:
    from ipdata.figures import goal_chart
    from ipdata.outputs.deck import Inputs, check_regions
    from ipdata.outputs.render import to_png, to_svg

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise IpdataError(f"输出文件应以 .png 或 .svg 结尾：{args.out}")
    store = _store(args)
    if args.code not in {g.code for g in store.plan.goals}:
        raise _unknown_goal(store.plan, args.code)
    inputs = Inputs.from_store(store)
    region = (check_regions(inputs, [args.region]) or [None])[0] if args.region else None
    fig = goal_chart(store.plan, args.code, inputs.values, inputs.row(args.code, region), region=region,
                     demo=inputs.demo, notes=inputs.notes_of(args.code))
    args.out.write_bytes(to_png(fig) if fmt == "png" else to_svg(fig))
    print(f"已导出图表：{args.out}")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    from ipdata import notes

    store = _store(args)
    if args.note_command == "list":
        if args.goal and args.goal not in store.plan.goal_by_code:
            raise _unknown_goal(store.plan, args.goal)
        held = store.notes()
        if args.json:
            codes = [g.code for g in store.plan.goals if not args.goal or g.code == args.goal]
            print(json.dumps([{"goal": c, "name": store.plan.goal(c).name, "year": n.year, "kind": n.kind,
                               "text": n.text, "revision_id": n.revision_id}
                              for c in codes for n in notes.goal_notes(held, c)], ensure_ascii=False, indent=1))
        else:
            _print_frame(notes.notes_table(store.plan, held, store.revisions(), code=args.goal))
        return 0
    if args.note_command == "add":
        result = notes.add_note(store, _operator(args), args.goal, args.year, args.kind, args.text, args.comment)
    else:
        result = notes.remove_note(store, _operator(args), args.goal, args.year, args.kind, args.comment)
    print(result.message)
    return 0


def _new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass("密码：")
    if first != getpass.getpass("再输入一次："):
        raise IpdataError("两次输入的密码不一致，未做任何修改。", hint="重新运行命令。")
    return first


def cmd_user(args: argparse.Namespace) -> int:
    directory = Users(_store(args).path)
    actor = _operator(args)
    if args.user_command == "list":
        _print_frame(user_table(directory.list(), ROLE_LABELS))
        return 0
    if args.user_command == "add":
        print(directory.add(actor, args.name, args.role, _new_password(args)))
    elif args.user_command == "passwd":
        print(directory.set_password(actor, args.name, _new_password(args)))
    elif args.user_command == "role":
        print(directory.set_role(actor, args.name, args.role))
    else:
        print(directory.set_disabled(actor, args.name, args.user_command == "disable"))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "backup": cmd_backup, "restore": cmd_restore, "audit": cmd_audit,
    "template": cmd_template, "import": cmd_import, "values": cmd_values, "export": cmd_export,
    "revisions": cmd_revisions, "rollback": cmd_rollback, "demo": cmd_demo, "goals": cmd_goals,
    "status": cmd_status, "user": cmd_user, "deck": cmd_deck, "chart": cmd_chart,
    "report": cmd_report, "brief": cmd_brief,
    "plans": cmd_plans, "plan": cmd_plan, "note": cmd_note,
}
