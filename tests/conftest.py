"""Shared fixtures: a fresh database path per test, never the developer's own data/ipdata.duckdb."""

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


def run_page(name: str, user=None, timeout: int = 60):
    """One page script under AppTest, optionally signed in (as the 账户 page does)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=timeout)
    if user is not None:
        at.session_state["ipdata_user"] = user
    return at.run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
