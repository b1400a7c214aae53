"""Small Streamlit helpers shared by the pages: cached store access, banners, error display."""

from __future__ import annotations

import contextlib
import html
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar, Token
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ipdata import inert, logins, notes, plans, service, settings, ui_strings, words
from ipdata.auth import MAX_NAME, ROLE_LABELS, STATISTICIAN, User, Users
from ipdata.catalogue import Plan
from ipdata.errors import IpdataError, StoreBusyError
from ipdata.figures import (
    DEMO_MARK,
    IMAGE_ARGS,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    VERDICT_COLOURS,
    VERDICT_SYMBOLS,
)
from ipdata.figures.theme import DEMO_NAME
from ipdata.outputs import render
from ipdata.outputs.charts import chart_workbook, file_stem
from ipdata.passwords import MAX_LENGTH
from ipdata.scorecard import TILE_CSS, tile_html, tile_label
from ipdata.store import ApplyResult, Store
from ipdata.trajectory import compute_all
from ipdata.views import status_first, status_frame

_log = logging.getLogger("ipdata.pages")


@st.cache_resource
def _store(db: str, plan: str) -> Store:
    return service.open_store(db, plan)


def store() -> Store:
    """The store named by IPDATA_DB, opened for the plan this session shows (read per call so
    tests can point elsewhere)."""
    return _store(str(settings.db_path()), shown_plan_id())


# --- which plan is shown -------------------------------------------------------------------
# The plan a session shows is in the URL (?plan=ID: a link opens the same plan) and in the
# session (moving to another page keeps it); without either, the default plan.
PLAN_PARAM, PLAN_CHOSEN, PLAN_WIDGET, PLAN_UNKNOWN = "plan", "plan_chosen", "plan_choice", "plan_unknown"
PLAN_LIST_SECONDS = 5  # how long a listing of the plans is reused: a new plan file shows up after this


def _plan_listing(db: str) -> dict[str, str]:
    """Plan id -> how the switcher lists it: every plan the store holds and every readable plan
    file, newest first."""
    out: dict[str, str] = {}
    for info in plans.list_plans(db):
        if info.base_year is None:  # a plan file that cannot be read, and no copy in the store
            continue
        try:  # the plan's own name (app_title); a plan file gone: the title the store keeps
            out[info.id] = words.plan_label(_plan_named(info.id))
        except IpdataError:
            out[info.id] = f"{info.title}（{info.base_year}—{info.target_year}年）"
    return out


def _plan_named(plan_id: str) -> Plan:
    plan = plans.resolve(plan_id)
    return plan if isinstance(plan, Plan) else store_for(plan_id).plan  # only the store holds it


@st.cache_data(ttl=PLAN_LIST_SECONDS, show_spinner=False)
def _cached_listing(db: str, plans_dir: str) -> dict[str, str]:
    return _plan_listing(db)


def plan_options() -> dict[str, str]:
    """Plan id -> label of every plan one can open (the shown one always among them)."""
    return _cached_listing(str(settings.db_path()), str(settings.plans_dir()))


def default_plan_id() -> str:
    return plans.default_plan_id(settings.db_path())


def shown_plan_id() -> str:
    """The plan this session shows: the URL's (?plan=ID) when it names a plan, else the one chosen
    earlier in the session, else the default; the URL is set to it, so a link opens it again.
    Outside a page run, the default (a download captures its store while the page runs)."""
    if get_script_run_ctx() is None:
        return default_plan_id()
    options = plan_options()
    wanted = st.query_params.get(PLAN_PARAM)
    chosen = next((c for c in (wanted, st.session_state.get(PLAN_CHOSEN)) if c and c in options), None)
    if wanted and wanted not in options:
        st.session_state[PLAN_UNKNOWN] = wanted  # said once, by the switcher
    if chosen is None:
        chosen = default_plan_id()
    st.session_state[PLAN_CHOSEN] = chosen
    if wanted != chosen:
        st.query_params[PLAN_PARAM] = chosen
    return chosen


def store_for(plan_id: str) -> Store:
    return _store(str(settings.db_path()), plan_id)


def _switch_plan() -> None:
    chosen = st.session_state[PLAN_WIDGET]
    st.session_state[PLAN_CHOSEN] = chosen
    st.query_params[PLAN_PARAM] = chosen


_switcher_drawn: ContextVar[bool] = ContextVar("ipdata_switcher_drawn", default=False)


def plan_switcher(container=None) -> None:
    """The 规划 selectbox: every plan the store holds and every plan file; choosing one shows it on
    every page, and the URL then opens it again. Drawn in the page's heading row (heading());
    a page that draws none gets it in the sidebar (guarded)."""
    chosen = shown_plan_id()
    options = plan_options()
    if chosen not in options:  # the default named by a path, or a plan no listing holds
        options = {chosen: chosen, **options}
    st.session_state[PLAN_WIDGET] = chosen
    (container or st.sidebar).selectbox(
        "规划", list(options), format_func=options.get, key=PLAN_WIDGET, on_change=_switch_plan,
        label_visibility="collapsed" if container is not None else "visible",
        help="选择要查看的规划：总览、各页面、汇报材料和导出文件都按所选规划生成")
    _switcher_drawn.set(True)


def heading(text: str | None = None, level: int = 4) -> None:
    """A page's heading with the 规划 switcher at its right, in one row (the overview still fits
    a 1366×768 laptop screen: a sidebar would take a third of its width)."""
    left, right = st.columns([5, 2], vertical_alignment="center")
    if text:
        left.markdown(f"{'#' * level} {text}")
    plan_switcher(right)


def _unknown_plan() -> None:
    """A ?plan= that names no plan: said once, above the page."""
    shown = shown_plan_id()
    if (unknown := st.session_state.pop(PLAN_UNKNOWN, None)) is not None:
        label = plan_options().get(shown, shown)
        st.warning(f"没有编号为“{inert.markdown(str(unknown))}”的规划，显示的是“{inert.markdown(label)}”。"
                   "请在页面右上方的规划列表中选择。", icon=":material/info:")


@st.cache_data(show_spinner=False)
def _cached_values(db: str, plan: str, revision: str) -> pd.DataFrame:
    return _store(db, plan).values()


@st.cache_data(show_spinner=False)
def _cached_targets(db: str, plan: str, revision: str) -> pd.DataFrame:
    return _store(db, plan).targets()


def current_values() -> pd.DataFrame:
    """Current values, cached by revision id: a new upload refreshes every page at once."""
    return _cached_values(*_revision())


def current_targets() -> pd.DataFrame:
    """Current region targets (目标分解), cached by revision id like the values."""
    return _cached_targets(*_revision())


DEMO_BANNER = ("**示例数据**：当前显示的数字是虚构的示例数据，仅供演示，不代表官方统计。"
               "统计人员在“数据管理”导入正式数据时，示例数据会在同一版本中全部删除，此提示随之消失。")


def demo_banner() -> None:
    if is_demo():
        st.warning(DEMO_BANNER, icon=":material/warning:")


def show_error(exc: IpdataError) -> None:
    """One way to show any refused action: the message, the located problems, what to do. The
    error's `detail` (a server path, the database's words) goes to the server log only."""
    if exc.detail:
        _log.warning("%s (%s)", exc.message, exc.detail)
    st.error(inert.markdown(exc.message), icon=":material/block:")  # messages quote file names, values
    if exc.problems:
        st.dataframe(pd.DataFrame([p.as_dict() for p in exc.problems])[["sheet", "cell", "message"]]
                     .rename(columns={"sheet": "工作表", "cell": "单元格", "message": "问题"}),
                     hide_index=True, width="stretch")
    if exc.hint:
        st.info(f"处理办法：{inert.markdown(exc.hint)}")


def _through_router() -> None:
    """On a fresh server, until the router (dashboard.py) has run once, Streamlit serves a URL
    such as /data by running pages/data.py on its own (multipage v1, because a pages/ folder
    exists): no navigation, no page config. Rerun the session through the router instead, which
    keeps the URL and so shows the same page."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a later Streamlit without the v1 relic
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


DOWNLOAD_PATIENCE = 60.0  # seconds a download waits while another process writes the store
_failed_downloads: dict[str, IpdataError] = {}  # session id -> why its last download failed


def from_store(make: Callable[[], Any]) -> Callable[[], Any]:
    """The deferred data of a download that reads the store when clicked. While another process
    writes (an import, a backup: seconds) it waits up to DOWNLOAD_PATIENCE instead of failing. A
    download that fails even so (a store held for minutes, a damaged file) is told in Chinese at
    the session's next run: the note Streamlit itself shows under the button is English."""
    ctx = get_script_run_ctx()
    session = ctx.session_id if ctx else None

    def run() -> Any:
        deadline = time.monotonic() + DOWNLOAD_PATIENCE
        while True:
            try:
                return make()
            except StoreBusyError as exc:
                if time.monotonic() < deadline:
                    time.sleep(0.5)
                    continue
                failure: IpdataError = exc
            except IpdataError as exc:
                failure = exc
            except Exception:  # a bug must not fail silently under an English note
                ref = error_reference()
                _log.exception("download failed [错误编号 %s]", ref)
                failure = IpdataError(f"生成文件时出现内部错误（错误编号 {ref}），文件没有生成。",
                                      hint="请刷新页面后重试；如仍出现，请把错误编号告诉维护人员（服务器日志中有详细信息）。")
            _log.warning("download failed: %s (%s)", failure.message, failure.detail)
            if session:
                _failed_downloads[session] = failure
            raise failure

    return run


def _failed_download() -> None:
    ctx = get_script_run_ctx()
    failure = _failed_downloads.pop(ctx.session_id, None) if ctx else None
    if failure is not None:
        st.warning("刚才的下载没有完成，原因如下。", icon=":material/download:")
        show_error(failure)


def guarded(fn: Callable[[], Any]) -> Any:
    """Run page code; an IpdataError becomes a Chinese message, never a traceback. The login
    cookie is checked against the store once, at the start of every run (current_user)."""
    _through_router()
    _failed_download()
    token = None
    try:
        token = _resolve_login()
        drawn = _switcher_drawn.set(False)
        _unknown_plan()
        try:
            return fn()
        finally:
            if not _switcher_drawn.get():
                plan_switcher()
            _switcher_drawn.reset(drawn)
    except IpdataError as exc:
        show_error(exc)
    except Exception:  # last resort: no traceback reaches a user (it goes to the server log)
        ref = error_reference()
        _log.exception("page failed [错误编号 %s]", ref)
        st.error(f"页面出现内部错误（错误编号 {ref}），请刷新重试；如仍出现，请把错误编号告诉维护人员。",
                 icon=":material/block:")
    finally:
        if token is not None:
            _run_user.reset(token)
    return None


def _revision() -> tuple[str, str, str]:
    """(file, plan, what the store shows): the key of every cached frame. A restore renews the
    store's generation, so even the same revision number after a restore is new data."""
    s = store()
    return str(s.path), s.plan.id, s.cache_key()


@st.cache_data(show_spinner=False)
def _cached_status(db: str, plan: str, revision: str, region: str | None) -> pd.DataFrame:
    s = _store(db, plan)
    return status_frame(s.plan, s.values(), s.targets(), region)


@st.cache_data(show_spinner=False)
def _cached_status_all(db: str, plan: str, revision: str) -> pd.DataFrame:
    s = _store(db, plan)
    return compute_all(s.plan, s.values(), s.targets())


@st.cache_data(show_spinner=False)
def _cached_revisions(db: str, plan: str, revision: str) -> pd.DataFrame:
    return _store(db, plan).revisions()


def status(region: str | None = None) -> pd.DataFrame:
    """Trajectory figures of every goal in one region, cached by revision id."""
    return _cached_status(*_revision(), region)


def status_all() -> pd.DataFrame:
    """Trajectory figures of every (goal, region), cached by revision id."""
    return _cached_status_all(*_revision())


def revisions() -> pd.DataFrame:
    return _cached_revisions(*_revision())


@st.cache_data(show_spinner=False)
def _cached_is_demo(db: str, plan: str, revision: str) -> bool:
    return _store(db, plan).has_demo_data()


def is_demo() -> bool:
    """Whether any shown value is demo data, cached by revision id like the frames."""
    return _cached_is_demo(*_revision())


def no_data_notice() -> None:
    st.info("这个规划还没有数据。请到“数据管理”下载模板、填写后上传；或在命令行运行 "
            f"`python -m ipdata --plan {shown_plan_id()} demo` 载入示例数据。", icon=":material/info:")


MENU_CSS = ui_strings.MENU_CSS  # also sent by dashboard.py for a server started without app.py


def error_reference() -> str:
    """Six digits that name one internal error in the server log (not the exception's English
    class name): the user reads them out, the maintainer finds the traceback."""
    return f"{secrets.randbelow(10**6):06d}"


def status_badge(label: str) -> str:
    """Coloured status (or final verdict) label for st.markdown; the text is always there, colour
    is a second cue."""
    colour = {**STATUS_COLOURS, **VERDICT_COLOURS}.get(label, "#999999")
    symbol = {**STATUS_SYMBOLS, **VERDICT_SYMBOLS}.get(label, "")
    return (f'<span style="background:{colour};color:#fff;padding:2px 8px;border-radius:10px;'
            f'font-weight:600">{html.escape(symbol)} {html.escape(label)}</span>')


# Plotly config of every chart on a page: nothing zooms (no wheel, no double-click, no zoom or pan
# buttons); the figure itself has dragmode False and fixed axes (ipdata/figures/theme.py), so a
# swipe over a chart on a phone scrolls the page. Hover, the camera and fullscreen stay.
ZOOM_BUTTONS = ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d"]
STILL = {"scrollZoom": False, "doubleClick": False, "showAxisDragHandles": False,
         "modeBarButtonsToRemove": ZOOM_BUTTONS}


# With a `narrow` figure, a phone (Streamlit's own breakpoint: columns stack under 640 px) shows it
# instead of the wide one; both are sent, CSS hides one, and the wrapper Streamlit puts around a keyed
# container (else an empty flex item that still takes its 16 px gap).
NARROW_CSS = """<style>@media (max-width:640px){[class*="st-key-ip-wide-"],
[data-testid=stLayoutWrapper]:has(> [class*="st-key-ip-wide-"]){display:none!important}}
@media (min-width:641px){[class*="st-key-ip-narrow-"],
[data-testid=stLayoutWrapper]:has(> [class*="st-key-ip-narrow-"]){display:none!important}}</style>"""


def chart(fig, key: str, name: str, container=st, narrow=None) -> None:
    """Show a figure with our theme (not Streamlit's) and a camera button that saves a
    slide-sized PNG under a Chinese file name; below it, server-side downloads: PNG (1920×1080),
    SVG and the data (.xlsx), each made only when clicked. `narrow`: the same chart laid out for a
    phone, shown there instead (the downloads stay `fig`'s, made for a slide)."""
    name = file_name(fig, name)
    config = {**STILL, "displaylogo": False, "toImageButtonOptions": {
        "format": "png", "filename": name, **IMAGE_ARGS}}
    if narrow is None:
        container.plotly_chart(fig, theme=None, key=key, config=config)
    else:
        container.html(NARROW_CSS)
        container.container(key=f"ip-wide-{key}").plotly_chart(fig, theme=None, key=key, config=config)
        container.container(key=f"ip-narrow-{key}").plotly_chart(narrow, theme=None, key=f"{key}_narrow",
                                                                  config=config)
    downloads(fig, key, name, container)


# The tiles' grid is Streamlit's own container (key ip-tiles), one keyed container per tile holding
# its face (scorecard.tile_html) and an st.page_link stretched over it: a click or Enter opens the
# goal page within this session (no reload, the login stays), as the menu does.
TILES_CSS = """<style>
.st-key-ip-tiles{display:grid!important;grid-template-columns:repeat(auto-fill,minmax(158px,1fr));gap:6px!important;
 align-items:stretch!important}
.st-key-ip-tiles [class*="st-key-ip-tile-"]{position:relative;gap:0!important}
.st-key-ip-tiles [data-testid="stElementContainer"]:has(.ip-tile){flex:1 1 auto;display:grid}
.st-key-ip-tiles [data-testid="stMarkdown"],.st-key-ip-tiles [data-testid="stMarkdown"] > div{display:grid;align-items:stretch}
.st-key-ip-tiles [data-testid="stMarkdownContainer"]{display:grid;margin:0!important}
.st-key-ip-tiles [class*="st-key-ip-tile-"] [data-testid="stElementContainer"]:has([data-testid="stPageLink"]){
 position:absolute;inset:0;z-index:1;margin:0}
.st-key-ip-tiles [data-testid="stPageLink"],.st-key-ip-tiles [data-testid="stPageLink"] > div,
.st-key-ip-tiles [data-testid="stPageLink"] > div > div{width:100%;height:100%}
.st-key-ip-tiles [data-testid="stPageLink-NavLink"]{display:block;width:100%;height:100%;margin:0;padding:0;
 background:transparent!important;color:transparent!important;overflow:hidden;border-radius:6px}
.st-key-ip-tiles [data-testid="stPageLink-NavLink"] *{color:transparent!important}
.st-key-ip-tiles [class*="st-key-ip-tile-"]:hover .ip-tile{box-shadow:0 1px 6px rgba(0,0,0,.18)}
.st-key-ip-tiles [data-testid="stPageLink-NavLink"]:focus-visible{outline:2px solid #1F3A68;outline-offset:1px}
</style>"""


def tiles(frame: pd.DataFrame, colours: Mapping[str, str], symbols: Mapping[str, str], plan_id: str) -> None:
    """One tile per row of scorecard.tiles, each opening its goal page (?code=…&plan=…) in this
    session, by click, tap or keyboard; the link's name is the tile's sentence (tile_label)."""
    st.html(f"<style>{TILE_CSS}</style>{TILES_CSS}")
    linked = True  # a page run on its own (no router, e.g. in a test) has no goal page to link: faces only
    with st.container(key="ip-tiles"):
        for t in frame.itertuples():
            with st.container(key=f"ip-tile-{t.code}"):
                st.markdown(tile_html(t, dict(colours), dict(symbols)), unsafe_allow_html=True)
                if linked:
                    try:
                        st.page_link("pages/goal.py", label=inert.markdown(tile_label(t)),
                                     query_params={"code": t.code, "plan": plan_id})
                    except StreamlitAPIException:
                        linked = False


# The pinned columns of a table together fit a 390 px phone (its narrowest table, in an expander,
# is 324 px wide); either alone is at most LEAD_MAX px wide.
PINNED_BUDGET, LEAD_MAX, LEAD_MIN = 320, 200, 75


def _text_width(column: pd.Series, header: str) -> int:
    """Pixels a column needs at the table's 14 px font: a Chinese character 14, others 8, plus padding."""
    texts = [header, *(str(x) for x in column.head(500))]
    return max(sum(14 if ord(ch) > 0x2E7F else 8 for ch in t) for t in texts) + 24


def table(frame: pd.DataFrame, container=st, style: Callable[[pd.DataFrame], Any] | None = None) -> None:
    """A table whose rows keep their name and status in view on a 390 px phone: 状态 (结论) right
    after the row's name, both pinned while the other columns scroll sideways
    (ipdata.views.status_first), and no wider together than a phone (a long name ends in …).
    `style` colours the reordered frame (a pandas Styler)."""
    frame, lead = status_first(frame)
    config = {}
    if lead:
        status_px = min(_text_width(frame[lead[-1]], lead[-1]), LEAD_MAX)
        room = {lead[-1]: status_px, lead[0]: max(LEAD_MIN, min(LEAD_MAX, PINNED_BUDGET - status_px))}
        config = {c: st.column_config.Column(pinned=True, width=min(room[c], _text_width(frame[c], c)))
                  for c in lead}
    container.dataframe(style(frame) if style else frame, hide_index=True, column_config=config)


def file_name(fig, name: str) -> str:
    """A chart's file name; one that carries the 示例数据 mark says so in its name too."""
    demo = any(a.name == DEMO_NAME for a in fig.layout.annotations)
    return f"{name}_{DEMO_MARK}" if demo and DEMO_MARK not in name else name


def downloads(fig, key: str, name: str, container=st) -> None:
    """PNG / SVG / 数据 download buttons for one figure; rendering happens on click (lazy)."""
    stem = file_stem(name)
    row = container.container(horizontal=True, gap="small")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    buttons = [("PNG", ":material/image:", lambda: render.to_png(fig), "png", "image/png", "1920×1080 图片"),
               ("SVG", ":material/draw:", lambda: render.to_svg(fig), "svg", "image/svg+xml", "矢量图"),
               ("数据", ":material/table_view:", lambda: chart_workbook({stem: fig}), "xlsx", xlsx,
                "图表背后的数据 .xlsx")]
    for label, icon, make, ext, mime, what in buttons:
        row.download_button(label, data=make, file_name=f"{stem}.{ext}", mime=mime, icon=icon,
                            on_click="ignore", key=f"{key}_dl_{ext}", type="tertiary", help=f"下载{what}")


def secret_users() -> dict:
    """Users configured in .streamlit/secrets.toml under [users.NAME] (role, password_hash)."""
    try:
        return {k: dict(v) for k, v in st.secrets.get("users", {}).items()}
    except Exception:  # no secrets file: a viewer-only deployment needs no configuration
        return {}


def users() -> Users:
    return Users(store().path, secrets=secret_users())


def request_cookies() -> Mapping[str, str]:
    """Cookies the browser sent when this connection opened: a resumed session brings the new
    client's cookies, not the old one's (tests stand in for a browser by replacing this)."""
    return st.context.cookies


def client_address() -> str:
    """The browser's address as the server saw it (X-Forwarded-For only from a trusted proxy)."""
    address = st.context.ip_address  # None for 127.0.0.1 and ::1
    return address if isinstance(address, str) and address else "127.0.0.1"


_run_user: ContextVar[tuple[User | None] | None] = ContextVar("ipdata_run_user", default=None)


def current_user() -> User | None:
    """The user whose login cookie this run carries, checked against the store once per run;
    None for a visitor. Session state is never trusted for this: a session id is no secret."""
    if (known := _run_user.get()) is not None:
        return known[0]
    return logins.resume(users(), request_cookies().get(logins.COOKIE))


def _resolve_login() -> Token:
    return _run_user.set((logins.resume(users(), request_cookies().get(logins.COOKIE)),))


def has_login_cookie() -> bool:
    return bool(request_cookies().get(logins.COOKIE))


_FORM_STYLE = """<style>
.ip-login{display:flex;flex-direction:column;gap:.75rem;max-width:22rem}
.ip-login label{display:flex;flex-direction:column;gap:.25rem;font-size:.875rem}
.ip-login input{font:inherit;padding:.5rem .75rem;border:1px solid #d5d8de;border-radius:.5rem;background:#f0f2f6}
.ip-login button{font:inherit;align-self:flex-start;padding:.4rem 1rem;border-radius:.5rem;cursor:pointer;
  border:1px solid #ff4b4b;background:#ff4b4b;color:#fff}
.ip-login button.secondary{border-color:#d5d8de;background:#fff;color:inherit}
</style>"""
# Relative actions: they resolve under the page's own base path (server.baseUrlPath).
LOGIN_FORM = _FORM_STYLE + f"""
<form class="ip-login" method="post" action="ipdata/login">
<label>用户名<input name="username" autocomplete="username" maxlength="{MAX_NAME}" required></label>
<label>密码<input name="password" type="password" autocomplete="current-password" maxlength="{MAX_LENGTH}" required></label>
<button type="submit">登录</button>
</form>"""


LOGOUT_FORM = _FORM_STYLE + """
<form class="ip-login" method="post" action="ipdata/logout"><button class="secondary" type="submit">退出登录</button></form>"""


def login_form() -> None:
    """The login form: a plain HTML form posted to app.py's route, which answers with the
    HttpOnly cookie (no script can set one) and comes back to this page."""
    st.html(LOGIN_FORM)


def logout_form() -> None:
    """退出登录, posted to app.py's route: it ends the login in the store and clears the cookie."""
    st.html(LOGOUT_FORM)


def need_role(role: str = STATISTICIAN, action: str = "上传、回滚和修改数据") -> User | None:
    """The signed-in user when allowed; otherwise a note with a link to sign in (and None)."""
    user = current_user()
    if user is not None and user.has(role):
        return user
    who = f"当前用户 {user.label} " if user else "浏览者无需登录即可查看数据；"
    st.info(f"{who}{action}需要以{ROLE_LABELS[role]}身份登录：页面顶部的“账户”（手机上在“菜单”中）。", icon=":material/lock:")
    # a page run on its own (no router, e.g. in a test) has no link target: the text above suffices
    with contextlib.suppress(Exception):
        st.page_link("pages/account.py", label="去登录", icon=":material/login:")
    return None


@st.cache_data(show_spinner=False)
def _cached_notes(db: str, plan: str, revision: str) -> pd.DataFrame:
    return _store(db, plan).notes()


def notes_of(code: str) -> list[notes.GoalNote]:
    """The notes statisticians wrote on goal `code`, cached by revision like the frames."""
    return notes.goal_notes(_cached_notes(*_revision()), code)


NOTE_FLASH = "note_flash"


def notes_form(code: str) -> None:
    """添加或删除备注 on one goal, for statisticians and admins: a note is previewed (新增, or 修改
    with the text it replaces) and saved only when confirmed, as a "note" revision; a note is
    taken back the same way (ipdata/notes.py checks both, and the user)."""
    if message := st.session_state.pop(NOTE_FLASH, None):
        st.success(message, icon=":material/check_circle:")
    with st.expander("添加或删除备注（统计人员）"):
        if (user := need_role(action=notes.ACTION)) is None:
            return
        s, keys = store(), {k: f"note_{k}_{code}" for k in ("year", "kind", "text", "comment", "pick")}
        goal = s.plan.goal(code)
        years = [notes.WHOLE_GOAL, *range(s.plan.base_year_of(goal), s.plan.target_year_of(goal) + 1)]
        left, right = st.columns(2)
        year = left.selectbox("年份", years, format_func=notes.year_label, key=keys["year"])
        kind = right.selectbox("类别", notes.NOTE_KINDS, key=keys["kind"])
        text = st.text_area("备注内容", key=keys["text"], max_chars=notes.MAX_TEXT,
                            placeholder="例如：自本年起按新口径统计，与以前年份不可比")
        comment = st.text_input("说明（可不填，记入版本记录）", key=keys["comment"]) or None
        try:
            change = notes.preview(s, code, year, kind, text) if text.strip() else None
        except IpdataError as exc:  # said here: the rest of the page stays
            show_error(exc)
            change = None
        if change is not None:
            if change.is_noop:
                st.caption("与现有备注相同，无需保存。")
            else:
                old = change.rows["old"].iloc[0]
                said = f"将修改{notes.describe(s.plan, code, year, kind)}的备注（原内容：{old}）" if old else \
                    f"将新增备注：{notes.describe(s.plan, code, year, kind)}"
                st.caption(inert.markdown(said))
                if st.button(f"确认保存（操作人：{user.name}）", type="primary", key=f"note_save_{code}"):
                    _noted(notes.add_note(s, user, code, year, kind, text, comment), keys)
        held = notes_of(code)
        pick = st.selectbox("删除备注", held, index=None, format_func=lambda n: n.line, key=keys["pick"],
                            placeholder="选择要删除的备注") if held else None
        if pick is not None and st.button(f"删除这条备注（操作人：{user.name}）", key=f"note_remove_{code}"):
            _noted(notes.remove_note(s, user, code, pick.year, pick.kind, comment), keys)


def _noted(result: ApplyResult, keys: dict[str, str]) -> None:
    st.session_state[NOTE_FLASH] = result.message
    for key in ("text", "comment", "pick"):
        st.session_state.pop(keys[key], None)
    st.rerun()
