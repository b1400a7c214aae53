"""Passwords: the policy a new password must meet, argon2id hashes, and checks that take as long
for a user who does not exist as for one who does.

Hashes come from argon2-cffi (the Password Hashing Competition winner; salted, deliberately slow:
about 0.1 s and 64 MiB each). A login for an unknown name is checked against a dummy hash made
with the same parameters, so the answer takes the same time and does not tell which names exist.
"""

from __future__ import annotations

import functools
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ipdata.errors import IpdataError
from ipdata.settings import DATA_DIR

MIN_LENGTH = 10
MAX_LENGTH = 128  # a longer one is refused before hashing (a 4 MB "password" costs time, not safety)
MAX_NAME = 64  # user names, checked before any database work
COMMON_FILE = DATA_DIR / "common-passwords.txt"

# Runs along these strings (either way round) are as easy to guess as a listed password.
_WALKS = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm",
          "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp")

_hasher = PasswordHasher()


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list (data/common-passwords.txt), compared ignoring case."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().casefold() for s in lines if s.strip() and not s.startswith("#"))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def is_common(password: str) -> bool:
    """Listed, one short unit repeated (1212121212, aaaaaaaaaa), or a run along the keyboard or
    the alphabet (qwertyuiop, 9876543210)."""
    p = _fold(password)
    if p in common_passwords():
        return True
    if any(p == p[:n] * (len(p) // n) + p[:len(p) % n] for n in (1, 2, 3)):
        return True
    return any(p in walk or p in walk[::-1] for walk in _WALKS)


def policy_problem(name: str, password: str) -> str | None:
    """Why `password` may not be used by `name` (a Chinese sentence), or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"密码太短：至少 {MIN_LENGTH} 个字符。"
    if len(password) > MAX_LENGTH:
        return f"密码太长：最多 {MAX_LENGTH} 个字符。"
    folded_name = _fold(name.strip())
    if folded_name and (folded_name == _fold(password) or (len(folded_name) >= 3 and folded_name in _fold(password))):
        return "密码不能是用户名，也不能包含用户名。"
    if is_common(password):
        return "这是常见密码（或键盘、字母顺序、重复字符），很容易被猜中。"
    return None


POLICY_TEXT = (f"密码至少 {MIN_LENGTH} 个字符，不能是或包含用户名，不能是常见密码（如 password123、"
               "1qaz2wsx3edc）、重复字符或键盘顺序；建议用几个词加数字组成一句好记的话。")


def hash_password(password: str, name: str = "") -> str:
    """The argon2id hash of a password that meets the policy; a Chinese refusal otherwise."""
    if problem := policy_problem(name, password):
        raise IpdataError(problem, hint=POLICY_TEXT)
    return _hasher.hash(password)


# Checked when there is no such user. Made once with the hasher's parameters (a fresh one is
# made if argon2-cffi's defaults change, so both checks keep costing the same).
_DUMMY = "$argon2id$v=19$m=65536,t=3,p=4$ViHn/JehYNuIHOa+rlrfpQ$Klu4khCfh/T5fPSJxK8yldXY1Izg1v6iQGjMcFQZGUM"


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("ipdata: no such user") if _hasher.check_needs_rehash(_DUMMY) else _DUMMY


def verify(digest: str | None, password: str) -> bool:
    """Whether `password` matches `digest`; with no digest (unknown user) a dummy one is checked,
    so both answers take the same time. Over-long passwords are never hashed."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(digest or _dummy_hash(), password) and digest is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def name_problem(name: str) -> str | None:
    """Why a user name cannot be one (checked before any database work), or None."""
    if not name.strip():
        return "用户名不能为空。"
    if len(name) > MAX_NAME:
        return f"用户名太长：最多 {MAX_NAME} 个字符。"
    if any(unicodedata.category(c).startswith("C") for c in name):
        return "用户名不能含控制字符或不可见字符。"
    return None
