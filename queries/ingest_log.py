"""The ingest log as the data import page shows it: every batch and one batch's rejected rows
(queries/sql/ingest_history.sql, batch_rejects.sql)."""

from __future__ import annotations

import pandas as pd

from queries import loader


def ingest_history(con) -> pd.DataFrame:
    """Every ingest batch, newest first, with its reject count."""
    return loader.fetch_frame(con, "ingest_history")


def batch_rejects(con, batch_id: int) -> pd.DataFrame:
    """The rejected rows of one batch with file, sheet, row, column, raw value and both reasons."""
    return loader.fetch_frame(con, "batch_rejects", {"batch_id": batch_id})
