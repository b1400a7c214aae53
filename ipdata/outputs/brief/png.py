"""The brief as a PNG, 1080 px wide and as tall as the card, to send on (WeChat, mail).

The HTML of page.brief_html is laid out PNG_CSS_WIDTH CSS pixels wide (a phone's width, so that
the text is as large on the receiving phone as on the page) at PNG_WIDTH / PNG_CSS_WIDTH device
pixels per CSS pixel, in a tab of the warm chromium that renders the charts (ipdata.outputs.render:
one render at a time per process, RENDER_TIMEOUT, Chinese errors). The page is set as the tab's
document (no URL, no file, no network); its height is measured once the fonts are ready and the
whole of it captured (CDP Page.captureScreenshot), which `chromium --screenshot` cannot do without
knowing the height beforehand.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from ipdata.outputs import render
from ipdata.outputs.brief.content import Brief
from ipdata.outputs.brief.page import brief_html

PNG_WIDTH = 1080
PNG_CSS_WIDTH = 480
MAX_CSS_HEIGHT = 6000  # far beyond any brief (its lists are limited); chromium caps captures near 16k px
_log = logging.getLogger("ipdata.outputs.brief")
_MEASURE = ("document.fonts.ready.then(() => Math.ceil(Math.max("
            "document.documentElement.scrollHeight, document.body.scrollHeight)))")


def brief_png(brief: Brief) -> bytes:
    """PNG bytes of brief_html(brief), PNG_WIDTH pixels wide. IpdataError (Chinese) when chromium
    or a Chinese font is missing, or the render fails or times out."""
    render.check_cjk_font()  # without one every character is a box: refuse rather than send that
    return html_png(brief_html(brief))


def html_png(html: str, width: int = PNG_WIDTH, css_width: int = PNG_CSS_WIDTH) -> bytes:
    """A self-contained HTML document as a full-height PNG `width` pixels wide."""
    scale = width / css_width

    async def shoot(browser: Any) -> bytes:
        tab = await browser.create_tab("about:blank", window=True)
        try:
            # A short viewport first: the document's scrollHeight is then its own height.
            await _command(tab, "Emulation.setDeviceMetricsOverride",
                           width=css_width, height=100, deviceScaleFactor=scale, mobile=False)
            tree = await _command(tab, "Page.getFrameTree")
            await _command(tab, "Page.setDocumentContent", frameId=tree["frameTree"]["frame"]["id"], html=html)
            measured = await _command(tab, "Runtime.evaluate", expression=_MEASURE, awaitPromise=True,
                                      returnByValue=True)
            height = min(int(measured["result"]["value"]), MAX_CSS_HEIGHT)
            await _command(tab, "Emulation.setDeviceMetricsOverride",
                           width=css_width, height=height, deviceScaleFactor=scale, mobile=False)
            shot = await _command(tab, "Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                  clip={"x": 0, "y": 0, "width": css_width, "height": height, "scale": 1})
            return base64.b64decode(shot["data"])
        finally:
            try:
                await tab.close()
            except Exception:  # a dead browser: the error that matters is the one above (or none)
                _log.debug("closing the brief's tab failed", exc_info=True)

    return render.in_browser(shoot)


async def _command(tab: Any, name: str, **params: Any) -> dict[str, Any]:
    """One DevTools command's result; RuntimeError (told in Chinese by render) on an error reply."""
    reply = await tab.send_command(name, params=params or None)
    if "error" in reply:
        raise RuntimeError(f"{name}: {reply['error'].get('message', reply['error'])}")
    return reply.get("result", {})
