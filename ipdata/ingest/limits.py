"""What one upload may cost, and the located Chinese message for each limit.

Every limit is a setting (ipdata/settings.py, documented in the README), read once per upload by
the process that receives the file and handed to the worker that parses it (worker.py), so the
worker obeys the server's limits whatever environment it was started from. Each limit is checked
before the step it protects: member sizes before any reader inflates them, sheet extents before
calamine builds its grid, time and memory around the whole parse, text lengths before a value is
kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipdata import settings
from ipdata.errors import Problem, column_letter


def _int(name: str) -> int:
    """A positive whole-number setting; anything else falls back to its default."""
    default = next(s.default for s in settings.SETTINGS if s.name == name)
    try:
        value = int(float(settings.get(name)))
    except ValueError:
        value = 0
    return value if value > 0 else int(default)


@dataclass(frozen=True)
class Limits:
    cells: int  # rows x columns of every sheet's grid (from A1), plus merged areas, per file
    unpacked_bytes: int  # bytes actually inflated from the zip, all members together
    seconds: float  # wall time of one parse in the worker
    memory_bytes: int  # address space of the worker
    workers: int  # parses at once; more uploads wait for a free worker
    name_chars: int  # a region name or a date text kept from the file
    source_chars: int  # 数据来源
    note_chars: int  # 备注, task progress

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(cells=_int("IPDATA_MAX_CELLS"), unpacked_bytes=_int("IPDATA_MAX_UNPACKED_MB") * 2**20,
                   seconds=_int("IPDATA_CHECK_SECONDS"), memory_bytes=_int("IPDATA_CHECK_MEMORY_MB") * 2**20,
                   workers=_int("IPDATA_CHECK_WORKERS"), name_chars=_int("IPDATA_MAX_NAME_CHARS"),
                   source_chars=_int("IPDATA_MAX_SOURCE_CHARS"), note_chars=_int("IPDATA_MAX_NOTE_CHARS"))


def _count(n: int) -> str:
    """12,345, 500 万 or 约 171.8 亿: a count of cells a statistician reads at a glance."""
    if n < 10**5:
        return f"{n:,}"
    unit, word = (10**8, "亿") if n >= 10**8 else (10**4, "万")
    if n % unit == 0:
        return f"{n // unit:,} {word}"
    return f"约 {n / unit:,.1f} {word}" if unit == 10**8 else f"约 {n / unit:,.0f} {word}"


def shown(text: str, chars: int = 30) -> str:
    """A text as quoted in a message: a long one cut, with its length (a 10 MB name is not echoed)."""
    return text if len(text) <= chars else f"{text[:chars]}…(共 {len(text):,} 个字)"


# --- the file as a whole ---------------------------------------------------------------------

_SMALLER = "请删除无关的工作表、图片和表格以外的行列后另存为新文件再上传，数据确实很多时分成几个文件上传。"


def unpacked_too_large(unpacked: int, packed: int, limit: int) -> Problem:
    return Problem("file-too-large", f"文件解压后超过 {unpacked / 2**20:,.0f} MB(压缩前仅 {packed / 2**20:.1f} MB)，"
                   f"超过允许的 {limit / 2**20:,.0f} MB，不像正常的填报表(可能含有大量空白、重复的行或格式)。{_SMALLER}")


def sizes_misstated(member: str) -> Problem:
    return Problem("unreadable-file", f"文件内部“{shown(member, 60)}”的实际大小与文件记录的不符(文件已损坏或被改动过)，"
                   "为安全起见不予读取。请用 Excel、WPS 或 LibreOffice 打开后“另存为”新的 .xlsx 文件，再重新上传。")


def too_complex(reason: str) -> Problem:
    """The worker ran out of time or memory, or the reader failed on the file: refused, never a crash."""
    return Problem("file-too-complex", f"文件过于复杂，超出了系统的处理能力({reason})，未导入任何数据。"
                   f"请检查是否有大量的格式、合并单元格、公式或远离表格的内容；{_SMALLER}")


def unavailable() -> Problem:
    return Problem("server-busy", "系统暂时无法检查文件(检查进程未能启动)，未导入任何数据。请过几分钟重新上传；"
                   "如仍不行，请管理员查看服务器的内存和日志。")


def busy(seconds: float) -> Problem:
    return Problem("server-busy", f"系统正在检查其他人上传的文件，等候 {seconds:.0f} 秒仍没有空闲，未检查这个文件。"
                   "请过一两分钟再上传；已保存的数据没有任何改动。")


# --- sheet extents -------------------------------------------------------------------------


@dataclass(frozen=True)
class Extent:
    """How much grid a sheet makes a reader build, and what makes it that big.

    `rows` x `cols` counts from A1 to the farthest cell with content, merged range or declared
    dimension; `merged` is the area of all merged ranges (the reader fills each cell of each)."""

    sheet: str
    rows: int = 0
    cols: int = 0
    merged: int = 0
    far: tuple[str, int, int] | None = None  # ("cell" | "merge" | "dimension", row, col) that set the size, 1-based
    far_range: str | None = None  # the merge or dimension range text, for the message

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    def grow(self, kind: str, row: int, col: int, text: str | None = None) -> Extent:
        """This extent widened to reach (row, col), 1-based; `kind` says what reached there."""
        rows, cols = max(self.rows, row), max(self.cols, col)
        if rows * cols <= self.cells:
            return self
        return Extent(self.sheet, rows, cols, self.merged, (kind, row, col), text)


def extent_problems(extents: list[Extent], limit: int) -> list[Problem]:
    """A located refusal for the first sheet (or merge) that takes the file past `limit` cells."""
    total = 0
    for e in extents:
        if e.cells > limit:
            return [_sheet_too_large(e, limit)]
        if e.merged > max(e.cells, 1) or e.merged > limit:
            return [Problem("merges-too-large", f"这张工作表的合并单元格共覆盖 {_count(e.merged)}个单元格，多于表格本身"
                            f"({_count(e.cells)}个单元格)，合并区域相互重叠(文件可能已损坏或被改动过)。请取消全部合并"
                            "(全选后点“合并后居中”取消)，只合并需要的单元格，保存后重新上传。", sheet=e.sheet)]
        total += e.cells + e.merged
        if total > limit:
            return [Problem("file-too-large", f"各工作表合计 {_count(total)}个单元格(到这张工作表为止)，超过系统每个文件 "
                            f"{_count(limit)}个单元格的上限。{_SMALLER}", sheet=e.sheet)]
    return []


def _sheet_too_large(e: Extent, limit: int) -> Problem:
    size = f"{e.rows:,} 行 × {e.cols:,} 列，{_count(e.cells)}个单元格"
    over = f"超过系统每个文件 {_count(limit)}个单元格的上限"
    kind, row, col = e.far or ("dimension", e.rows, e.cols)
    if kind == "cell":
        return Problem("sheet-too-large", f"这个单元格有内容，使工作表从 A1 起达到 {size}，{over}(常见原因：远离表格的地方误填了内容)。"
                       "请删除这个单元格所在的行和列(选中后右键“删除”)，保存后重新上传。",
                       sheet=e.sheet, row=row, column=column_letter(col - 1))
    if kind == "merge":
        return Problem("sheet-too-large", f"合并单元格 {e.far_range} 使工作表达到 {size}，{over}。请取消这个合并"
                       "(选中后点“合并后居中”)，只合并表格内需要的单元格，保存后重新上传。", sheet=e.sheet)
    return Problem("sheet-too-large", f"文件记录这张工作表的使用范围为 {e.far_range or 'A1'}({size})，{over}。"
                   "请在 Excel 或 WPS 中删除表格以外的全部行和列，保存后重新上传。", sheet=e.sheet)


MAX_SHEETS = 500  # a district's workbook has a handful; each sheet costs a pass of the reader


def too_many_sheets(n: int) -> Problem:
    return Problem("too-many-sheets", f"工作簿有 {n:,} 张工作表，超过系统每个文件 {MAX_SHEETS} 张的上限。"
                   "请删除无关的工作表，或分成几个文件上传。")


def strings_misstated(claimed: int, limit: int) -> Problem:
    return Problem("unreadable-file", f"文件内部的字符串表自称有 {_count(claimed)}个字符串，多于系统每个文件 {_count(limit)}个单元格的上限"
                   "(文件已损坏或被改动过)，为安全起见不予读取。请用 Excel、WPS 或 LibreOffice 打开后“另存为”新的 .xlsx 文件，再重新上传。")


def sheet_name_too_long(name: str) -> Problem:
    return Problem("sheet-name-too-long", f"有一张工作表的名称“{shown(name)}”有 {len(name):,} 个字，超过 Excel 允许的 31 个字"
                   "(文件不是由 Excel 或 WPS 正常保存的)。请改短工作表名称，另存为新的 .xlsx 后重新上传。")


# --- text kept from the file ---------------------------------------------------------------


def text_too_long(code: str, what: str, text: str, limit: int, advice: str, sheet: str, row: int,
                  col: int | None) -> Problem:
    """A region name, source or note longer than it may be stored: refused at its cell."""
    return Problem(code, f"{what}有 {len(text):,} 个字(“{shown(text, 20)}”)，超过 {limit:,} 个字的上限。{advice}",
                   sheet=sheet, row=row, column=None if col is None else column_letter(col), value=shown(text, 50))
