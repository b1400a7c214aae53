"""指标详情 via AppTest on a real DuckDB file (issue 14 item 6): the 依据 section and the notes.
A statistician adds a note (previewed, then confirmed) and sees it on the page and the chart; a
visitor sees the notes but no form; a note is taken back from the page as a revision too."""

from streamlit.testing.v1 import AppTest

from ipdata import notes, service
from ipdata.auth import STATISTICIAN, User
from tests.conftest import page_test, run_page

HV = "hv_invention_per10k"  # the plan's first goal: what the page shows without ?code=
WANG = User("王五", STATISTICIAN)


def shown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.success])


def evidence_lines(at: AppTest) -> list[str]:
    [block] = [m.value for m in at.markdown if str(m.value).startswith("- **口径**")]
    return block.split("\n")


def chart_caption(at: AppTest) -> str:
    import json

    [chart] = at.get("plotly_chart")
    layout = json.loads(chart.proto.spec)["layout"]
    return "\n".join(a.get("text", "") for a in layout.get("annotations", []) if a.get("name") == "notes-caption")


def test_the_evidence_section_on_demo_data(store):
    service.load_demo(store)
    at = run_page("goal.py")
    assert not at.exception and not at.error
    assert evidence_lines(at) == [
        "- **口径**：规划未写明口径",
        "- **数据来源**：规划未写明数据来源",
        "- **所用数据**：2021年、2024年：示例数据（第1版）",
        "- **统计时点**：规划未写明统计时点",
        # the plan's tasks: [二.1] for this goal, lead units first
        "- **责任单位**：区市场监管局\\(知识产权局\\)、区科技局、南通高新区、各镇\\(街道\\)（相关任务：二.1.1、二.1.2）",
        "- **判定**：完成进度68.4% ≥ 序时进度75%×0.9（进度比0.91） → 基本符合预期",
    ]


def test_a_statistician_adds_a_note_and_sees_it(store):
    service.load_demo(store)
    at = page_test("goal.py", WANG).run()
    at.selectbox(key=f"note_year_{HV}").set_value(2023)
    at.selectbox(key=f"note_kind_{HV}").set_value("口径变化")
    at.text_area(key=f"note_text_{HV}").set_value("2023年起按新口径统计")
    at.run()
    assert "将新增备注：万人高价值发明专利拥有量，2023年，口径变化" in shown(at)
    assert store.notes().empty  # the preview writes nothing
    [save] = [b for b in at.button if b.label == "确认保存（操作人：王五）"]
    save.click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        "已保存为第 2 版：新增备注（万人高价值发明专利拥有量，2023年，口径变化）。"
        "（数据库中是示例数据：这条备注也算示例数据，导入正式数据时一并删除）"]
    rev = store.revisions().iloc[-1]
    assert (rev["id"], rev["kind"], rev["user"]) == (2, "note", "王五")
    assert evidence_lines(at)[-1] == "- **备注**：2023年 口径变化：2023年起按新口径统计"
    assert chart_caption(at) == "注1 2023年 口径变化：2023年起按新口径统计"
    assert at.text_area(key=f"note_text_{HV}").value == ""  # the form is ready for the next note

    # the same kind and year again: the preview says what it replaces
    at.text_area(key=f"note_text_{HV}").set_value("2023年起按新口径统计，不可比").run()
    assert "将修改万人高价值发明专利拥有量，2023年，口径变化的备注（原内容：2023年起按新口径统计）" in shown(at)


def test_a_statistician_takes_a_note_back_from_the_page(store):
    service.load_demo(store)
    notes.add_note(store, WANG, HV, 0, "政策事件", "出台资助办法")
    at = page_test("goal.py", WANG).run()
    [held] = at.selectbox(key=f"note_pick_{HV}").options
    assert held == "政策事件：出台资助办法"
    at.selectbox(key=f"note_pick_{HV}").set_value(notes.goal_notes(store.notes(), HV)[0]).run()
    [remove] = [b for b in at.button if b.label == "删除这条备注（操作人：王五）"]
    remove.click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("已保存为第 3 版：删除备注（万人高价值发明专利拥有量，指标整体，政策事件）。")
    assert store.notes().empty and store.revisions()["kind"].tolist() == ["demo", "note", "note"]
    assert not any(line.startswith("- **备注**") for line in evidence_lines(at))


def test_a_visitor_reads_the_notes_but_cannot_write_one(store):
    service.load_demo(store)
    notes.add_note(store, WANG, HV, 2024, "不完整年份", "数据截至11月")
    at = run_page("goal.py")
    assert not at.exception and not at.error
    assert not at.text_area and not [b for b in at.button if "保存" in b.label or "删除" in b.label]
    assert any("添加或删除指标备注需要以统计人员身份登录" in i.value for i in at.info)
    assert evidence_lines(at)[-1] == "- **备注**：2024年 不完整年份：数据截至11月"
    assert chart_caption(at) == "注1 2024年 不完整年份：数据截至11月"
    assert store.latest_revision_id() == 2


def test_a_bad_note_is_said_on_the_form_and_the_page_stays(store):
    service.load_demo(store)
    at = page_test("goal.py", WANG).run()
    at.text_area(key=f"note_text_{HV}").set_value("   ").run()  # blank: nothing to preview
    assert not at.error and not [b for b in at.button if b.label.startswith("确认保存")]
    assert evidence_lines(at)[0] == "- **口径**：规划未写明口径"
