"""R-FRESH: data freshness per bank — the last dated record of its loans, the last file that brought
rows of them, and the stale flag (freshness/*.sql).

bank_freshness.sql gives each bank's latest record and file (per loan first, then per bank); for the
bureau's table (bank_files.sql) its answer is registered as ``fresh_banks`` beside
freshness/loan_records.sql and freshness/loan_batches.sql as ``fresh_records`` / ``fresh_batches``
(the dates and files themselves). The day a file was loaded comes from ingest_batches.finished_at
and the batch ids every ledger row (and its history) keeps: nothing new is recorded at load time.
"""

from __future__ import annotations

from contextlib import ExitStack

import pandas as pd

from queries import derived, runner

RECORDS, BATCHES, BANKS = "fresh_records", "fresh_batches", "fresh_banks"
WRITTEN = "fresh_written"  # freshness/written.sql, registered by _reading_written
REPORT_COLUMNS = ("bank", "last_record_on", "last_received")


def _reading_written(con, name: str, p: dict):
    """``name``.sql as an Arrow table with freshness/written.sql (each ledger row's batch, unevaluated)
    registered as WRITTEN: the one list of ledgers that keep their batch, for bank_freshness.sql and
    loan_batches.sql alike."""
    with runner.registered(con, WRITTEN, runner.relation(con, "freshness/written")):
        return runner.arrow(con, name, p)


def _banks(con, p: dict):
    """bank_freshness.sql at p's as_of and scope (an Arrow table): it takes its two maxima per loan
    itself, so the per-(bank, date) and per-(bank, batch) lists are staged only for the bureau's table."""
    derived.stage_snapshot(con, p)
    return _reading_written(con, "freshness/bank_freshness", p)


def banks(con, as_of, profile, scope=None) -> pd.DataFrame:
    """R-FRESH: one row per bank with active loans at ``as_of`` in the scope: bank, last_record_on,
    last_received (None when no file of its loans was loaded by then), days_since, stale,
    first_stale_on."""
    return runner.object_frame(_banks(con, runner.params(profile, as_of, scope)))


def stale_banks(con, as_of, profile, scope=None) -> pd.DataFrame:
    """The stale banks of ``banks`` (R-FRESH), by bank."""
    rows = banks(con, as_of, profile, scope)
    return rows[rows["stale"].astype(bool)].reset_index(drop=True)


def files(con, as_of, profile, scope=None) -> pd.DataFrame:
    """The bureau's freshness table (R-FRESH, 九(二)): per bank with active loans, last_record_on,
    last_received, days_since, stale, last_file, last_sheet, last_file_rows (its rows in it),
    last_file_rejects (the file's rejected rows), missing_count and missing_months."""
    p = runner.params(profile, as_of, scope)
    with ExitStack() as stack:
        stack.enter_context(runner.registered(con, BANKS, _banks(con, p)))
        stack.enter_context(runner.registered(con, RECORDS, runner.arrow(con, "freshness/loan_records", p)))
        stack.enter_context(runner.registered(con, BATCHES, _reading_written(con, "freshness/loan_batches", p)))
        return runner.objects(con, "freshness/bank_files", p)


def report_section(con, as_of, profile, scope=None) -> list[dict]:
    """The report's stale_banks (LEDGER.md): [{bank, last_record_on, last_received}] by bank."""
    rows = stale_banks(con, as_of, profile, scope)
    return [{c: r[c] for c in REPORT_COLUMNS} for r in rows.to_dict("records")]
