"""Shared fixtures: a fresh database per test, built by code through the real schema."""

from __future__ import annotations

import pytest
from engine_fixtures import Ledger

from pipelines import profile, store


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


# The dashboard tests' demo database (built once per process through the real ingest), the profile
# and the latest ledger date; a module that needs another demo database defines its own demo_db.
@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    from dashboard_fixtures import build_demo_db

    return build_demo_db(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="session")
def prof():
    return profile.load("anyi")


@pytest.fixture(scope="session")
def as_of(demo_db):
    from queries import derived

    with store.read_connection(demo_db) as con:
        return derived.latest_ledger_date(con)


@pytest.fixture
def app(demo_db, monkeypatch):
    """The dashboard as AppTest runs it, reading ``demo_db`` with the default profile, signed in as the
    demo bureau_admin."""
    from dashboard_fixtures import APP, signed_in
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PLEDGEWATCH_DB", str(demo_db))
    monkeypatch.delenv("PLEDGEWATCH_PROFILE", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120)
    signed_in(at, "admin", "bureau_admin")  # the demo bureau_admin account (demo/accounts.py)
    return at
