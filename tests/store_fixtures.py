"""Helpers shared by the ingestion tests that check a refused delivery left the store unchanged."""

from __future__ import annotations

from pipelines import store

# The audit log records the attempt itself (the CLI ingest's OS user, R-SCOPE), refused or not;
# every other table must be as it was.
NOT_DATA = ("audit_log",)


def table_counts(db) -> dict[str, int]:
    """Row count of every table of the store except the audit log."""
    with store.read_connection(db) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()
                  if r[0] not in NOT_DATA]
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in tables}  # names from catalog
