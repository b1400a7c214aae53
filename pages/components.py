"""Small Streamlit helpers shared by the pages: cached store access, banners, error display."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from ipdata import service, settings
from ipdata.errors import IpdataError
from ipdata.store import Store


@st.cache_resource
def _store(db: str, plan: str) -> Store:
    return service.open_store(db, plan)


def store() -> Store:
    """The store named by IPDATA_DB / IPDATA_PLAN (read per call so tests can point elsewhere)."""
    return _store(str(settings.db_path()), settings.get("IPDATA_PLAN"))


@st.cache_data(show_spinner=False)
def _cached_values(db: str, plan: str, revision: int) -> pd.DataFrame:
    return _store(db, plan).values()


@st.cache_data(show_spinner=False)
def _cached_targets(db: str, plan: str, revision: int) -> pd.DataFrame:
    return _store(db, plan).targets()


def current_values() -> pd.DataFrame:
    """Current values, cached by revision id: a new upload refreshes every page at once."""
    s = store()
    return _cached_values(str(s.path), s.plan.id, s.latest_revision_id())


def current_targets() -> pd.DataFrame:
    """Current region targets (目标分解), cached by revision id like the values."""
    s = store()
    return _cached_targets(str(s.path), s.plan.id, s.latest_revision_id())


def demo_banner() -> None:
    if store().has_demo_data():
        st.warning("**示例数据**：当前显示的数字是虚构的示例数据，仅供演示，不代表官方统计。"
                   "在“数据管理”上传正式数据后此提示消失。", icon="⚠️")


def show_error(exc: IpdataError) -> None:
    """One way to show any refused action: the message, the located problems, what to do."""
    st.error(exc.message, icon="🚫")
    if exc.problems:
        st.dataframe(pd.DataFrame([p.as_dict() for p in exc.problems])[["sheet", "cell", "message"]]
                     .rename(columns={"sheet": "工作表", "cell": "单元格", "message": "问题"}),
                     hide_index=True, width="stretch")
    if exc.hint:
        st.info(f"处理办法：{exc.hint}")


def guarded(fn: Callable[[], Any]) -> Any:
    """Run page code; an IpdataError becomes a Chinese message, never a traceback."""
    try:
        return fn()
    except IpdataError as exc:
        show_error(exc)
    except Exception as exc:  # last resort: no traceback reaches a user
        st.error(f"页面出现内部错误（{type(exc).__name__}），请刷新重试；如仍出现，请联系维护人员。", icon="🚫")
    return None
