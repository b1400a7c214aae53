"""Settings as data: (name, default, help). `tests/test_docs.py` checks each is documented."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.name) or self.default


SETTINGS = [
    Setting("IPDATA_DB", str(DATA_DIR / "ipdata.duckdb"), "DuckDB 数据库文件路径"),
    Setting("IPDATA_PLANS_DIR", str(DATA_DIR / "plans"), "规划定义文件(*.yaml)所在目录"),
    Setting("IPDATA_PLAN", "", "默认显示的规划编号(命令行 --plan 优先)；不设时取数据库中最新的规划(目标年最晚，其次基期年最晚)，"
            "数据库中还没有规划时取规划目录中最新的规划文件"),
    Setting("IPDATA_USER", "", "导入数据时记录的操作人(默认取系统用户名)"),
    # What one upload may cost: checked before the expensive step, each with its own message (ingest/limits.py)
    Setting("IPDATA_MAX_CELLS", "5000000", "一个上传文件最多读取的单元格数(各工作表从 A1 到最远一个有内容的单元格或合并区域的行数×列数，再加合并单元格的面积)"),
    Setting("IPDATA_MAX_UNPACKED_MB", "200", "一个上传文件解压后的大小上限(MB，按实际解压出的字节计，不信文件自己写的大小)"),
    Setting("IPDATA_CHECK_SECONDS", "20", "检查一个上传文件的时间上限(秒)，超时即停止并拒绝该文件"),
    Setting("IPDATA_CHECK_MEMORY_MB", "1400", "检查一个上传文件的进程可用的内存上限(MB)，超出即停止并拒绝该文件"),
    Setting("IPDATA_CHECK_WORKERS", "2", "同时检查上传文件的进程数上限(其余上传排队等候)"),
    Setting("IPDATA_MAX_NAME_CHARS", "50", "上传文件中地区名称、任务更新日期等名称的最大字数"),
    Setting("IPDATA_MAX_SOURCE_CHARS", "200", "上传文件中“数据来源”的最大字数"),
    Setting("IPDATA_MAX_NOTE_CHARS", "1000", "上传文件中“备注”和任务进展说明的最大字数"),
    Setting("IPDATA_LOGIN_IDLE_MINUTES", "30", "网页登录多少分钟无操作后结束"),
    Setting("IPDATA_LOGIN_MAX_HOURS", "12", "网页登录最长保持多少小时(无论是否有操作)"),
    Setting("IPDATA_AUTH_EVENTS_DAYS", "180", "登录和用户变更记录保留多少天"),
    Setting("IPDATA_AUTH_EVENTS_MAX", "100000", "登录和用户变更记录最多保留多少条(超出时删除最早的)"),
]
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return _BY_NAME[name].value()


def number(name: str) -> float:
    """A numeric setting; a value that is not a positive number falls back to its default."""
    try:
        value = float(get(name))
    except ValueError:
        value = 0
    return value if value > 0 else float(_BY_NAME[name].default)


def db_path() -> Path:
    return Path(get("IPDATA_DB"))


def plans_dir() -> Path:
    return Path(get("IPDATA_PLANS_DIR"))


def demo_workbook() -> Path:
    return DATA_DIR / "demo" / "示例数据.xlsx"
