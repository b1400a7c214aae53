"""One shape for every problem the user must see.

A validation problem is a record, not an exception: checks yield `Problem`s into a `Report`.
`IpdataError` is raised only when work cannot go on; it carries the problems and a hint, and
each entry point (CLI, pages) turns it into a Chinese message the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters -> 0-based column index (A -> 0, AA -> 26); the inverse of column_letter."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass(frozen=True)
class Problem:
    """A located problem: stable kebab-case code plus a Chinese message that says what to do.

    `row` is the 1-based Excel row, `column` the Excel column letters (or a field path for
    non-Excel inputs such as a plan file).
    """

    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    severity: Severity = "error"

    @property
    def cell(self) -> str | None:
        if self.row is not None and self.column:
            return f"{self.column}{self.row}"
        return None

    def location(self) -> str:
        parts = []
        if self.sheet and self.sheet.endswith((".yaml", ".yml")):  # a plan file, not a workbook
            parts.append(f"文件“{self.sheet}”")
        elif self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        elif self.row is not None:
            parts.append(f"第{self.row}行")
        elif self.column:
            parts.append(self.column)
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        tag = "警告" if self.severity == "warning" else "错误"
        return f"[{tag}] {where + '：' if where else ''}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "message": self.message,
        }


MAX_PROBLEMS_PER_CODE = 500  # then one line "另有 N 处同类问题" (a report a person can read)


def more_problem(code: str, severity: Severity, more: int, total: int) -> Problem:
    """The line that stands for the problems of one code beyond the first ones listed."""
    return Problem(code, f"另有 {more} 处同类问题未逐一列出(共 {total} 处)，请按上面的提示一并检查修改。",
                   severity=severity)


@dataclass
class Report:
    """All problems found in one input; `valid` when none is an error."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problems: Problem | Iterable[Problem]) -> None:
        if isinstance(problems, Problem):
            self.problems.append(problems)
        else:
            self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def capped(self, per_code: int = MAX_PROBLEMS_PER_CODE) -> None:
        """Keep the first `per_code` problems of each code and tell the rest in one line each:
        a file with 100,000 bad cells gets a readable report, not 100,000 lines."""
        counts: dict[tuple[str, str], int] = {}
        kept: list[Problem] = []
        for p in self.problems:
            key = (p.code, p.severity)
            counts[key] = counts.get(key, 0) + 1
            if counts[key] <= per_code:
                kept.append(p)
        for (code, severity), n in counts.items():
            if n > per_code:
                kept.append(more_problem(code, severity, n - per_code, n))  # type: ignore[arg-type]
        self.problems = kept

    def flatten(self, fields: Sequence[str] = ("sheet", "cell", "code")) -> list[list[Any]]:
        """Compact form for one-line test expectations."""
        return [[getattr(p, f) for f in fields] for p in self.problems]


class IpdataError(Exception):
    """Work cannot go on. `message` is Chinese; `hint` says what to do next.

    `detail` is for the server's operator only (a file path, the database's own words): the CLI
    prints it, pages log it and never show it, so no server path reaches a visitor.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = (), hint: str | None = None,
                 detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.hint = hint
        self.detail = detail

    def user_text(self, limit: int | None = None) -> str:
        """The text the CLI prints (pages show the same message, problems and hint; `detail` only
        goes to the server log there)."""
        lines = [self.message]
        shown = self.problems if limit is None else self.problems[:limit]
        lines += [f"  {p}" for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"  ……另有 {len(self.problems) - limit} 个问题未列出")
        if self.hint:
            lines.append(f"处理办法：{self.hint}")
        if self.detail:
            lines.append(f"详细信息：{self.detail}")
        return "\n".join(lines)


class StoreBusyError(IpdataError):
    """The database file is held by another process; retrying later will work."""
