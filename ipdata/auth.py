"""Who may change data: roles, password logins, and the check every write function makes.

Viewer (no login) reads everything. Statistician uploads, rolls back and edits task status.
Admin also manages users. Writes in ipdata/ take a `User` and call `require()` themselves, so
hiding a button in the UI is never the only protection.

Users live in the store file (table `users`) or, for deployments that configure them outside
the database, in `.streamlit/secrets.toml` (passed in as a mapping: this package never imports
streamlit). Passwords are kept only as argon2id hashes (argon2-cffi: a well-kept binding of the
Password Hashing Competition winner; salted and deliberately slow). Repeated failed logins are
slowed down and every attempt is logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ipdata.errors import IpdataError
from ipdata.store.connection import connect, file_lock, transaction
from ipdata.store.schema import create_missing

VIEWER, STATISTICIAN, ADMIN = "viewer", "statistician", "admin"
ROLES = (VIEWER, STATISTICIAN, ADMIN)
ROLE_LABELS = {VIEWER: "浏览", STATISTICIAN: "统计人员", ADMIN: "管理员"}
_RANK = {VIEWER: 0, STATISTICIAN: 1, ADMIN: 2}

# Failed logins: after FREE_FAILURES failures within WINDOW, each further attempt must wait
# 2, 4, 8 … seconds (at most MAX_WAIT) after the previous failure. A refusal is not a sleep, so
# a flood of attempts cannot tie up the server.
FREE_FAILURES = 3
WINDOW = dt.timedelta(minutes=15)
MAX_WAIT = 300
MIN_PASSWORD = 8

_hasher = PasswordHasher()
AUTH_TABLES = ("users", "auth_events")


class PermissionDenied(IpdataError):
    """The user's role does not allow this action."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    via: str = "login"  # login | cli (a local operator with shell access to the server)

    @property
    def label(self) -> str:
        return f"{self.name}（{ROLE_LABELS[self.role]}）"

    def has(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


ANONYMOUS = User("访客", VIEWER, "anonymous")


def local_operator(name: str) -> User:
    """Whoever runs the CLI on the server already holds the database file; the audit trail
    records them by their login name."""
    return User(name or "unknown", ADMIN, "cli")


def require(user: User | None, role: str = STATISTICIAN, action: str = "修改数据") -> User:
    """Return the user when their role allows `action`; otherwise refuse in Chinese."""
    if user is None or not isinstance(user, User) or not user.has(role):
        who = user.label if isinstance(user, User) and user.role != VIEWER else "未登录的访客"
        raise PermissionDenied(f"{who}无权{action}。", hint=f"请以{ROLE_LABELS[role]}身份登录后再操作。")
    return user


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise IpdataError(f"密码太短：至少 {MIN_PASSWORD} 个字符。", hint="换一个更长的密码。")
    return _hasher.hash(password)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Users:
    """The user directory of one store file, plus users from secrets (which win on a clash)."""

    def __init__(self, db: Path | str, secrets: Mapping[str, Mapping] | None = None):
        self.path = Path(db)
        self.secrets = {str(k): dict(v) for k, v in (secrets or {}).items()}

    def _run(self, fn):
        with file_lock(self.path), connect(self.path) as con, transaction(con):
            create_missing(con, AUTH_TABLES)  # a catalogue lookup; DDL only for a file that lacks them
            return fn(con)

    # --- directory -----------------------------------------------------------------------
    def list(self) -> pd.DataFrame:
        stored = self._run(lambda con: con.execute(
            "SELECT name, role, created_at, created_by, disabled FROM users ORDER BY name").df())
        stored["source"] = "数据库"
        extra = pd.DataFrame([{"name": n, "role": v.get("role", VIEWER), "created_at": None, "created_by": None,
                               "disabled": False, "source": "secrets.toml"} for n, v in self.secrets.items()])
        return pd.concat([stored, extra], ignore_index=True) if not extra.empty else stored

    def count(self) -> int:
        return len(self.list())

    def add(self, actor: User, name: str, role: str, password: str) -> str:
        """Create a user (admin only; the very first user may be created by a local operator)."""
        name = name.strip()
        if role not in ROLES:
            raise IpdataError(f"角色“{role}”无效，应为 {' / '.join(ROLES)} 之一。")
        if not name:
            raise IpdataError("用户名不能为空。")
        first = self.count() == 0 and actor.via == "cli"
        if not first:
            require(actor, ADMIN, "管理用户")
        digest = hash_password(password)

        def insert(con):
            if con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone() or name in self.secrets:
                raise IpdataError(f"用户“{name}”已存在。", hint="换一个用户名，或用 user passwd 修改密码。")
            con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, false)",
                        [name, role, digest, _now().isoformat(), actor.name])
            self._event(con, name, "user-add", True, actor.name, role)

        self._run(insert)
        return f"已创建用户“{name}”（{ROLE_LABELS[role]}）。"

    def set_password(self, actor: User, name: str, password: str) -> str:
        if actor.name != name:
            require(actor, ADMIN, "修改他人的密码")
        digest = hash_password(password)

        def update(con):
            if not con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise IpdataError(f"没有用户“{name}”。")
            con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [digest, name])
            self._event(con, name, "user-passwd", True, actor.name, None)

        self._run(update)
        return f"已修改用户“{name}”的密码。"

    def set_disabled(self, actor: User, name: str, disabled: bool = True) -> str:
        require(actor, ADMIN, "管理用户")

        def update(con):
            if not con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise IpdataError(f"没有用户“{name}”。")
            con.execute("UPDATE users SET disabled = ? WHERE name = ?", [disabled, name])
            self._event(con, name, "user-disable" if disabled else "user-enable", True, actor.name, None)

        self._run(update)
        return f"已{'停用' if disabled else '启用'}用户“{name}”。"

    # --- login ---------------------------------------------------------------------------
    def authenticate(self, name: str, password: str, now: dt.datetime | None = None) -> User:
        """The user when the password matches; otherwise a Chinese refusal (and a logged event)."""
        now = now or _now()
        name = name.strip()

        def attempt(con):
            wait = self._wait_seconds(con, name, now)
            if wait > 0:
                self._event(con, name, "login", False, None, "throttled", now)
                return None, f"登录失败次数过多，请 {wait} 秒后再试。"
            record = self._record(con, name)
            ok = record is not None and not record["disabled"] and _verify(record["password_hash"], password)
            self._event(con, name, "login", ok, None, None if ok else "bad-credentials", now)
            return (User(name, record["role"]) if ok else None), "用户名或密码不正确。"

        user, message = self._run(attempt)
        if user is None:
            raise PermissionDenied(message, hint="检查用户名和密码；忘记密码请联系管理员。")
        return user

    def _record(self, con, name: str) -> dict | None:
        if name in self.secrets:
            v = self.secrets[name]
            return {"role": v.get("role", VIEWER), "password_hash": v.get("password_hash", ""), "disabled": False}
        row = con.execute("SELECT role, password_hash, disabled FROM users WHERE name = ?", [name]).fetchone()
        return None if row is None else {"role": row[0], "password_hash": row[1], "disabled": row[2]}

    def _wait_seconds(self, con, name: str, now: dt.datetime) -> int:
        since = (now - WINDOW).isoformat()
        rows = con.execute(
            "SELECT happened_at FROM auth_events WHERE name = ? AND event = 'login' AND detail = 'bad-credentials'"
            " AND happened_at >= ? ORDER BY happened_at",
            [name, since]).fetchall()
        # failures since the last success only
        last_ok = con.execute("SELECT max(happened_at) FROM auth_events WHERE name = ? AND event = 'login' AND ok",
                              [name]).fetchone()[0]
        failures = [dt.datetime.fromisoformat(r[0]) for r in rows if last_ok is None or r[0] > last_ok]
        if len(failures) < FREE_FAILURES:
            return 0
        wait = min(MAX_WAIT, 2 ** (len(failures) - FREE_FAILURES + 1))
        remaining = (failures[-1] + dt.timedelta(seconds=wait) - now).total_seconds()
        return max(0, int(remaining + 0.999))

    @staticmethod
    def _event(con, name, event, ok, actor, detail, at: dt.datetime | None = None) -> None:
        con.execute("INSERT INTO auth_events VALUES (?, ?, ?, ?, ?, ?)",
                    [(at or _now()).isoformat(), name, event, ok, actor, detail])

    def events(self) -> pd.DataFrame:
        """Logins (also failed and throttled ones) and user changes, oldest first."""
        return self._run(lambda con: con.execute("SELECT * FROM auth_events ORDER BY happened_at").df())


def _verify(digest: str, password: str) -> bool:
    try:
        return _hasher.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
