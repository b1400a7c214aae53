"""Shared fixtures: a fresh database path per test, never the developer's own data/ipdata.duckdb."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "ipdata.duckdb"
    monkeypatch.setenv("IPDATA_DB", str(path))
    return path


@pytest.fixture
def store(db_path):
    from ipdata import service

    return service.open_store(db_path)


@pytest.fixture(autouse=True)
def _fresh_cookies():
    """Each test starts with a browser that holds no cookies."""
    yield
    components = sys.modules.get("pages.components")
    if components is not None and hasattr(components.request_cookies, "jar"):
        components.request_cookies.jar.clear()


def browser_cookies() -> dict[str, str]:
    """The cookies the test "browser" sends. AppTest has no browser, so the pages' cookie reader
    (pages.components.request_cookies) is replaced by one that reads this jar. The jar hangs on
    the replacement itself: this file is imported both as `conftest` and as `tests.conftest`."""
    from pages import components

    if not hasattr(components.request_cookies, "jar"):
        jar: dict[str, str] = {}

        def read() -> dict[str, str]:
            return dict(jar)

        read.jar = jar  # type: ignore[attr-defined]
        components.request_cookies = read
    return components.request_cookies.jar


def sign_in(user, db=None) -> str:
    """Log `user` in as the login route does (creating them in the store first when missing) and
    give the test browser the cookie; returns the secret."""
    from ipdata import logins, settings
    from ipdata.auth import Users, hash_password

    users = Users(db or settings.db_path())
    if users.run(lambda con: users.record(con, user.name)) is None:
        digest = hash_password("test-password-" + user.role, user.name)
        users.run(lambda con: con.execute("INSERT INTO users VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00', 'test', false)",
                                          [user.name, user.role, digest]))
    secret = logins.start(users, user, client="test")
    browser_cookies()[logins.COOKIE] = secret
    return secret


def page_test(name: str, user=None, timeout: int = 60):
    """One page script under AppTest (not yet run), signed in as `user` when given."""
    from streamlit.testing.v1 import AppTest

    browser_cookies()
    if user is not None:
        sign_in(user)
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=timeout)


def run_page(name: str, user=None, timeout: int = 60):
    """One page script under AppTest, run once, signed in as `user` when given (with a login
    cookie, as a browser would be: session state alone is no login)."""
    return page_test(name, user, timeout).run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
