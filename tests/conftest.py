"""Shared fixtures: a fresh database per test, built by code through the real schema."""

from __future__ import annotations

import pytest

from pipelines import store


@pytest.fixture
def db_path(tmp_path):
    """Path of an empty, initialised database in the test's temp folder."""
    path = tmp_path / "test.duckdb"
    with store.write_connection(path):
        pass
    return path
