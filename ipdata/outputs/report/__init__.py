"""The 自评报告 in Word (公文 format, GB/T 9704-2012), filled into a template the office owns.

    build_report(store_or_inputs, regions=None, *, progress=None, today=None, template=None) -> bytes
    to_pdf(docx_path) -> Path          the PDF beside it, through LibreOffice (IpdataError on failure)
    soffice() -> str | None            LibreOffice's command, None where it is not installed

The template is data/templates/report.docx (docxtpl, editable in WPS or Word; built by base.py,
fields in docs/report.md). Contents: the headline (the final evaluation once the target year has
data), one section per category with each goal's sentence, figures and chart (a PNG through
ipdata/outputs/render.py, cached by the figure's content), the table of all goals, the goals missed or
lagging with the 责任单位 of their key tasks, the key-task table, a section per region with data,
and a closing note (data source, 数据截至, revision), with 示例数据 wherever demo figures appear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ipdata.errors import IpdataError
from ipdata.outputs.inputs import Inputs, as_inputs
from ipdata.outputs.report.context import report_context
from ipdata.outputs.report.fonts import east_asian
from ipdata.outputs.report.pdf import soffice, to_pdf
from ipdata.store import Store

__all__ = ["TEMPLATE", "build_report", "clear_cache", "soffice", "to_pdf"]

TEMPLATE = Path(__file__).resolve().parents[3] / "data" / "templates" / "report.docx"

PICTURE_WIDTH_MM = 150  # of the 156 mm between the margins
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_CACHE: OrderedDict[str, bytes] = OrderedDict()  # figure JSON digest -> PNG: a report rebuilt reuses its charts
_CACHE_SIZE = 200
_CACHE_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget the rendered charts (benchmarks, tests)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _png(fig) -> bytes:
    """The chart as PNG (ipdata.outputs.render: one render at a time per process), reused when the same
    figure was rendered before."""
    from ipdata.outputs.render import to_png

    key = hashlib.sha256(fig.to_json().encode()).hexdigest()
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    png = to_png(fig)
    with _CACHE_LOCK:
        _CACHE[key] = png
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return png


def _open_template(path: Path):
    from docxtpl import DocxTemplate

    if not path.exists():
        raise IpdataError(f"找不到报告模板：{path}。",
                          hint="从代码仓库恢复 data/templates/report.docx，或运行 python -m ipdata.outputs.report.base 重新生成。")
    try:
        tpl = DocxTemplate(path)
        tpl.init_docx()  # opened now, so that a file that is no .docx is told here
        return tpl
    except Exception as exc:  # not a .docx (a .doc or .wps saved under the name)
        raise IpdataError(f"报告模板无法打开：{path}（{type(exc).__name__}）。",
                          hint="在 WPS 或 Word 中另存为“Word 文档 (*.docx)”后重试。") from exc


def _render(tpl, context: dict) -> None:
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise IpdataError(f"报告模板中的域有语法错误（{exc.message}）。",
                          hint="检查模板中 {{ }}、{% %} 是否成对、是否被改动；可用的域见 docs/report.md。") from exc
    except jinja2.UndefinedError as exc:
        raise IpdataError(f"报告模板使用了不存在的域（{exc.message}）。",
                          hint="可用的域见 docs/report.md；改正模板后重试。") from exc


def build_report(store_or_inputs: Store | Inputs, regions: Iterable[str] | None = None, *,
                 progress: pd.DataFrame | None = None, today: dt.date | None = None,
                 template: Path | None = None, charts: bool = True) -> bytes:
    """The report as .docx bytes. `regions`: the region sections to include (each must have data;
    None = every region with data). `progress`: the key tasks' progress (default: the store's).
    `charts=False` leaves the pictures out (no browser needed)."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from ipdata.figures import goal_chart

    inputs = as_inputs(store_or_inputs)
    if progress is None and isinstance(store_or_inputs, Store):
        progress = store_or_inputs.task_progress()
    tpl = _open_template(template or TEMPLATE)
    context = report_context(inputs, progress, regions, today)
    if charts:
        frame = inputs.frame().set_index("code")
        for category in context["categories"]:
            for g in category["goals"]:
                if g["has_data"]:
                    fig = goal_chart(inputs.plan, g["code"], inputs.values, frame.loc[g["code"]],
                                     demo=inputs.demo, notes=inputs.notes_of(g["code"]))
                    g["picture"] = InlineImage(tpl, io.BytesIO(_png(fig)), width=Mm(PICTURE_WIDTH_MM))
    _render(tpl, context)
    east_asian(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
