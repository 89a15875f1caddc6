"""The DuckDB store: where it is, how to open it safely, and its schema.

DuckDB locks its file: while any process holds it open, even read-only, no other
process can open it for writing (../shared/STYLE.md). So readers open short-lived
read-only connections, and both readers and the writer retry on the lock with
backoff for a bounded time, then fail with a clear bilingual message.

The engine is a SQLAlchemy engine built from a URL (``duckdb:///path``) with
``NullPool``: the default pool would keep the file locked after a ``with`` block
ends. Bulk work needs DuckDB's own API (register a DataFrame / Arrow table,
``INSERT … SELECT``), so the context managers hand out the DBAPI connection,
which delegates every DuckDB method.
"""

from __future__ import annotations

import csv
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import duckdb
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "portfolio.duckdb"
LPR_CSV = ROOT / "data" / "reference" / "lpr.csv"
SCHEMA_SQL = Path(__file__).with_name("schema.sql")

# Keyed ledgers and their keys (LEDGER.md). Each gets a <kind>_history table.
LEDGER_KEYS: dict[str, tuple[str, ...]] = {
    "lpr": ("effective_on",),
    "loans": ("loan_id",),
    "collateral": ("loan_id", "ip_number"),
    "schedule": ("loan_id", "due_on"),
    "repayments": ("row_key",),
    "events": ("loan_id", "event_on", "kind", "party"),
    "decisions": ("decided_on", "kind"),
    "subsidies": ("loan_id", "kind", "paid_on"),
    "ip_status": ("ip_number", "status_on", "status"),
}
# Dependency order for loading a directory (LEDGER.md / issue 2).
# ip_status follows collateral: its rows must name IP pledged in the program (check_unknown_ip.sql).
LOAD_ORDER = ("lpr", "loans", "collateral", "ip_status", "schedule", "repayments", "events", "decisions", "subsidies")

LOCK_TIMEOUT_S = float(os.environ.get("PLEDGEWATCH_LOCK_TIMEOUT", "30"))
# DuckDB's own default memory_limit is 80 % of RAM, and a long-lived dashboard process lets its
# buffer pool grow toward it; readers now scan stored intermediates (queries/derived.py), so 1 GB
# is ample and DuckDB spills to disk past it rather than failing. Empty = DuckDB's default.
READ_MEMORY_LIMIT = os.environ.get("PLEDGEWATCH_READ_MEMORY", "1GB")
# Writers too (issue 17: every step under 1 GB resident at 500k loans): a load's staging, merges and
# the derived-table build spill to <db>.tmp (DuckDB's default temp directory beside the file) past
# this instead of growing with the book. Below DuckDB's own buffers the process also holds the file
# being read and Python's objects, hence less than the 1 GB. Empty = DuckDB's default.
WRITE_MEMORY_LIMIT = os.environ.get("PLEDGEWATCH_WRITE_MEMORY", "600MB")


class StoreLocked(RuntimeError):
    """The database stayed locked by another process for longer than the timeout."""

    def __init__(self, db: Path, waited: float):
        self.message_zh = f"数据库 {db} 正被另一个进程占用，已等待 {waited:.0f} 秒仍未释放，请稍后重试。"
        self.message_en = f"Database {db} is locked by another process; gave up after {waited:.0f} s. Try again later."
        super().__init__(f"{self.message_zh}\n{self.message_en}")


def resolve_db(db: str | os.PathLike | None = None) -> Path:
    """The database path: the argument, else $PLEDGEWATCH_DB, else data/portfolio.duckdb."""
    chosen = db or os.environ.get("PLEDGEWATCH_DB") or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


def engine(db: str | os.PathLike | None = None, read_only: bool = False) -> sa.Engine:
    """A SQLAlchemy engine for the store that holds no pooled connection (and so no lock)."""
    path = resolve_db(db)
    args: dict = {"read_only": read_only}
    limit = READ_MEMORY_LIMIT if read_only else WRITE_MEMORY_LIMIT
    if limit:
        args["config"] = {"memory_limit": limit}
    return sa.create_engine(f"duckdb:///{path}", poolclass=NullPool, connect_args=args)


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc)
    # the last: this process already holds the file open the other way (a dashboard session
    # reading while another writes an audit row); that too ends when the other connection closes
    return ("Could not set lock" in text or "Conflicting lock" in text
            or "different configuration than existing connections" in text)


def _open(db: Path, read_only: bool, timeout: float):
    eng = engine(db, read_only=read_only)
    start = time.monotonic()
    delay = 0.05
    while True:
        try:
            return eng.raw_connection()
        except (duckdb.IOException, sa.exc.OperationalError, sa.exc.DBAPIError) as exc:
            waited = time.monotonic() - start
            if not _is_lock_error(exc):
                raise
            if waited >= timeout:
                raise StoreLocked(db, waited) from None
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 1.0)


@contextmanager
def read_connection(db: str | os.PathLike | None = None, timeout: float | None = None) -> Iterator:
    """A short-lived read-only connection; close it quickly so writers get the lock."""
    path = resolve_db(db)
    raw = _open(path, read_only=True, timeout=LOCK_TIMEOUT_S if timeout is None else timeout)
    try:
        yield raw.driver_connection
    finally:
        raw.close()


@contextmanager
def write_connection(db: str | os.PathLike | None = None, timeout: float | None = None) -> Iterator:
    """A read-write connection with the schema in place, retrying on the file lock."""
    path = resolve_db(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = _open(path, read_only=False, timeout=LOCK_TIMEOUT_S if timeout is None else timeout)
    try:
        con = raw.driver_connection
        init_schema(con)
        yield con
    finally:
        raw.close()


def init_schema(con) -> None:
    """Create every table (idempotent) and load the shipped LPR history into an empty lpr table."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    for kind in LEDGER_KEYS:
        con.execute(
            f"create table if not exists {kind}_history as "  # kind comes from LEDGER_KEYS, not input
            f"select *, null::integer as replaced_by_batch, null::timestamp as replaced_at "
            f"from {kind} where false"
        )
    # a collateral_history made before collateral.filed_on existed (schema.sql adds it to collateral)
    con.execute("alter table collateral_history add column if not exists filed_on date")
    if con.execute("select count(*) from lpr").fetchall()[0][0] == 0:
        rows = read_reference_lpr()
        con.executemany(
            "insert into lpr (effective_on, rate, batch_id) values (?::date, ?::decimal(12,8), 0)",
            [(d, str(r)) for d, r in rows],
        )


def read_reference_lpr(path: Path = LPR_CSV) -> list[tuple[str, Decimal]]:
    """The published 1-year LPR history shipped with the project: (effective_on, rate as fraction)."""
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]
    return [(r["effective_on"], Decimal(r["rate"])) for r in rows]
