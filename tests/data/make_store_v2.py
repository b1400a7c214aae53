"""Write tests/data/store_v2.duckdb.gz with the store code of schema version 2 (before the demo
purge and stored warnings), for tests/test_store_schema.py.

    python tests/data/make_store_v2.py [COMMIT]    # default: 5990d68, the last commit at version 2

The code of COMMIT is taken with `git archive` into a temporary directory and run there, so the
file is exactly what that version wrote (gzipped: 3.4 MB of mostly empty DuckDB blocks -> 19 kB). The history has every kind of revision, with demo
targets and task statuses restored by a rollback (their provenance is what the upgrade must
work out):
  1 demo       values gdp/全区/2021=1350, population/全区/2021=125; target hv_invention_per10k/
               川姜镇/2025=8; tasks 一.1.1 已完成, 二.3.1 推进中
  2 import     gdp/全区/2021=1300 (official over demo); target hv_invention_per10k/川姜镇/2025=9;
               task 一.1.1 推进中
  3 task-edit  二.3.1 已完成
  4 rollback   to 1: the demo values, target and task statuses come back
  5 import     population/全区/2022=126; task 二.2.1 未启动
"""

import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "store_v2.duckdb.gz"

SCRIPT = r'''
import hashlib, io, sys
import pandas as pd
from ipdata.catalogue import load_plan
from ipdata.errors import Report
from ipdata.ingest.upload import OBSERVATION_COLUMNS, TARGET_COLUMNS, TASK_COLUMNS, Upload, empty_frame
from ipdata.store import Store, SCHEMA_VERSION

assert SCHEMA_VERSION == 2, SCHEMA_VERSION

def frame(csv, columns, sheet):
    if not csv:
        return empty_frame(columns)
    f = pd.read_csv(io.StringIO(csv.strip()), dtype={"year": "int64", "task_id": str})
    for c in columns:
        if c not in f:
            f[c] = None
    f["sheet"] = sheet
    f["cell"] = [f"C{i + 2}" for i in range(len(f))]
    return f[columns]

def upload(values="", targets="", tasks="", name="v2.xlsx"):
    sha = hashlib.sha256(f"{values}|{targets}|{tasks}".encode()).hexdigest()
    return Upload(name, sha, frame(values, OBSERVATION_COLUMNS, "指标数据"), frame(targets, TARGET_COLUMNS, "目标分解"),
                  frame(tasks, TASK_COLUMNS, "任务进度"), Report())

s = Store(sys.argv[1], load_plan("tongzhou-2022-2025"))
s.apply(upload("series,region,year,value\ngdp,全区,2021,1350\npopulation,全区,2021,125",
               "series,region,year,target\nhv_invention_per10k,川姜镇,2025,8",
               "task_id,status\n一.1.1,已完成\n二.3.1,推进中", "示例数据.xlsx"), user="demo", kind="demo")
s.apply(upload("series,region,year,value\ngdp,全区,2021,1300",
               "series,region,year,target\nhv_invention_per10k,川姜镇,2025,9",
               "task_id,status\n一.1.1,推进中", "年报.xlsx"), user="张三")
s.apply(upload(tasks="task_id,status\n二.3.1,已完成", name=""), user="李四", kind="task-edit")
s.rollback(1, user="张三")
s.apply(upload("series,region,year,value\npopulation,全区,2022,126", tasks="task_id,status\n二.2.1,未启动",
               name="补报.xlsx"), user="张三")
print(s.latest_revision_id(), "revisions written")
'''


def main(commit: str = "5990d68") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "ipdata", "data/plans"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        db = Path(tmp) / "store_v2.duckdb"
        subprocess.run([sys.executable, "-c", SCRIPT, str(db)], check=True, cwd=tmp,
                       env={"PYTHONPATH": tmp, "IPDATA_PLANS_DIR": str(Path(tmp) / "data" / "plans")})
        OUT.write_bytes(gzip.compress(db.read_bytes(), compresslevel=9, mtime=0))


if __name__ == "__main__":
    main(*sys.argv[1:])
