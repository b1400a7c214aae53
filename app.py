"""The server: Streamlit serving the router (dashboard.py), plus the login and logout routes.

Start it with `streamlit run app.py` (make run / make serve do). A login is a random secret the
browser keeps in an HttpOnly cookie (ipdata/logins.py), and only an HTTP response can set or clear
such a cookie: the 账户 page's forms post here, not over Streamlit's websocket. Both answer with a
redirect back to the 账户 page.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode, urlsplit

import anyio
import streamlit as st
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit import config

from ipdata import logins, settings
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


_prefix = _base().rstrip("/")
app = st.App("dashboard.py", routes=[Route(_prefix + LOGIN_PATH, login, methods=["GET", "POST"]),
                                     Route(_prefix + LOGOUT_PATH, logout, methods=["GET", "POST"])])
