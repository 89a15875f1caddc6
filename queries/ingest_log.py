"""The ingest log as the data import page shows it: every batch and one batch's rejected rows
(queries/sql/ingest_log/)."""

from __future__ import annotations

import pandas as pd

from queries import runner


def ingest_history(con) -> pd.DataFrame:
    """Every ingest batch, newest first, with its reject count."""
    return runner.frame(con, "ingest_log/ingest_history")


def batch_rejects(con, batch_id: int) -> pd.DataFrame:
    """The rejected rows of one batch with file, sheet, row, column, raw value and both reasons."""
    return runner.frame(con, "ingest_log/batch_rejects", {"batch_id": batch_id})


def batch_of_file(con, sha256: str) -> int | None:
    """The first batch that loaded the file with this SHA-256, None when it was never loaded."""
    value = runner.value(con, "ingest_log/batch_of_file", {"sha256": sha256})
    return None if value is None else int(value)


def latest_batch(con) -> int:
    """The latest ingest batch id, 0 for an empty store: the dashboard's cache key."""
    return int(runner.value(con, "ingest_log/latest_batch"))


def rejected_rows(rejects: pd.DataFrame) -> int:
    """How many rows of a file a rejects frame (one row per rejected cell) refuses: distinct row numbers."""
    return int(rejects["row_number"].nunique()) if len(rejects) else 0
