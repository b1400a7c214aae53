"""Charts as images on the server: PNG at slide size (1920×1080) and SVG, via kaleido + chromium.

    to_png(fig) -> bytes     1920×1080 (IMAGE_ARGS: 960×540 layout pixels at scale 2)
    to_svg(fig) -> bytes     the same layout as vector graphics (text stays text)
    check_cjk_font()         IpdataError (Chinese) when fontconfig lists no Chinese font

Kaleido ≥ 1 drives a headless chromium it finds by itself (Debian's /usr/bin/chromium); nothing
is downloaded at run time: MathJax is off (`mathjax=False`, its default is a CDN) and plotly.js
comes from the installed plotly package.

We keep one warm browser per process, in our own event-loop thread, instead of kaleido's
`start_sync_server`: that server hands results to whichever caller reads its queue next (wrong
images under concurrent use) and blocks forever when the browser fails to start. Every render
still takes one process-wide lock (Streamlit runs sessions and deferred downloads in threads), and
waits at most RENDER_TIMEOUT seconds; after a failure the browser is restarted on the next call.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import shutil
import subprocess
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import plotly.graph_objects as go

from ipdata.errors import IpdataError
from ipdata.figures import IMAGE_ARGS

RENDER_TIMEOUT = 120  # seconds for one image, including a cold browser start
SYSDEPS_HINT = "以 root 运行 `make sysdeps`，或执行：apt-get install -y chromium fonts-noto-cjk"
_log = logging.getLogger("ipdata.outputs.render")
_LOCK = threading.Lock()  # one render at a time in this process
T = TypeVar("T")


def _fc_list() -> str:
    """Font families fontconfig knows for Chinese ('' when none, or no fc-list at all)."""
    if shutil.which("fc-list") is None:
        return ""
    try:
        done = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout


def check_cjk_font() -> str:
    """The first Chinese font family found; IpdataError when there is none (charts would show
    empty boxes instead of Chinese)."""
    families = [line.strip() for line in _fc_list().splitlines() if line.strip()]
    if not families:
        raise IpdataError("找不到中文字体：服务器上没有安装任何中文字体，导出的图片中的汉字会显示为方框，因此未生成图片。",
                          hint=SYSDEPS_HINT)
    preferred = [f for f in families if "Noto Sans CJK" in f]
    return (preferred or families)[0]


class _Browser:
    """A warm kaleido (one chromium tab) living in a daemon thread with its own event loop."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.kaleido: Any = None

    def start(self) -> None:
        import kaleido

        check_cjk_font()
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="ipdata-kaleido", daemon=True).start()

        async def open_() -> Any:
            k = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False)
            await k.open()
            return k

        try:
            self.kaleido = asyncio.run_coroutine_threadsafe(open_(), loop).result(RENDER_TIMEOUT)
        except Exception as exc:
            loop.call_soon_threadsafe(loop.stop)
            raise _browser_error(exc) from exc
        self.loop = loop

    def render(self, spec: dict[str, Any], opts: dict[str, Any]) -> bytes:
        return self.run(lambda k: k.calc_fig(spec, opts=opts))

    def run(self, job: Callable[[Any], Coroutine[Any, Any, T]]) -> T:
        """`job(kaleido)` on the browser's loop (kaleido is a choreographer Browser), at most
        RENDER_TIMEOUT seconds."""
        if self.loop is None:
            self.start()
        assert self.loop is not None
        future = asyncio.run_coroutine_threadsafe(job(self.kaleido), self.loop)
        try:
            return future.result(RENDER_TIMEOUT)
        except Exception as exc:
            future.cancel()
            self.stop()  # a fresh browser for the next call
            raise _browser_error(exc) from exc

    def stop(self) -> None:
        loop, k = self.loop, self.kaleido
        self.loop, self.kaleido = None, None
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(k.close(), loop).result(20)
        except Exception:  # already dead: nothing left to close
            _log.debug("closing kaleido failed", exc_info=True)
        loop.call_soon_threadsafe(loop.stop)


def _browser_error(exc: Exception) -> IpdataError:
    from kaleido.errors import ChromeNotFoundError

    if isinstance(exc, ChromeNotFoundError):
        return IpdataError("找不到 Chromium 浏览器：服务器端生成图片需要它。", hint=SYSDEPS_HINT)
    if isinstance(exc, TimeoutError):
        return IpdataError(f"生成图片超时（{RENDER_TIMEOUT} 秒）。", hint="稍后重试；如仍超时，请联系维护人员。")
    return IpdataError(f"生成图片失败（{type(exc).__name__}: {exc}）。", hint="稍后重试；如仍失败，请联系维护人员。")


_BROWSER = _Browser()
atexit.register(lambda: _BROWSER.stop() if _BROWSER.loop is not None else None)


def render(fig: go.Figure, fmt: str) -> bytes:
    """`fig` as `fmt` ('png' or 'svg') at slide size; serialised by the process-wide lock."""
    if fmt not in ("png", "svg"):
        raise IpdataError(f"不支持的图片格式：{fmt}（只支持 png 和 svg）。")
    opts = {"format": fmt, **IMAGE_ARGS}
    spec = fig.to_dict()
    with _LOCK:
        return _BROWSER.render(spec, opts)


def in_browser(job: Callable[[Any], Coroutine[Any, Any, T]]) -> T:
    """Run `job(browser)` (a coroutine function given the warm choreographer browser) under the
    same lock, timeout and Chinese errors as the charts: the brief's screenshot uses it."""
    with _LOCK:
        return _BROWSER.run(job)


def to_png(fig: go.Figure) -> bytes:
    """PNG at 1920×1080 pixels (a full 16:9 slide)."""
    return render(fig, "png")


def to_svg(fig: go.Figure) -> bytes:
    """SVG with the same layout as the PNG; Chinese text stays searchable text."""
    return render(fig, "svg")


def stop() -> None:
    """Close the warm browser (tests, shutdown); the next render starts a new one."""
    with _LOCK:
        _BROWSER.stop()
