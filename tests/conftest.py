"""Shared fixtures: a fresh database per test, built by code through the real schema."""

from __future__ import annotations

import pytest
from engine_fixtures import Ledger

from pipelines import store


@pytest.fixture
def db_path(tmp_path):
    """Path of an empty, initialised database in the test's temp folder."""
    path = tmp_path / "test.duckdb"
    with store.write_connection(path):
        pass
    return path


@pytest.fixture
def con(db_path):
    """A write connection to the empty database at db_path (the obligation, compliance and subsidy
    tests insert their rows through it with tests/obligation_fixtures.py)."""
    with store.write_connection(db_path) as c:
        yield c


@pytest.fixture
def build(tmp_path):
    """Write a Ledger into a fresh db and hand back a read connection to it."""
    opened = []

    def _build(ledger: Ledger):
        path = tmp_path / f"golden{len(opened)}.duckdb"
        ledger.write(path)
        ctx = store.read_connection(path)
        con = ctx.__enter__()
        opened.append(ctx)
        return con

    yield _build
    for ctx in opened:
        ctx.__exit__(None, None, None)
