"""导出: pick goals, categories and regions → the deck (.pptx), the charts' data (.xlsx), the PNG zip."""

import streamlit as st

from ipdata import words
from ipdata.outputs.charts import chart_workbook, png_zip, selection_figures
from ipdata.outputs.deck import Inputs, build_deck, select_goals
from ipdata.outputs.report import DOCX, build_report
from ipdata.views import regions
from pages import components as ui

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    s = ui.store()
    plan = s.plan
    ui.heading("导出汇报材料")
    ui.demo_banner()
    values = ui.current_values()
    if values.empty:
        ui.no_data_notice()
    left, mid, right = st.columns([3, 2, 2])
    categories = mid.multiselect("类别", list(plan.categories), key="export_categories",
                                 placeholder="全部类别")
    goals = left.multiselect("指标", [g.code for g in plan.goals], key="export_goals",
                             format_func=lambda c: f"{plan.goal(c).category}｜{plan.goal(c).name}",
                             placeholder="全部指标（或按类别）")
    level = plan.region_level
    places = right.multiselect(level, regions(plan, values)[1:], key="export_regions",
                               placeholder=f"只导出{plan.district}")
    chosen = select_goals(plan, goals, categories)
    st.caption(f"已选 {len(chosen)} 项指标" + (f"、{len(places)} 个{level}" if places else "")
               + "。演示文稿：封面、总览表、每项指标一页（PowerPoint/WPS 中可编辑的原生图表）"
               + (f"、各{level}的总览和图表" if places else "") + "。")

    def figures():  # read from the store when clicked, like the deck
        return selection_figures(Inputs.from_store(s), goals, categories, places)

    demo = ui.is_demo()
    row = st.container(horizontal=True)
    row.download_button("演示文稿 (.pptx)", data=ui.from_store(lambda: build_deck(s, goals, categories, places)),
                        file_name=f"{words.file_stem(plan, '汇报材料', demo)}.pptx", mime=PPTX, on_click="ignore",
                        type="primary", icon=":material/slideshow:", key="export_deck")
    row.download_button("自评报告 (.docx)", data=ui.from_store(lambda: build_report(s, places or None)),
                        file_name=f"{words.file_stem(plan, '自评报告', demo)}.docx", mime=DOCX, on_click="ignore",
                        icon=":material/description:", key="export_report",
                        help=f"公文格式的 Word 文件，含全部指标；分{level}部分为所选的{level}（未选时为有数据的全部{level}）。"
                             "每张图约 1 秒，请稍候")
    row.download_button("图表数据 (.xlsx)", data=ui.from_store(lambda: chart_workbook(figures())),
                        file_name=f"{words.file_stem(plan, '图表数据', demo)}.xlsx", mime=XLSX, on_click="ignore",
                        icon=":material/table_view:", key="export_data")
    row.download_button("全部图片 (.zip)", data=ui.from_store(lambda: png_zip(figures())),
                        file_name=f"{words.file_stem(plan, '图片', demo)}.zip", mime="application/zip",
                        on_click="ignore", icon=":material/photo_library:", key="export_zip",
                        help="每个图表一张 1920×1080 PNG；每张约 1 秒，请稍候")
    st.caption("文件在点击时生成。每个页面上的图表下方也可单独下载 PNG、SVG 和数据。")


ui.guarded(render)
