"""How failed logins slow the next ones: a pure rule over counts of recent failures.

A client (one browser address) that failed FREE times within WINDOW must wait 2, 4, 8 … seconds
(at most MAX_WAIT) after its last failure before it may try again: those failures are its own.
Failures that others caused never refuse a login, however many there are: they only hold the
answer back (SLOW seconds and more for a user name that is being guessed, MAX_SLOW while the
whole site sees many failures), so the right password still gets in, a little later.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

FREE = 5  # failures from one client within WINDOW before it must wait
WINDOW = dt.timedelta(minutes=15)
MAX_WAIT = 300  # seconds
NAME_FREE = 5  # failures for one user name (from any client) within WINDOW before answers slow down
SITE_WINDOW = dt.timedelta(minutes=1)
SITE_FREE = 30  # failures on the whole site within SITE_WINDOW before every answer slows down
MAX_SLOW = 5.0  # seconds


@dataclass(frozen=True)
class Throttle:
    wait: int = 0  # seconds before this client may try again (its own failures); 0: now
    slow: float = 0.0  # seconds to hold the answer back (others' failures): never a refusal


def decide(client_failures: Sequence[dt.datetime], name_failures: int, site_failures: int,
           now: dt.datetime) -> Throttle:
    """`client_failures`: times of this client's failures within WINDOW; `name_failures`: failures
    for the user name within WINDOW from any client; `site_failures`: all failures within
    SITE_WINDOW."""
    wait = 0
    if len(client_failures) >= FREE:
        pause = min(MAX_WAIT, 2 ** (len(client_failures) - FREE + 1))
        wait = max(0, math.ceil((max(client_failures) + dt.timedelta(seconds=pause) - now).total_seconds()))
    slow = 0.0
    if name_failures >= NAME_FREE:
        slow = min(MAX_SLOW, float(name_failures - NAME_FREE + 1))
    if site_failures >= SITE_FREE:
        slow = MAX_SLOW
    return Throttle(wait, slow)
