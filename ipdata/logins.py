"""Web logins: a random secret the browser keeps in an HttpOnly cookie, checked on every page run.

A Streamlit session id is not a login: it appears in every upload URL, and any client that
presents it resumes the session, session state and all. So a login is a separate secret of 256
random bits, sent to the browser only in an HttpOnly, SameSite=Strict cookie by the login route
(app.py), never over the websocket and never readable by page scripts. The store keeps only its
SHA-256 with the user's name, when it began, when it was last seen, the client address and the
fingerprint of the user's credentials (auth.credential).

Every page run looks the cookie up (`resume`). A login ends when the user logs out, after
IPDATA_LOGIN_IDLE_MINUTES without a run, after IPDATA_LOGIN_MAX_HOURS in all, and at the next run
once the user is disabled or their role or password changes (the fingerprint no longer matches;
auth.Users also deletes their logins at once). A resumed session without the cookie is a visitor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets as random_secrets
from dataclasses import dataclass
from urllib.parse import parse_qs

from ipdata import settings
from ipdata.auth import PermissionDenied, TooManyFailures, User, Users, credential
from ipdata.errors import IpdataError
from ipdata.passwords import MAX_LENGTH, MAX_NAME

COOKIE = "ipdata_login"
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen is written at most this often (a run is a read)
MAX_FORM_BYTES = 4096  # a login form is a name and a password; anything bigger is refused unread


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _plausible(secret: object) -> bool:
    """A cookie value worth looking up (no lookup for a missing, empty or oversized one)."""
    return isinstance(secret, str) and 0 < len(secret) <= 100


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.number("IPDATA_LOGIN_IDLE_MINUTES"))


def age_limit() -> dt.timedelta:
    return dt.timedelta(hours=settings.number("IPDATA_LOGIN_MAX_HOURS"))


def start(users: Users, user: User, client: str = "", now: dt.datetime | None = None) -> str:
    """A new login for `user` (who has just given their password); returns the secret for the
    cookie. Expired logins of anyone are cleared on the way."""
    now = now or _now()
    secret = random_secrets.token_urlsafe(32)

    def insert(con):
        record = users.record(con, user.name)
        if record is None or record["disabled"]:
            raise PermissionDenied("用户名或密码不正确。")
        con.execute("INSERT INTO logins VALUES (?, ?, ?, ?, ?, ?)",
                    [_digest(secret), user.name, credential(record), now.isoformat(), now.isoformat(), client or None])
        con.execute("DELETE FROM logins WHERE last_seen < ? OR created_at < ?",
                    [(now - idle_limit()).isoformat(), (now - age_limit()).isoformat()])

    users.run(insert)
    return secret


def resume(users: Users, secret: str | None, now: dt.datetime | None = None) -> User | None:
    """The user whose login the cookie holds, or None (no cookie, an unknown secret, or a login
    that has just ended: idle, too old, or the user changed). Ending one is logged."""
    if not _plausible(secret):
        return None
    now = now or _now()
    digest = _digest(secret)

    def look(con) -> User | None:
        row = con.execute("SELECT name, credential, created_at, last_seen, client FROM logins "
                          "WHERE secret_sha256 = ?", [digest]).fetchone()
        if row is None:
            return None
        name, granted, created, seen, client = row
        record = users.record(con, name)
        reason = ("idle" if now - dt.datetime.fromisoformat(seen) > idle_limit()
                  else "expired" if now - dt.datetime.fromisoformat(created) > age_limit()
                  else "changed" if record is None or record["disabled"] or credential(record) != granted
                  else None)
        if reason:
            con.execute("DELETE FROM logins WHERE secret_sha256 = ?", [digest])
            users.log(con, name, "logout", True, None, reason, now, client)
            return None
        if now - dt.datetime.fromisoformat(seen) >= TOUCH_EVERY:
            con.execute("UPDATE logins SET last_seen = ? WHERE secret_sha256 = ?", [now.isoformat(), digest])
        return User(name, record["role"])

    return users.run(look)


def end(users: Users, secret: str | None, now: dt.datetime | None = None) -> None:
    """Log out: the secret stops working at once (the browser's copy is useless from then on)."""
    if not _plausible(secret):
        return
    now = now or _now()
    digest = _digest(secret)

    def delete(con):
        row = con.execute("SELECT name, client FROM logins WHERE secret_sha256 = ?", [digest]).fetchone()
        if row is not None:
            con.execute("DELETE FROM logins WHERE secret_sha256 = ?", [digest])
            users.log(con, row[0], "logout", True, None, None, now, row[1])

    users.run(delete)


def active(users: Users) -> int:
    """How many logins are open (for tests and the admin's view)."""
    return users.run(lambda con: con.execute("SELECT count(*) FROM logins").fetchone()[0])


# --- the login form (posted to app.py's route) ------------------------------------------------

ERRORS = {  # codes the route puts in the 账户 page's URL -> what the page says
    "bad-credentials": "用户名或密码不正确。",
    "throttled": "登录失败次数过多，请 {wait} 秒后再试。",
    "name": f"用户名太长：最多 {MAX_NAME} 个字符。",
    "form": "登录表单不完整或过大，请在“账户”页重新输入用户名和密码。",
    "busy": "数据库暂时忙，请稍后再登录。",
}


@dataclass(frozen=True)
class Outcome:
    secret: str | None = None  # the cookie's value when the login succeeded
    error: str | None = None  # a key of ERRORS otherwise
    wait: int = 0  # seconds, for "throttled"

    def message(self) -> str:
        return ERRORS.get(self.error or "", ERRORS["form"]).format(wait=self.wait)


def login_form(users: Users, body: bytes, client: str = "", now: dt.datetime | None = None) -> Outcome:
    """Check a posted `username=…&password=…` form and start a login when it is right."""
    if len(body) > MAX_FORM_BYTES:
        return Outcome(error="form")
    fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=4)
    name = (fields.get("username") or [""])[0].strip()
    password = (fields.get("password") or [""])[0]
    if not name or not password or len(password) > MAX_LENGTH:
        return Outcome(error="form" if not name or not password else "bad-credentials")
    if len(name) > MAX_NAME:
        return Outcome(error="name")
    try:
        user = users.authenticate(name, password, client, now)
        return Outcome(secret=start(users, user, client, now))
    except TooManyFailures as exc:
        return Outcome(error="throttled", wait=exc.wait)
    except PermissionDenied:
        return Outcome(error="bad-credentials")
    except IpdataError:
        return Outcome(error="busy")
