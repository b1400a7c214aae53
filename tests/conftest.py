"""Shared fixtures: a fresh database path per test, never the developer's own data/ipdata.duckdb."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "ipdata.duckdb"
    monkeypatch.setenv("IPDATA_DB", str(path))
    return path
