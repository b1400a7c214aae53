"""A real Streamlit server and Debian's headless Chromium (Playwright) for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db: Path, log: Path) -> Iterator[str]:
    """Start `streamlit run app.py` (the router behind the login route) on a free port against `db`; yield its URL."""
    with streamlit_process(db, log) as (url, _):
        yield url


@contextmanager
def streamlit_process(db: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """streamlit_server, yielding the server process too (a test may stop it early)."""
    port = free_port()
    env = {**os.environ, "IPDATA_DB": str(db)}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {log.read_text()}") from None
                time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def have_chromium() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@contextmanager
def chromium(*extra_args: str) -> Iterator:
    """Debian's headless Chromium through Playwright (the test is skipped where either is missing),
    with `extra_args` after the usual flags."""
    import pytest

    playwright = pytest.importorskip("playwright.sync_api")
    if not have_chromium():
        pytest.skip("needs Debian's chromium (make setup installs it as root)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield b
        finally:
            b.close()


def resume_session(session_id: str) -> str:
    """An init script that makes a fresh page resume the Streamlit session `session_id` (the
    client names the session to resume in its WebSocket subprotocols), as an attacker who read
    the id off an upload URL would."""
    return f"""(() => {{
  const Real = window.WebSocket, stolen = {session_id!r};
  window.WebSocket = function(url, protocols) {{
    if (Array.isArray(protocols) && protocols.length >= 2) protocols = [protocols[0], protocols[1], stolen];
    return new Real(url, protocols);
  }};
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, Real);
}})()"""
