"""app.py's login and logout routes, called as the server calls them (an ASGI request): the
cookie they set (HttpOnly, SameSite=Strict, Secure behind HTTPS), where they send the browser,
and what they refuse."""

import asyncio
import importlib
from urllib.parse import urlencode

import pytest
from starlette.requests import Request
from streamlit import config

from ipdata import logins
from ipdata.auth import ADMIN, STATISTICIAN, User, Users, local_operator

STAT_PW = "tongzhou-stat-2025"


@pytest.fixture(scope="module")
def app():
    """app.py, imported as `streamlit run app.py` would (it sets Streamlit's main script path:
    put it back for the other tests in this process)."""
    before = config._main_script_path
    module = importlib.import_module("app")
    yield module
    config._main_script_path = before


@pytest.fixture
def users(db_path):
    u = Users(db_path)
    u.add(local_operator("root"), "管理员甲", ADMIN, "admin-pass-long-1")
    u.add(User("管理员甲", ADMIN), "王统计", STATISTICIAN, STAT_PW, "admin-pass-long-1")
    return u


def call(route, method="POST", body=b"", headers=(), client=("10.0.0.5", 50000), scheme="http", cookie=None):
    heads = [(b"host", b"ipdata.example:8443"), (b"content-type", b"application/x-www-form-urlencoded"),
             *((k.encode(), v.encode()) for k, v in headers)]
    if cookie:
        heads.append((b"cookie", f"{logins.COOKIE}={cookie}".encode()))
    scope = {"type": "http", "method": method, "path": "/ipdata/login", "raw_path": b"/ipdata/login",
             "query_string": b"", "headers": heads, "client": client, "scheme": scheme,
             "server": ("127.0.0.1", 8501), "root_path": "", "http_version": "1.1"}
    chunks = [body[i:i + 1000] for i in range(0, len(body), 1000)] or [b""]

    async def receive():
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    return asyncio.run(route(Request(scope, receive)))


def form(name, password) -> bytes:
    return urlencode({"username": name, "password": password}).encode()


def cookie_of(response) -> str:
    return next(v.decode() for k, v in response.raw_headers if k == b"set-cookie")


def test_the_right_password_sets_an_httponly_cookie_and_returns_to_the_account_page(app, users):
    response = call(app.login, body=form("王统计", STAT_PW), headers=[("origin", "https://ipdata.example:8443")])
    assert (response.status_code, response.headers["location"]) == (303, "/account")
    cookie = cookie_of(response)
    secret = cookie.split(";")[0].removeprefix(f"{logins.COOKIE}=")
    assert [p.strip() for p in cookie.split(";")[1:]] == ["HttpOnly", "Path=/", "SameSite=strict"]
    assert logins.resume(users, secret) == User("王统计", STATISTICIAN)
    ev = users.events()
    assert ev[ev["event"] == "login"][["name", "ok", "client"]].values.tolist() == [["王统计", True, "10.0.0.5"]]


def test_behind_https_the_cookie_is_secure(app, users):
    response = call(app.login, body=form("王统计", STAT_PW), scheme="https")
    assert "Secure" in cookie_of(response)


@pytest.mark.parametrize(("body", "query"), [
    (form("王统计", "wrong"), "login=bad-credentials"),
    (form("nobody", "wrong"), "login=bad-credentials"),
    (form("x" * 65, "wrong"), "login=name"),
    (b"username=" + b"x" * 10_000, "login=form"),  # bigger than a login form: refused unread
    (b"", "login=form"),
])
def test_a_refused_login_sets_no_cookie_and_says_why_on_the_account_page(app, users, body, query):
    response = call(app.login, body=body)
    assert (response.status_code, response.headers["location"]) == (303, f"/account?{query}")
    assert b"set-cookie" not in dict(response.raw_headers)


def test_a_throttled_client_is_told_how_long_to_wait(app, users):
    for _ in range(5):
        call(app.login, body=form("王统计", "wrong"))
    response = call(app.login, body=form("王统计", STAT_PW))
    # the first wait is 2 s from the fifth failure; the seconds left when the sixth try is answered
    # depend on how fast five argon2 checks ran (a loaded machine: 1 left)
    location = response.headers["location"]
    assert location in ("/account?login=throttled&wait=2", "/account?login=throttled&wait=1"), location


def test_a_post_from_another_site_is_refused(app, users):
    response = call(app.login, body=form("王统计", STAT_PW), headers=[("origin", "https://evil.example")])
    assert response.status_code == 403 and "账户" in response.body.decode()
    assert users.events().query("event == 'login'").empty  # not even tried


def test_get_goes_to_the_account_page(app):
    response = call(app.login, method="GET")
    assert (response.status_code, response.headers["location"]) == (303, "/account")


def test_logout_ends_the_login_and_clears_the_cookie(app, users):
    secret = logins.start(users, User("王统计", STATISTICIAN))
    response = call(app.logout, cookie=secret)
    assert (response.status_code, response.headers["location"]) == (303, "/account?logout=1")
    cleared = cookie_of(response)
    assert cleared.startswith(f'{logins.COOKIE}=""') and "Max-Age=0" in cleared and "HttpOnly" in cleared
    assert logins.resume(users, secret) is None
