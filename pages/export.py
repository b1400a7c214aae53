"""导出: pick goals, categories and regions → the deck (.pptx), the charts' data (.xlsx), the PNG zip."""

import datetime as dt

import streamlit as st

from ipdata.chart_export import chart_workbook, png_zip, selection_figures
from ipdata.deck import Inputs, build_deck, revision_label, select_goals
from ipdata.views import regions
from pages import components as ui

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    plan = ui.store().plan
    st.markdown("#### 导出汇报材料")
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
    places = right.multiselect("镇(街道)", regions(plan, values)[1:], key="export_regions",
                               placeholder="只导出全区")
    chosen = select_goals(plan, goals, categories)
    st.caption(f"已选 {len(chosen)} 项指标" + (f"、{len(places)} 个镇(街道)" if places else "")
               + "。演示文稿：封面、总览表、每项指标一页（PowerPoint/WPS 中可编辑的原生图表）"
               + ("、各镇(街道)的总览和图表" if places else "") + "。")

    def inputs() -> Inputs:
        return Inputs(plan, values, ui.current_targets(), ui.is_demo(), revision_label(ui.revisions()))

    def figures():
        return selection_figures(inputs(), goals, categories, places)

    stem = f"知识产权强县监测_{dt.date.today():%Y%m%d}" + ("_示例数据" if ui.is_demo() else "")
    row = st.container(horizontal=True)
    row.download_button("演示文稿 (.pptx)", data=ui.from_store(lambda: build_deck(inputs(), goals, categories, places)),
                        file_name=f"{stem}.pptx", mime=PPTX, on_click="ignore", type="primary",
                        icon=":material/slideshow:", key="export_deck")
    row.download_button("图表数据 (.xlsx)", data=ui.from_store(lambda: chart_workbook(figures())), file_name=f"{stem}_图表数据.xlsx",
                        mime=XLSX, on_click="ignore", icon=":material/table_view:", key="export_data")
    row.download_button("全部图片 (.zip)", data=ui.from_store(lambda: png_zip(figures())), file_name=f"{stem}_图片.zip",
                        mime="application/zip", on_click="ignore", icon=":material/photo_library:",
                        key="export_zip", help="每个图表一张 1920×1080 PNG；每张约 1 秒，请稍候")
    st.caption("文件在点击时生成。每个页面上的图表下方也可单独下载 PNG、SVG 和数据。")


ui.guarded(render)
