"""Write tests/data/store_v4.duckdb.gz with the store code of schema version 4 (one plan per file,
named in meta.plan_id), for tests/test_store_plans.py: the upgrade to version 5 (many plans in one
store) must keep every value, target, task status, revision and warning.

    python tests/data/make_store_v4.py [COMMIT]    # default: bbc3f8d, the last commit at version 4

The code of COMMIT is taken with `git archive` into a temporary directory and run there, so the
file is exactly what that version wrote (gzipped). Every step goes through the entry points the
CLI and the pages use (service, tasks), with real workbooks:
  1 demo       the demo workbook (data/demo/示例数据.xlsx), flagged 示例数据
  2 import     年报.xlsx by 张三: 万人高价值发明专利拥有量 全区 2021 10.5, 2022 12.3; 马德里商标注册量累计
               全区 2021 40, 2022 48; a row 专利授权量 that is no plan indicator (warning skipped-rows,
               kept with the revision); the demo is removed
  3 task-edit  李四 (2024-03-01): 一.1.1 推进中 “已启动”, 二.2.1 已完成
  4 import     补报.xlsx by 张三: target 万人高价值发明专利拥有量 川姜镇 2025 = 9 (sheet 目标分解),
               马德里商标注册量累计 全区 2023 55
  5 rollback   to 3 by 王五: the 2023 value and the target get tombstones
and a user 王五 (statistician). What that version showed (values, targets, task progress,
revisions, warnings, the state after revision 4, the district's status) is written beside it as
store_v4.expected.json, and that version's backup of it as store_v4.backup.tar.gz.
"""

import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "store_v4.duckdb.gz"
EXPECTED = HERE / "store_v4.expected.json"  # what that version showed for the file
BACKUP = HERE / "store_v4.backup.tar.gz"  # that version's backup of the file (format 2, schema 4)

SCRIPT = r'''
import datetime as dt, json, sys
from pathlib import Path
import pandas as pd
from openpyxl import Workbook
from ipdata import service
from ipdata.auth import Users, local_operator
from ipdata.store import SCHEMA_VERSION
from ipdata.tasks import save_task_edits

assert SCHEMA_VERSION == 4, SCHEMA_VERSION
db, tmp = Path(sys.argv[1]), Path(sys.argv[2])

def book(name, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, rows in sheets.items():
        ws = wb.create_sheet(sheet)
        for row in rows:
            ws.append(row)
    wb.save(tmp / name)
    return tmp / name

header = ["序号", "指标名称", "单位", "2021年", "2022年", "2023年"]
store = service.open_store(db, "tongzhou-2022-2025")
service.load_demo(store)
yearly = book("年报.xlsx", {"指标数据": [["通州区知识产权主要指标"], ["单位：见各行"], header,
    [1, "万人高价值发明专利拥有量", "件", 10.5, 12.3, None],
    [2, "马德里商标注册量累计", "件", 40, 48, None],
    [3, "专利授权量", "件", 3000, 3200, None]]})
_, result = service.import_file(store, yearly, user=local_operator("张三"), comment="2022年年报")
assert result.revision_id == 2 and len(_.report.warnings) == 1, _.report.warnings
edits = pd.DataFrame([{"编号": "一.1.1", "状态": "推进中", "进展说明": "已启动"},
                      {"编号": "二.2.1", "状态": "已完成", "进展说明": None}])
assert save_task_edits(store, edits, local_operator("李四"), today=dt.date(2024, 3, 1)).revision_id == 3
late = book("补报.xlsx", {"指标数据": [["通州区知识产权主要指标"], ["单位：见各行"], header,
                                       [1, "马德里商标注册量累计", "件", None, None, 55]],
                          "目标分解": [["目标分解"], ["说明"], ["指标名称", "单位", "地区", "目标值", "目标年份"],
                                       ["万人高价值发明专利拥有量", "件", "川姜镇", 9, 2025]]})
_, result = service.import_file(store, late, user=local_operator("张三"))
assert result.revision_id == 4 and result.changes.n_new == 2, result.message
assert store.rollback(3, user="王五", comment="补报有误").revision_id == 5
Users(db).add(local_operator("admin"), "王五", "statistician", "correct-horse-1")

# What this version shows, to compare the upgraded file with (tests/data/store_v4.expected.json).
def records(frame):
    return json.loads(frame.to_json(orient="records", force_ascii=False))
from ipdata.trajectory import to_records
from ipdata.views import status_frame
shown = {"values": records(store.values()), "targets": records(store.targets()),
         "tasks": records(store.task_progress()), "revisions": records(store.revisions()),
         "warnings": {str(n): records(store.revision_warnings(n)) for n in range(1, 6)},
         "state_at_4": {k: records(v) for k, v in store.state_at(4).items()},
         "status": to_records(status_frame(store.plan, store.values(), store.targets(), None)),
         "users": Users(db).list()["name"].tolist()}
(tmp / "expected.json").write_text(json.dumps(shown, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
from ipdata.backup import backup
backup(store, tmp / "store_v4.backup")
print(store.latest_revision_id(), "revisions written;", len(store.values()), "values")
'''


def main(commit: str = "bbc3f8d") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "ipdata", "data/plans", "data/demo",
                                  "data/common-passwords.txt"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        db = Path(tmp) / "store_v4.duckdb"
        subprocess.run([sys.executable, "-c", SCRIPT, str(db), tmp], check=True, cwd=tmp,
                       env={"PYTHONPATH": tmp, "IPDATA_PLANS_DIR": str(Path(tmp) / "data" / "plans"),
                            "HOME": tmp, "IPDATA_USER": "generator"})
        OUT.write_bytes(gzip.compress(db.read_bytes(), compresslevel=9, mtime=0))
        BACKUP.write_bytes(gzip.compress(subprocess.run(
            ["tar", "-c", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=2026-01-01",
             "-C", tmp, "store_v4.backup"], check=True, capture_output=True).stdout, compresslevel=9, mtime=0))
        EXPECTED.write_text((Path(tmp) / "expected.json").read_text(encoding="utf-8") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
