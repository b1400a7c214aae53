"""No upload can hurt anyone else: every file of the hostile corpus (tests/hostile.py), parsed in
the worker with the default limits, ends within 30 s and 1.5 GB of memory as an import or a Chinese
refusal; the limits each have their own located message; the worker contains what the reader does
when a limit is switched off (an abort, a hang, a memory blow-up) and says so in Chinese.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import time

import pytest
from hostile import CASES, GOAL, TOWN, build_all, cell, one_sheet, row
from ingest_helpers import PLAN, write_book

from ipdata.ingest import read_upload
from ipdata.ingest.limits import Limits
from ipdata.ingest.worker import run
from tests.conftest import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
LEAKS = ("Traceback", "panicked", "memory allocation", "内部错误", "RUST_BACKTRACE", "Error:")
SECONDS, BYTES = 30, 1.5e9  # what issue 12 allows a file, whatever it holds
DEFAULTS = Limits(cells=5_000_000, unpacked_bytes=200 * 2**20, seconds=20, memory_bytes=1400 * 2**20, workers=2,
                  name_chars=50, source_chars=200, note_chars=1000)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_all(tmp_path_factory.mktemp("hostile"))


def _said_in_chinese(upload) -> None:
    for p in upload.report.problems:
        assert CJK.search(p.message) and not any(leak in p.message for leak in LEAKS), p


def test_defaults_are_the_settings():
    assert Limits.from_settings() == DEFAULTS


def test_corpus_covers_the_attacks_of_the_issue():
    ids = {c.id for c in CASES}
    assert len(ids) == len(CASES) >= 25
    for needed in ("far-cell", "giant-merge", "understated-sizes", "percent-styles", "junk-rows", "deep-xml",
                   "billion-laughs", "long-strings", "ods-far-cell", "xls-far-cell"):
        assert needed in ids


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_file_ends_in_time_and_memory_as_an_import_or_a_refusal(case, corpus):
    done = run(corpus[case.id], PLAN, limits=DEFAULTS)
    assert done.seconds <= SECONDS and 0 < done.peak_rss <= BYTES, (done.outcome, done.seconds, done.peak_rss)
    upload = done.upload
    _said_in_chinese(upload)
    if case.expect is not None:
        code, cell_ref = case.expect
        assert [code, cell_ref] in upload.report.flatten(["code", "cell"]), upload.report.flatten(["code", "cell"])
    else:
        assert upload.report.valid or upload.report.errors


def test_a_far_cell_is_refused_at_its_cell_before_the_reader_runs(corpus):
    """The 1.6 KB file of the issue: one cell at XFD1048576. Refused by the measure, not by memory."""
    done = run(corpus["far-cell"], PLAN, limits=DEFAULTS)
    assert done.outcome == "done" and done.peak_rss < 300e6
    [problem] = done.upload.report.errors
    assert (problem.code, problem.sheet, problem.cell) == ("sheet-too-large", "指标数据", "XFD1048576")
    assert "1,048,576 行 × 16,384 列" in problem.message and "500 万个单元格" in problem.message
    assert "请删除这个单元格所在的行和列" in problem.message


def test_the_worker_contains_the_reader_when_the_measure_is_switched_off(corpus):
    """With the extent limit lifted, calamine asks for 512 GiB and aborts, as in the issue: the
    worker dies, the caller gets a Chinese refusal, and this process carries on."""
    done = run(corpus["far-cell"], PLAN, limits=dataclasses.replace(DEFAULTS, cells=10**12))
    assert done.outcome in ("memory", "crashed")
    assert done.upload.report.flatten(["code"]) == [["file-too-complex"]]
    assert "超出了系统的处理能力" in done.upload.report.errors[0].message
    _said_in_chinese(done.upload)


def test_the_time_limit_stops_a_long_parse(corpus):
    done = run(corpus["junk-rows"], PLAN, limits=dataclasses.replace(DEFAULTS, seconds=2))
    assert done.outcome == "timeout" and done.seconds < 10
    assert done.upload.report.flatten(["code"]) == [["file-too-complex"]]
    assert "检查超过 2 秒仍未完成" in done.upload.report.errors[0].message


def test_the_memory_limit_stops_a_hungry_parse(corpus):
    done = run(corpus["long-strings"], PLAN, limits=dataclasses.replace(DEFAULTS, memory_bytes=500 * 2**20))
    assert done.outcome == "memory", done.outcome
    assert "需要的内存超过 500 MB" in done.upload.report.errors[0].message
    assert done.peak_rss <= 500 * 2**20


def test_a_good_file_reads_the_same_in_the_worker(tmp_path):
    path = write_book(tmp_path / "好.xlsx", {"表": [["指标名称", "地区", "2023年", "2024年"], [GOAL, TOWN, 12, 15]]})
    here, there = read_upload(path, PLAN), run(path, PLAN).upload
    assert there.report.valid and there.report.flatten(["code"]) == here.report.flatten(["code"])
    assert there.observations.to_dict("records") == here.observations.to_dict("records")
    assert (there.file_name, there.sha256) == (here.file_name, here.sha256)


def test_the_cli_refuses_the_one_cell_bomb_without_a_backtrace(corpus, tmp_path):
    done = subprocess.run([sys.executable, "-m", "ipdata", "--db", str(tmp_path / "s.duckdb"), "import",
                           str(corpus["far-cell"])], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    out = done.stdout + done.stderr
    assert "XFD1048576" in out and "超过系统每个文件" in out
    assert not any(leak in out for leak in ("Traceback", "panicked", "memory allocation", "stack backtrace"))


# --- each limit, its own message ------------------------------------------------------------


def test_understated_sizes_are_refused_after_a_few_kilobytes(corpus):
    upload = read_upload(corpus["understated-sizes"], PLAN, limits=DEFAULTS)
    [problem] = upload.report.errors
    assert problem.code == "unreadable-file" and "xl/worksheets/sheet1.xml" in problem.message
    assert "实际大小与文件记录的不符" in problem.message


def test_the_unpacked_size_has_its_own_limit(tmp_path):
    path = one_sheet(row(1, "指标名称", "地区", "2023年"), row(2, GOAL, TOWN, 12),
                     *(row(r, "说明", "x" * 1000, None) for r in range(3, 3000)))(tmp_path / "大.xlsx")
    small = dataclasses.replace(DEFAULTS, unpacked_bytes=1_000_000)
    [problem] = read_upload(path, PLAN, limits=small).report.errors
    assert problem.code == "file-too-large" and "超过允许的 1 MB" in problem.message


def test_many_sheets_are_refused_at_the_sheet_that_crosses_the_limit(corpus):
    [problem] = read_upload(corpus["many-sheets"], PLAN, limits=DEFAULTS).report.errors
    assert (problem.code, problem.sheet) == ("file-too-large", "表250")  # 251 sheets x 20,000 cells > 5 million
    assert "各工作表合计 502 万个单元格" in problem.message


def test_a_giant_merge_is_named(corpus):
    [problem] = read_upload(corpus["giant-merge"], PLAN, limits=DEFAULTS).report.errors
    assert problem.code == "sheet-too-large" and "合并单元格 A1:XFD100000" in problem.message


def test_a_merge_past_the_last_cell_is_clipped(tmp_path):
    """A title merged far to the right and down fills only the cells the table has."""
    path = one_sheet(row(1, "指标名称", "地区", "2023年"), row(2, GOAL, TOWN, 12),
                     tail='<mergeCells count="1"><mergeCell ref="A2:Z500"/></mergeCells>')(tmp_path / "并.xlsx")
    from ipdata.ingest.workbook import load_sheets

    [sheet], _ = load_sheets(path.read_bytes(), DEFAULTS)
    assert sheet.rows == [["指标名称", "地区", "2023年"], [GOAL, TOWN, 12.0]]


@pytest.mark.parametrize(("column", "text", "code", "cell_ref"), [
    ("地区", "镇" * 51, "region-too-long", "B2"),
    ("数据来源", "来" * 201, "source-too-long", "D2"),
    ("备注", "注" * 1001, "note-too-long", "D2"),
])
def test_long_texts_are_refused_at_their_cell(tmp_path, column, text, code, cell_ref):
    header, values = ["指标名称", "地区", "2023年"], [GOAL, TOWN, 12]
    if column == "地区":
        values[1] = text
    else:
        header.append(column)
        values.append(text)
    upload = read_upload(write_book(tmp_path / "长.xlsx", {"表": [header, values]}), PLAN, limits=DEFAULTS)
    assert upload.report.flatten(["code", "cell"]) == [[code, cell_ref]]
    assert f"{len(text):,} 个字" in upload.report.errors[0].message
    assert len(upload.report.errors[0].message) < 300  # the text itself is cut in the message


def test_texts_at_the_limit_are_kept(tmp_path):
    upload = read_upload(write_book(tmp_path / "齐.xlsx", {"表": [["指标名称", "地区", "2023年", "数据来源", "备注"],
                                                                 [GOAL, TOWN, 12, "来" * 200, "注" * 1000]]}), PLAN)
    assert upload.report.valid
    assert upload.observations[["source", "note"]].to_dict("records") == [{"source": "来" * 200, "note": "注" * 1000}]


# --- the costs that grew with the rows -------------------------------------------------------


def test_unknown_names_are_one_notice_with_few_suggestions(tmp_path):
    rows = [row(1, "指标名称", "地区", "2023年"), row(2, GOAL, TOWN, 12)]
    rows += [row(r, f"未知指标{r}", TOWN, r) for r in range(3, 30_003)]
    upload = read_upload(one_sheet(*rows)(tmp_path / "杂.xlsx"), PLAN, limits=DEFAULTS)
    assert upload.report.valid and upload.report.flatten(["code", "cell"]) == [["skipped-rows", "A3"]]
    notice = upload.report.warnings[0].message
    assert "以下 30000 个项目不是本规划的指标" in notice and "等 30000 处" in notice


def test_unknown_regions_are_capped_and_suggested_once_per_name(tmp_path):
    from ipdata.ingest.matching import Suggestions

    calls = []
    suggest = Suggestions(lambda text: calls.append(text) or [text], limit=3)
    assert [suggest(t) for t in ("甲", "乙", "甲", "丙", "丁", "甲")] == [["甲"], ["乙"], ["甲"], ["丙"], None, ["甲"]]
    assert calls == ["甲", "乙", "丙"]

    rows = [row(1, "指标名称", "地区", "2023年")] + [row(r, GOAL, f"某某镇{r}", 3) for r in range(2, 2002)]
    upload = read_upload(one_sheet(*rows)(tmp_path / "镇.xlsx"), PLAN, limits=DEFAULTS)
    errors = upload.report.errors
    assert len(errors) == 501 and errors[-1].message.startswith("另有 1500 处同类问题")
    assert "最接近的是" in errors[0].message


def test_percent_styles_found_in_one_pass_whatever_their_number():
    from ipdata.ingest.rawxml import FEW_STYLES, percent_cells

    xml = b"".join(f'<c r="A{r}" s="{r}"><v>0.5</v></c><c r="B{r}" s="{r}" t="s"><v>1</v></c>'.encode()
                   for r in range(1, 200))
    few = set(range(1, FEW_STYLES))
    many = set(range(1, 10_000, 2))
    assert percent_cells(xml, few) == {(r - 1, 0) for r in few}
    assert percent_cells(xml, many) == {(r - 1, 0) for r in range(1, 200, 2)}


def test_a_footnote_mark_pattern_does_not_backtrack():
    import time

    from ipdata.ingest.matching import Matcher

    matcher, started = Matcher(PLAN), time.process_time()
    assert matcher.match(None, "*" * 40 + "x").series is None
    assert matcher.match(None, GOAL + "*").series.name == GOAL  # marks after a name still come off
    assert time.process_time() - started < 1  # 2^40 steps before


def test_a_cell_never_scans_past_the_next_one():
    import time

    from ipdata.ingest.rawxml import error_cells, formulas_without_values

    xml = b'<c r="A1" t="e"><f>1/0</f><v>#DIV/0!' + b"<c " * 200_000
    started = time.process_time()
    assert error_cells(xml) == {} and formulas_without_values("s", xml) == []
    assert time.process_time() - started < 2


def test_cell_helpers_used_by_the_corpus_are_well_formed():
    assert cell("A1", "<x>") == '<c r="A1" t="inlineStr"><is><t>&lt;x&gt;</t></is></c>'


# --- the worker itself ------------------------------------------------------------------------


def test_uploads_beyond_the_workers_wait_then_are_told_to_come_back(corpus, tmp_path):
    import threading

    long, short = dataclasses.replace(DEFAULTS, workers=1, seconds=4), dataclasses.replace(DEFAULTS, workers=1, seconds=1)
    first = threading.Thread(target=run, args=(corpus["junk-rows"], PLAN), kwargs={"limits": long})
    first.start()
    time.sleep(0.5)
    path = write_book(tmp_path / "好.xlsx", {"表": [["指标名称", "地区", "2023年"], [GOAL, TOWN, 12]]})
    second = run(path, PLAN, limits=short)
    first.join()
    assert second.outcome == "busy" and second.upload.report.flatten(["code"]) == [["server-busy"]]
    assert "请过一两分钟再上传" in second.upload.report.errors[0].message
    assert run(path, PLAN, limits=short).upload.report.valid  # the slot is free again


def test_a_main_script_without_a_guard_is_not_run_again_by_the_worker(tmp_path):
    """multiprocessing runs the parent's __main__ again in each child by default (a streamlit
    script, or a script like this one, which would start over): the fork server stops that."""
    path = write_book(tmp_path / "好.xlsx", {"表": [["指标名称", "地区", "2023年"], [GOAL, TOWN, 12]]})
    script = tmp_path / "no_guard.py"
    script.write_text("import sys\nsys.path.insert(0, sys.argv[1])\nprint('main ran', flush=True)\n"
                      "from ipdata.catalogue import load_plan\nfrom ipdata.ingest.worker import run\n"
                      f"print(run({str(path)!r}, load_plan()).upload.report.valid)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(ROOT)], capture_output=True, text=True, timeout=120)
    assert done.stdout.split("\n") == ["main ran", "True", ""], done.stdout + done.stderr


def test_a_worker_that_cannot_start_is_said(tmp_path, monkeypatch):
    from ipdata.ingest import worker

    def refuse(self):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(worker.multiprocessing.context.ForkServerProcess, "start", refuse)
    path = write_book(tmp_path / "好.xlsx", {"表": [["指标名称", "地区", "2023年"], [GOAL, TOWN, 12]]})
    done = run(path, PLAN, limits=DEFAULTS)
    assert done.outcome == "unavailable" and done.upload.report.flatten(["code"]) == [["server-busy"]]
    assert "检查进程未能启动" in done.upload.report.errors[0].message


def test_uploads_from_other_hands_are_read_only_in_the_worker():
    """Only ingest itself, and the worker it runs in, call the in-process reader."""
    callers = []
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("*.py"), *ROOT.glob("ipdata/**/*.py")]:
        if "ingest" in path.parts:
            continue
        if re.search(r"\bread_upload\(", path.read_text(encoding="utf-8")):
            callers.append(path.relative_to(ROOT).as_posix())
    assert callers == []
