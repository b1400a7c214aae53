"""Who may change data: roles, password logins, and the check every write function makes.

Viewer (no login) reads the data. Statistician uploads, rolls back and edits task status, and
reads the audit trail. Admin also manages users. Writes in ipdata/ take a `User` and call
`require()` themselves, so hiding a button in the UI is never the only protection; a page gets its
`User` only from the login cookie of the run (ipdata/logins.py), never from session state.

Users live in the store file (table `users`) or, for deployments that configure them outside
the database, in `.streamlit/secrets.toml` (passed in as a mapping: this package never imports
streamlit). Passwords follow ipdata/passwords.py (policy, argon2id, constant-time checks); failed
logins slow the next ones down as ipdata/throttle.py rules. Every attempt and every change is an
auth event, kept for IPDATA_AUTH_EVENTS_DAYS days and at most IPDATA_AUTH_EVENTS_MAX rows.
Changing a user's role, password or state ends their logins; doing it to someone else through
the web asks for the admin's own password again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ipdata import settings, throttle
from ipdata.errors import IpdataError
from ipdata.passwords import MAX_NAME, hash_password, name_problem, verify
from ipdata.store.connection import connect, file_lock, transaction
from ipdata.store.schema import create_missing

__all__ = ["ADMIN", "ANONYMOUS", "AUTH_TABLES", "CHANGES", "MAX_NAME", "ROLES", "ROLE_LABELS", "STATISTICIAN", "VIEWER",
           "PermissionDenied", "TooManyFailures", "User", "Users", "credential", "hash_password", "local_operator", "require"]

VIEWER, STATISTICIAN, ADMIN = "viewer", "statistician", "admin"
ROLES = (VIEWER, STATISTICIAN, ADMIN)
ROLE_LABELS = {VIEWER: "浏览", STATISTICIAN: "统计人员", ADMIN: "管理员"}
_RANK = {VIEWER: 0, STATISTICIAN: 1, ADMIN: 2}

AUTH_TABLES = ("users", "auth_events", "logins")
# What an admin may do to another user (Users.change), as the 账户 page names it.
CHANGES = {"disable": "停用", "enable": "启用", STATISTICIAN: "改为统计人员", ADMIN: "改为管理员", "password": "重设密码"}
PASSWORD_EVENTS = ("login", "confirm")  # events that check a password (and count as failures)
BAD = "bad-credentials"
WRONG = "用户名或密码不正确。"


class PermissionDenied(IpdataError):
    """The user's role does not allow this action, or a password was wrong."""


class TooManyFailures(PermissionDenied):
    """This client failed too often: it may try again in `wait` seconds."""

    def __init__(self, wait: int):
        super().__init__(f"登录失败次数过多，请 {wait} 秒后再试。", hint="等待后再输入；忘记密码请联系管理员重设。")
        self.wait = wait


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


def credential(record: Mapping[str, Any]) -> str:
    """A fingerprint of what a login was granted on (role, password hash, state): a login made
    before any of them changed no longer matches."""
    text = f"{record['role']}\0{record['password_hash']}\0{bool(record['disabled'])}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Users:
    """The user directory of one store file, plus users from secrets (which win on a clash).

    `sleep` holds back a slowed answer (tests pass a recorder; the login route runs the whole
    check in a worker thread, see app.py)."""

    def __init__(self, db: Path | str, secrets: Mapping[str, Mapping] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.path = Path(db)
        self.secrets = {str(k): dict(v) for k, v in (secrets or {}).items()}
        self.sleep = sleep

    def run(self, fn: Callable[[Any], Any]) -> Any:
        """`fn(con)` in one transaction on the store file, under its lock, auth tables present."""
        with file_lock(self.path), connect(self.path) as con, transaction(con):
            create_missing(con, AUTH_TABLES)  # a catalogue lookup; DDL only for a file that lacks them
            return fn(con)

    # --- directory -----------------------------------------------------------------------
    def list(self) -> pd.DataFrame:
        stored = self.run(lambda con: con.execute(
            "SELECT name, role, created_at, created_by, disabled FROM users ORDER BY name").df())
        stored["source"] = "数据库"
        extra = pd.DataFrame([{"name": n, "role": v.get("role", VIEWER), "created_at": None, "created_by": None,
                               "disabled": False, "source": "secrets.toml"} for n, v in self.secrets.items()])
        return pd.concat([stored, extra], ignore_index=True) if not extra.empty else stored

    def count(self) -> int:
        return len(self.list())

    def add(self, actor: User, name: str, role: str, password: str, actor_password: str | None = None,
            client: str = "") -> str:
        """Create a user (admin only; the very first user may be created by a local operator)."""
        name = name.strip()
        if role not in ROLES:
            raise IpdataError(f"角色“{role}”无效，应为 {' / '.join(ROLES)} 之一。")
        if problem := name_problem(name):
            raise IpdataError(problem, hint=f"用户名 1 到 {MAX_NAME} 个字符，例如姓名。")
        first = actor.via == "cli" and self.count() == 0
        if not first:
            require(actor, ADMIN, "管理用户")
            self._confirm(actor, actor_password, client)
        digest = hash_password(password, name)

        def insert(con):
            if con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone() or name in self.secrets:
                raise IpdataError(f"用户“{name}”已存在。", hint="换一个用户名，或用 user passwd 修改密码。")
            con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, false)",
                        [name, role, digest, _now().isoformat(), actor.name])
            self.log(con, name, "user-add", True, actor.name, role, client=client)

        self.run(insert)
        return f"已创建用户“{name}”（{ROLE_LABELS[role]}）。"

    def set_password(self, actor: User, name: str, password: str, actor_password: str | None = None,
                     client: str = "") -> str:
        """A new password; a web user changing their own gives the current one, an admin changing
        someone else's gives their own. Every login of `name` ends."""
        if actor.name != name:
            require(actor, ADMIN, "修改他人的密码")
        self._confirm(actor, actor_password, client)
        digest = hash_password(password, name)
        self._change(actor, name, "user-passwd", None, client, "password_hash = ?", [digest])
        return f"已修改用户“{name}”的密码。"

    def set_role(self, actor: User, name: str, role: str, actor_password: str | None = None,
                 client: str = "") -> str:
        if role not in ROLES:
            raise IpdataError(f"角色“{role}”无效，应为 {' / '.join(ROLES)} 之一。")
        self._manage(actor, name, actor_password, client)
        self._change(actor, name, "user-role", role, client, "role = ?", [role])
        return f"已把用户“{name}”的角色改为{ROLE_LABELS[role]}。"

    def set_disabled(self, actor: User, name: str, disabled: bool = True, actor_password: str | None = None,
                     client: str = "") -> str:
        self._manage(actor, name, actor_password, client)
        self._change(actor, name, "user-disable" if disabled else "user-enable", None, client,
                     "disabled = ?", [disabled])
        return f"已{'停用' if disabled else '启用'}用户“{name}”。"

    def change(self, actor: User, name: str, what: str, actor_password: str | None = None,
               new_password: str = "", client: str = "") -> str:
        """One of CHANGES (the 账户 page's choice) applied to `name`."""
        if what in ("disable", "enable"):
            return self.set_disabled(actor, name, what == "disable", actor_password, client)
        if what == "password":
            return self.set_password(actor, name, new_password, actor_password, client)
        return self.set_role(actor, name, what, actor_password, client)

    def _manage(self, actor: User, name: str, actor_password: str | None, client: str) -> None:
        require(actor, ADMIN, "管理用户")
        if actor.name == name and actor.via != "cli":
            raise IpdataError("不能停用自己或修改自己的角色。", hint="请另一位管理员操作，或在服务器上用命令行修改。")
        self._confirm(actor, actor_password, client)

    def _change(self, actor: User, name: str, event: str, detail: str | None, client: str,
                assignment: str, params: list) -> None:
        def update(con):
            if not con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                where = "在 secrets.toml 中配置，只能在该文件中修改" if name in self.secrets else "不存在"
                raise IpdataError(f"用户“{name}”{where}。")
            con.execute(f"UPDATE users SET {assignment} WHERE name = ?", [*params, name])
            con.execute("DELETE FROM logins WHERE name = ?", [name])  # their logins end now
            self.log(con, name, event, True, actor.name, detail, client=client)

        self.run(update)

    def _confirm(self, actor: User, password: str | None, client: str) -> None:
        """A web user managing users gives their own password again (a local operator need not)."""
        if actor.via == "cli":
            return
        if not password:
            raise PermissionDenied("请输入你自己的密码以确认身份。", hint="管理用户和修改密码都需要再次输入你的密码。")
        self.authenticate(actor.name, password, client, event="confirm")

    # --- login ---------------------------------------------------------------------------
    def authenticate(self, name: str, password: str, client: str = "", now: dt.datetime | None = None,
                     event: str = "login") -> User:
        """The user when the password matches; otherwise a Chinese refusal (and a logged event).

        Known and unknown names cost the same: the same queries, one argon2 check (against a dummy
        hash when there is no such user). A client that failed too often is refused; failures of
        others only slow the answer down (`throttle`)."""
        if problem := name_problem(name):  # before any database work: no 4 MB names in the log
            raise PermissionDenied(problem if len(name) > MAX_NAME else WRONG)
        now = now or _now()

        def look(con):
            rule = self._throttle(con, name, client, now)
            if rule.wait:
                self._note_throttled(con, name, client, now, event)
            return rule, self.record(con, name)

        rule, record = self.run(look)
        if rule.wait:
            raise TooManyFailures(rule.wait)
        if rule.slow:
            self.sleep(rule.slow)
        matches = verify(record["password_hash"] if record else None, password)
        ok = matches and record is not None and not record["disabled"]
        self.run(lambda con: self.log(con, name, event, ok, None, None if ok else BAD, now, client))
        if not ok:
            raise PermissionDenied("你的密码不正确。" if event == "confirm" else WRONG,
                                   hint="检查用户名和密码；忘记密码请联系管理员。")
        return User(name, record["role"])

    def record(self, con, name: str) -> dict | None:
        """role, password_hash, disabled of `name` (secrets first), or None."""
        if name in self.secrets:
            v = self.secrets[name]
            return {"role": v.get("role", VIEWER), "password_hash": v.get("password_hash", ""), "disabled": False}
        row = con.execute("SELECT role, password_hash, disabled FROM users WHERE name = ?", [name]).fetchone()
        return None if row is None else {"role": row[0], "password_hash": row[1], "disabled": row[2]}

    @staticmethod
    def _throttle(con, name: str, client: str, now: dt.datetime) -> throttle.Throttle:
        events = "event IN ('login', 'confirm') AND NOT ok AND detail = 'bad-credentials' AND happened_at >= ?"
        since = (now - throttle.WINDOW).isoformat()
        mine = [dt.datetime.fromisoformat(r[0]) for r in con.execute(
            f"SELECT happened_at FROM auth_events WHERE {events} AND client IS NOT DISTINCT FROM ?",
            [since, client or None]).fetchall()]
        [(for_name,)] = con.execute(f"SELECT count(*) FROM auth_events WHERE {events} AND name = ?",
                                    [since, name]).fetchall()
        [(site,)] = con.execute(f"SELECT count(*) FROM auth_events WHERE {events}",
                                [(now - throttle.SITE_WINDOW).isoformat()]).fetchall()
        return throttle.decide(mine, for_name, site, now)

    def _note_throttled(self, con, name: str, client: str, now: dt.datetime, event: str) -> None:
        """A refused attempt is logged at most once a minute per client: a flood adds no rows."""
        recent = con.execute("SELECT 1 FROM auth_events WHERE detail = 'throttled' AND happened_at >= ? "
                             "AND client IS NOT DISTINCT FROM ?",
                             [(now - dt.timedelta(minutes=1)).isoformat(), client or None]).fetchone()
        if not recent:
            self.log(con, name, event, False, None, "throttled", now, client)

    @staticmethod
    def log(con, name: str, event: str, ok: bool, actor: str | None, detail: str | None,
            at: dt.datetime | None = None, client: str | None = None) -> None:
        """Record one auth event in `con`'s transaction (and keep the table bounded)."""
        at = at or _now()
        con.execute("INSERT INTO auth_events (happened_at, name, event, ok, actor, detail, client) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", [at.isoformat(), name, event, ok, actor, detail, client or None])
        _prune(con, at)

    def events(self) -> pd.DataFrame:
        """Logins (also failed and throttled ones), logouts and user changes, oldest first."""
        return self.run(lambda con: con.execute("SELECT * FROM auth_events ORDER BY happened_at, rowid").df())


def _prune(con, now: dt.datetime) -> None:
    """Keep auth events for IPDATA_AUTH_EVENTS_DAYS days and at most IPDATA_AUTH_EVENTS_MAX rows."""
    days = settings.number("IPDATA_AUTH_EVENTS_DAYS")
    con.execute("DELETE FROM auth_events WHERE happened_at < ?", [(now - dt.timedelta(days=days)).isoformat()])
    keep = int(settings.number("IPDATA_AUTH_EVENTS_MAX"))
    [(n,)] = con.execute("SELECT count(*) FROM auth_events").fetchall()
    if n > keep:
        con.execute("DELETE FROM auth_events WHERE rowid IN "
                    "(SELECT rowid FROM auth_events ORDER BY happened_at, rowid LIMIT ?)", [n - keep])
