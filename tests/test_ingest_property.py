"""Whatever a statistician types in a value cell: an observation or a located problem, never a crash."""

import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import PLAN
from openpyxl import Workbook

from ipdata.ingest import read_upload
from ipdata.ingest.cells import is_blank

# Excel cannot hold control characters; everything else is fair game.
cell_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
cell_value = st.one_of(
    cell_text,
    st.sampled_from(["1,234", "１２", "16%", "-", "是", "否", "0.5", "1e400", "--5", "١٢", "12 345"]),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
)
names = st.sampled_from(["新增贯标单位", "案件结案率", "建成省级知识产权保护示范区", "知识产权质押登记担保金额"])


def _workbook(name: str, value) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["指标名称", "2021年", "2022年"])
    ws.append([name, 1, None])
    cell = ws.cell(2, 3, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text typed by hand, even "=…", is text
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, value=cell_value)
def test_any_value_cell_gives_an_observation_or_a_problem(name, value):
    upload = read_upload(_workbook(name, value), PLAN)
    observed = "C2" in set(upload.observations["cell"])
    problems_here = [p for p in upload.report.errors if p.cell == "C2"]
    if is_blank(value):
        assert not observed and not problems_here and not [p for p in upload.report.warnings if p.cell == "C2"]
    else:  # a value or an error, never both, never neither (a warning may come with a value)
        assert observed != bool(problems_here), (value, upload.report.problems)
    # the neighbour cell B2 (=1) is unaffected whatever C2 holds, except a fraction flagged next to it
    assert "B2" in set(upload.observations["cell"]) or any(p.cell == "B2" for p in upload.report.problems)
