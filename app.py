"""The server: Streamlit serving the router (dashboard.py), plus the login and logout routes.

Start it with `streamlit run app.py` (make run / make serve do). A login is a random secret the
browser keeps in an HttpOnly cookie (ipdata/logins.py), and only an HTTP response can set or clear
such a cookie: the 账户 page's forms post here, not over Streamlit's websocket. Both answer with a
redirect back to the 账户 page.

Streamlit's own words (uploader, input hints, toolbars, dialogs) are English and its page says
lang="en": ChinesePage serves every HTML page declaring zh-CN with the script of
ipdata/ui_strings.py, which puts those words into Chinese in the browser.
"""

from __future__ import annotations

import functools
import gzip
from urllib.parse import urlencode, urlsplit

import anyio
import streamlit as st
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config

from ipdata import logins, settings, ui_strings
from ipdata.auth import Users

LOGIN_PATH, LOGOUT_PATH = "/ipdata/login", "/ipdata/logout"
# Password checks at once: each takes ~0.1 s of a core and 64 MiB (argon2id), and a slowed one
# waits here, in its own worker thread, never in the threads that serve pages and files.
CHECKS = anyio.CapacityLimiter(2)


def _base() -> str:
    return "/" + config.get_option("server.baseUrlPath").strip("/")


def _same_site(request: Request) -> bool:
    """A browser posting from another site sends its Origin; such a post is refused."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).hostname == request.url.hostname


async def _read(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is larger than `limit` (read no further)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return body


def _account(query: dict | None = None) -> RedirectResponse:
    url = _base().rstrip("/") + "/account" + (f"?{urlencode(query)}" if query else "")
    return RedirectResponse(url, status_code=303)


def _users() -> Users:
    from pages.components import secret_users  # imported late: pages need a configured Streamlit

    return Users(settings.db_path(), secrets=secret_users())


async def login(request: Request) -> Response:
    if request.method != "POST":
        return _account()
    if not _same_site(request):
        return PlainTextResponse("请在本站的“账户”页登录。", status_code=403)
    body = await _read(request, logins.MAX_FORM_BYTES)
    users = _users()
    client = request.client.host if request.client else ""  # X-Forwarded-For only from trusted proxies (README)
    outcome = (logins.Outcome(error="form") if body is None else
               await anyio.to_thread.run_sync(functools.partial(logins.login_form, users, body, client),
                                              limiter=CHECKS))
    if outcome.secret is None:
        return _account({"login": outcome.error or "form", **({"wait": outcome.wait} if outcome.wait else {})})
    response = _account()
    response.set_cookie(logins.COOKIE, outcome.secret, path=_base(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


async def logout(request: Request) -> Response:
    """End the login in the store (the secret opens nothing from now on) and clear the cookie."""
    if request.method != "POST" or not _same_site(request):
        return _account()
    await anyio.to_thread.run_sync(logins.end, _users(), request.cookies.get(logins.COOKIE))
    response = _account({"logout": "1"})
    response.delete_cookie(logins.COOKIE, path=_base(), httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


class ChinesePage:
    """Every HTML page Streamlit serves (its index.html, for any page's URL) passes through
    ipdata.ui_strings.localise_index: <html lang="zh-CN"> and the script that puts Streamlit's own
    strings into Chinese. The file in site-packages is never changed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"  # asked as a GET: the length is the rewritten page's
        # No "not modified" for a page cached before this rewrite: always the page, rewritten.
        scope = {**scope, "method": "GET", "headers": [
            (k, v) for k, v in scope["headers"] if k not in (b"if-none-match", b"if-modified-since")]}
        start: Message | None = None
        body = b""

        async def rewrite(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                if MutableHeaders(raw=message["headers"]).get("content-type", "").startswith("text/html"):
                    start = message  # held until the whole page is read
                    return
            elif message["type"] == "http.response.body":
                if start is None:
                    message = {**message, "body": b""} if head else message
                else:
                    body += message.get("body", b"")
                    if message.get("more_body", False):
                        return
                    page = self._page(start, body)
                    await send(start)
                    message = {"type": "http.response.body", "body": b"" if head else page}
            await send(message)

        await self.app(scope, receive, rewrite)

    @staticmethod
    def _page(start: Message, body: bytes) -> bytes:
        headers = MutableHeaders(raw=start["headers"])
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
            del headers["content-encoding"]
        page = ui_strings.localise_index(body.decode("utf-8")).encode("utf-8")
        headers["content-length"] = str(len(page))
        for stale in ("etag", "last-modified"):  # the file's, not this page's
            if stale in headers:
                del headers[stale]
        return page


_SCRIPT = ui_strings.script().encode("utf-8")


async def chinese_script(request: Request) -> Response:
    return Response(_SCRIPT, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"})


def _no_pages_directory() -> None:
    """dashboard.py lists the pages (st.navigation). Without this, a fresh server takes the pages/
    folder for Streamlit's old multipage layout until the router first runs: its first visitor
    sees the files' English names (account, brief, components…) in a sidebar for a moment."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a later Streamlit without the old layout
        return
    PagesManager.uses_pages_directory = False


_no_pages_directory()
_prefix = _base().rstrip("/")
app = st.App("dashboard.py",
             routes=[Route(_prefix + LOGIN_PATH, login, methods=["GET", "POST"]),
                     Route(_prefix + LOGOUT_PATH, logout, methods=["GET", "POST"]),
                     Route(f"{_prefix}/{ui_strings.SCRIPT_PATH}", chinese_script)],
             middleware=[Middleware(ChinesePage)])
