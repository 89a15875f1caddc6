"""R-NPL: the point-in-time overdue ratio, its daily series and its per-institution diagnostic.

ratio/summary.sql gives the headline figures at a date over the snapshot (R-NPL, the R-HALT bands
decided on DECIMAL, R-CLASS's banks' ratio); ratio/npl_series.sql the totals of every day, which
R-HALT needs (halt.py); ratio/series_status.sql joins a (possibly scoped) series to the program-
wide halt; ratio/breakdown.sql the ratio per bank, guarantor or appraiser.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from queries import derived, runner

BY_DIMENSIONS = ("bank", "guarantor", "appraiser")
SERIES_COLUMNS = ("day", "active_balance", "overdue_balance", "active_loans", "overdue_loans", "npl_ratio", "breach",
                  "warning_band", "status", "halted", "halted_since")


def summary(con, as_of, profile, scope=None) -> dict:
    """Headline figures at the end of ``as_of`` with exact Decimal values (R-NPL, R-HALT, R-CLASS).

    Keys: as_of, scope, active_balance, overdue_balance, npl_ratio (Decimal or None),
    active_loans, overdue_loans, breach, status, halted, halted_since, headroom,
    npl_warning_threshold, npl_halt_threshold, bank_npl_balance, bank_npl_ratio,
    prev_month_end, npl_ratio_prev_month_end, npl_ratio_change (npl_ratio minus the previous month
    end's, exact; None when either is None). halted / halted_since are program-wide.
    """
    p = runner.params(profile, as_of, scope)
    as_of = p["as_of"]
    key = derived.prepare(con, p)
    derived.stage_snapshot(con, p, key)
    row = runner.one(con, "ratio/summary", p)
    prev_end = as_of.replace(day=1) - dt.timedelta(days=1)
    scoped = runner.is_scoped(p)

    halted, halted_since, prev_ratio = False, None, None
    if derived.stage_halt(con, p, as_of, key=key):
        day = runner.one(con, "halt/day", {"day": as_of})
        if day:
            halted, halted_since = bool(day["halted"]), day["halted_since"]
        if not scoped:  # the program-wide daily series already holds the month-end ratio
            prev_ratio = runner.one(con, "halt/day", {"day": prev_end}).get("npl_ratio")
    if scoped:
        prev_p = dict(p, as_of=prev_end)
        derived.stage_snapshot(con, prev_p, key)
        prev_ratio = runner.one(con, "ratio/summary", prev_p)["npl_ratio"]
        derived.stage_snapshot(con, p, key)  # leave the as_of snapshot registered for the caller
    # pw_status (core/macros.sql) decides the words, as for every day of the series
    status = runner.value(con, "core/status_words", {"halted": halted, "warning_band": bool(row["warning_band"])})
    return {
        "as_of": as_of,
        "scope": {k: p[f"scope_{k}"] for k in runner.SCOPE_KEYS},
        "active_balance": row["active_balance"],
        "overdue_balance": row["overdue_balance"],
        "npl_ratio": row["npl_ratio"],
        "active_loans": int(row["active_loans"]),
        "overdue_loans": int(row["overdue_loans"]),
        "breach": bool(row["breach"]),
        "status": status,
        "halted": halted,
        "halted_since": halted_since,
        "headroom": row["headroom"],
        "npl_warning_threshold": Decimal(p["npl_warning_threshold"]),
        "npl_halt_threshold": Decimal(p["npl_halt_threshold"]),
        "bank_npl_balance": row["bank_npl_balance"],
        "bank_npl_ratio": row["bank_npl_ratio"],
        "prev_month_end": prev_end,
        "npl_ratio_prev_month_end": prev_ratio,
        "npl_ratio_change": (row["npl_ratio"] - prev_ratio
                             if row["npl_ratio"] is not None and prev_ratio is not None else None),
    }


def breakdown(con, as_of, profile, by: str, scope=None) -> pd.DataFrame:
    """R-NPL diagnostic per bank, guarantor or appraiser: name, active_loans, overdue_loans,
    active_balance, overdue_balance, npl_ratio, loans_60d.

    Over the loans in ``scope`` (R-SCOPE): other institutions' breakdowns are the bureau's, so a
    scoped user grouped by its own dimension gets its own row only, and grouped by another one the
    split of its own loans."""
    if by not in BY_DIMENSIONS:
        raise ValueError(f"by must be one of {BY_DIMENSIONS} / 分组字段须为 {BY_DIMENSIONS}")
    p = runner.params(profile, as_of, scope)
    derived.stage_snapshot(con, p)
    return runner.frame(con, "ratio/breakdown", dict(p, by=by))


def _series(con, profile, start, end, scope, month_end_only: bool) -> pd.DataFrame:
    p = runner.params(profile, scope=scope)
    end = runner.as_date(end) if end is not None else derived.latest_ledger_date(con)
    first = derived.history_start(con)
    start = runner.as_date(start) if start is not None else first
    if not derived.stage_halt(con, p, end, start):
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    scoped = dict(p, start=start, end=end, month_end_only=month_end_only)
    if runner.is_scoped(p):
        derived.register_loan_changes(con, scoped)
        derived.stage(con, "pw_scoped_series", scoped)
    else:
        con.register("pw_scoped_series", runner.arrow(con, "ratio/program_series"))
    return runner.frame(con, "ratio/series_status", scoped)


def npl_series(con, profile, start=None, end=None, scope=None) -> pd.DataFrame:
    """Daily series at the end of each day from ``start`` (default: first disbursement or decision)
    to ``end`` (default: latest ledger date) — R-NPL, R-HALT.

    Columns: day, active_balance, overdue_balance, active_loans, overdue_loans, npl_ratio
    (Decimal or None), breach, warning_band, status, halted, halted_since. With a scope the
    balances and ratio are the scope's; halted/halted_since stay program-wide.
    """
    return _series(con, profile, start, end, scope, month_end_only=False)


def month_end_series(con, profile, start=None, end=None, scope=None) -> pd.DataFrame:
    """The same series as npl_series, only the last day of each month."""
    return _series(con, profile, start, end, scope, month_end_only=True)
