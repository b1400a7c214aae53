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

from ipdata import service, settings
from ipdata.auth import ROLE_LABELS, ROLES, User, Users, local_operator
from ipdata.errors import IpdataError
from ipdata.store import Changes, Store
from ipdata.views import user_table

CHANGE_LABELS = {"new": "新增", "changed": "修改", "unchanged": "未变", "removed": "删除"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors in Chinese, exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n用 --help 查看用法。\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m ipdata", description="通州区知识产权强县建设监测数据工具")
    p.add_argument("--db", help=f"数据库文件（默认 {settings.get('IPDATA_DB')}，或环境变量 IPDATA_DB）")
    p.add_argument("--plan", help="规划编号或 YAML 文件（默认 IPDATA_PLAN）")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("template", help="生成填报模板 .xlsx")
    s.add_argument("out", type=Path)
    s = sub.add_parser("import", help="导入填好的 .xlsx（先校验，全部无误才保存为新版本）")
    s.add_argument("file", type=Path)
    s.add_argument("--dry-run", action="store_true", help="只校验并列出将要发生的变化，不保存")
    s.add_argument("--user", help="操作人（默认 IPDATA_USER 或系统用户名）")
    s.add_argument("--comment", help="本次导入的说明")
    s = sub.add_parser("values", help="列出当前数据")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("export", help="导出当前全部数据和版本记录为 .xlsx（可再导入）")
    s.add_argument("out", type=Path)
    s = sub.add_parser("backup", help="备份数据库（DuckDB 导出＋全部数据 .xlsx＋校验清单）到一个新目录")
    s.add_argument("dir", type=Path)
    s = sub.add_parser("restore", help="由 backup 写出的目录恢复到新的或空的数据库")
    s.add_argument("dir", type=Path)
    s.add_argument("--db", dest="restore_db", help="恢复到这个数据库文件（默认同全局 --db）")
    s.add_argument("--force", action="store_true", help="覆盖已有数据的数据库")
    s = sub.add_parser("audit", help="操作记录：谁在何时导入、回滚、修改了什么")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("revisions", help="列出全部版本")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("rollback", help="恢复到第 N 版之后的状态（作为一个新版本保存）")
    s.add_argument("revision", type=int)
    s.add_argument("--user")
    s.add_argument("--comment")
    s = sub.add_parser("demo", help="导入示例数据（虚构）")
    s.add_argument("--if-empty", action="store_true", help="仅当数据库还没有任何数据时导入")
    s.add_argument("--rebuild-workbook", action="store_true", help="由 ipdata/demo.py 重新生成示例工作簿")
    sub.add_parser("goals", help="列出规划的全部目标")
    s = sub.add_parser("user", help="管理仪表盘登录用户（统计人员、管理员）")
    us = s.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    a = us.add_parser("add", help="新增用户（提示输入密码）")
    a.add_argument("name")
    a.add_argument("--role", choices=[r for r in ROLES if r != "viewer"], default="statistician")
    a.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用）")
    a = us.add_parser("passwd", help="修改密码（提示输入新密码）")
    a.add_argument("name")
    a.add_argument("--password-stdin", action="store_true")
    a = us.add_parser("disable", help="停用用户")
    a.add_argument("name")
    us.add_parser("list", help="列出用户")
    s = sub.add_parser("status", help="每个目标的完成进度、序时进度、预测和状态")
    s.add_argument("--json", action="store_true")
    s.add_argument("--region", help="地区（默认全区）")
    s = sub.add_parser("deck", help="生成汇报用 PowerPoint（16:9，图表可在 PowerPoint/WPS 中编辑）")
    s.add_argument("out", type=Path)
    s.add_argument("--category", action="append", help="只含这一类别的指标（可重复）")
    s.add_argument("--goal", action="append", help="只含这个指标代码（可重复）")
    s.add_argument("--region", action="append", help="另加这个镇(街道)的幻灯片（可重复）")
    s = sub.add_parser("chart", help="把一个指标的图表导出为 PNG（1920×1080）或 SVG")
    s.add_argument("code")
    s.add_argument("out", type=Path)
    s.add_argument("--region", help="地区（默认全区）")
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
    return service.open_store(args.db, args.plan)


def _print_frame(frame: pd.DataFrame) -> None:
    if frame.empty:
        print("（无）")
        return
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        print(frame.to_string(index=False))


TABLE_LABELS = {"values": "数值", "targets": "分解目标", "tasks": "任务进度"}


def _print_changes(changes: Changes) -> None:
    rows = changes.rows
    changed = rows[rows["change"] != "unchanged"]
    print(f"新增 {changes.n_new} 项，修改 {changes.n_changed} 项，未变 {changes.n_unchanged} 项")
    if changed.empty:
        return
    view = changed.assign(change=changed["change"].map(CHANGE_LABELS).fillna(changed["change"]),
                          table=changed["table"].map(TABLE_LABELS))
    # only the key columns that this change uses (a values-only file has no task column)
    cols = [c for c in ("change", "table", "name", "region", "year", "task_id", "old", "new", "unit")
            if c in view and view[c].notna().any()]
    view = view[cols].astype(object).where(view[cols].notna(), "")
    _print_frame(view.rename(columns={
        "change": "变化", "table": "类型", "name": "名称", "region": "地区", "year": "年份", "task_id": "任务",
        "old": "原值", "new": "新值", "unit": "单位"}))


def cmd_template(args: argparse.Namespace) -> int:
    from ipdata.catalogue import load_plan
    from ipdata.template import write_template

    write_template(args.out, load_plan(args.plan))
    print(f"已生成填报模板：{args.out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    if not args.file.exists():
        raise IpdataError(f"找不到文件：{args.file}", hint="检查文件路径。")
    store = _store(args)
    if args.dry_run:
        upload, changes = service.check_file(store, args.file)
        for p in upload.report.problems:
            print(p)
        if changes is None:
            raise IpdataError(f"文件“{upload.file_name}”有 {len(upload.report.errors)} 个错误，不能导入。",
                              hint="按上面的提示修改文件后重试。")
        _print_changes(changes)
        print("（试运行：未保存任何数据）")
        return 0
    upload, result = service.import_file(store, args.file, user=_operator(args), comment=args.comment)
    for p in upload.report.warnings:
        print(p)
    _print_changes(result.changes)
    print(result.message)
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
    from ipdata.export import export_workbook

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
    m = backup(_store(args), args.dir)
    print(f"已备份到 {args.dir}：最新版本第 {m.latest_revision} 版，共 {m.counts['revisions']} 个版本、"
          f"{m.counts['values']} 个数值；文件校验值见 manifest.json。")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ipdata.backup import restore

    db = Path(args.restore_db) if args.restore_db else _db_path(args)
    _, m = restore(args.dir, db, args.plan, force=args.force)
    print(f"已从 {args.dir} 恢复到 {db}：最新版本第 {m.latest_revision} 版（备份时间 {m.created_at}）。")
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
    if args.rebuild_workbook:
        from ipdata.demo import write_demo_workbook

        write_demo_workbook(store.plan, settings.demo_workbook())
        print(f"已重新生成示例工作簿：{settings.demo_workbook()}")
        return 0
    result = service.load_demo(store, if_empty=args.if_empty)
    print("数据库已有数据，未导入示例数据。" if result is None else result.message)
    return 0


def cmd_goals(args: argparse.Namespace) -> int:
    from ipdata.catalogue import KIND_LABELS, load_plan

    plan = load_plan(args.plan)
    _print_frame(pd.DataFrame([
        {"代码": g.code, "类别": g.category, "指标": g.name, "单位": g.unit,
         "类型": KIND_LABELS[g.kind], "2025年目标": g.target_text()} for g in plan.goals
    ]).rename(columns={"2025年目标": f"{plan.target_year}年目标"}))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from ipdata.trajectory import to_records
    from ipdata.views import status_frame, status_table

    store = _store(args)
    frame = status_frame(store.plan, store.values(), store.targets(), args.region)
    if args.json:
        print(json.dumps(to_records(frame), ensure_ascii=False, indent=1))
        return 0
    _print_frame(status_table(store.plan, frame))
    print()
    for r in frame.itertuples():
        print(f"· {r.narrative}")
    if store.has_demo_data():
        print("\n注意：以上含示例数据（虚构），不代表官方统计。")
    return 0


def cmd_deck(args: argparse.Namespace) -> int:
    from ipdata.deck import build_deck

    if args.out.suffix.lower() != ".pptx":
        raise IpdataError(f"输出文件应以 .pptx 结尾：{args.out}")
    store = _store(args)
    args.out.write_bytes(build_deck(store, goals=args.goal, categories=args.category, regions=args.region))
    print(f"已生成演示文稿：{args.out}")
    if store.has_demo_data():
        print("注意：含示例数据（虚构），不代表官方统计。")
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
    from ipdata.deck import Inputs, check_regions
    from ipdata.figures import goal_chart
    from ipdata.render import to_png, to_svg

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise IpdataError(f"输出文件应以 .png 或 .svg 结尾：{args.out}")
    store = _store(args)
    if args.code not in {g.code for g in store.plan.goals}:
        raise _unknown_goal(store.plan, args.code)
    inputs = Inputs.from_store(store)
    region = (check_regions(inputs, [args.region]) or [None])[0] if args.region else None
    fig = goal_chart(store.plan, args.code, inputs.values, inputs.row(args.code, region), region=region,
                     demo=inputs.demo)
    args.out.write_bytes(to_png(fig) if fmt == "png" else to_svg(fig))
    print(f"已导出图表：{args.out}")
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
    else:
        print(directory.set_disabled(actor, args.name))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "backup": cmd_backup, "restore": cmd_restore, "audit": cmd_audit,
    "template": cmd_template, "import": cmd_import, "values": cmd_values, "export": cmd_export,
    "revisions": cmd_revisions, "rollback": cmd_rollback, "demo": cmd_demo, "goals": cmd_goals,
    "status": cmd_status, "user": cmd_user, "deck": cmd_deck, "chart": cmd_chart,
}
