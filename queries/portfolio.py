"""Ledger aggregations the dashboard shows beside the engine's figures: filter lists, disbursements,
the portfolio mix and the monthly project filing. The SQL is in queries/sql (institutions,
disbursements_by_month, disbursed_in_year, portfolio_mix, filing_summary); pages only render.

Results come through Arrow (``runner.frame``): money stays Decimal, dates stay dates. The one-loan
lookups of the loan page (terms, pledged IP, events) and the loan list are here too.

Every function takes ``scope`` (R-SCOPE, a dict like {"bank": …}; None = every loan) and filters
in SQL: lists and totals are over the loans in it, and a loan outside it answers as an unknown one.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import pyarrow as pa

from queries import dpd, runner

SNAPSHOT = "portfolio_snapshot"  # the fixed view name portfolio_mix.sql reads


def _scoped(scope, **values) -> dict:
    return dict(runner.scope_params(scope), **values)


def institutions(con, scope=None) -> pd.DataFrame:
    """Distinct (dimension, name) for bank, guarantor and appraiser, sorted (the filter lists), named
    on the loans in ``scope``."""
    return runner.frame(con, "portfolio/institutions", _scoped(scope))


def disbursements_by_month(con, as_of, scope=None) -> pd.DataFrame:
    """Number and principal of loans disbursed per (month, bank) up to and including ``as_of``."""
    return runner.frame(con, "portfolio/disbursements_by_month", _scoped(scope, as_of=runner.as_date(as_of)))


def disbursed_in_year(con, as_of, scope=None) -> dict:
    """Loans and principal disbursed from 1 January of ``as_of``'s year to ``as_of``: one dict."""
    return runner.frame(con, "portfolio/disbursed_in_year",
                        _scoped(scope, as_of=runner.as_date(as_of))).iloc[0].to_dict()


def mix(con, as_of, profile, snapshot: pd.DataFrame | None = None, scope=None) -> pd.DataFrame:
    """Active loans and outstanding balance by main IP type and by industry at ``as_of`` (R-OUT).

    ``snapshot`` is dpd.loan_snapshot's frame at ``as_of`` (and ``scope``) when the caller has it
    already.
    """
    snap = dpd.loan_snapshot(con, as_of, profile, scope) if snapshot is None else snapshot
    # straight from the frame's Arrow-backed columns: a Python object per loan cost 0.8 s at 500k
    table = pa.Table.from_pandas(snap[["loan_id", "outstanding", "active"]], preserve_index=False).cast(
        pa.schema([("loan_id", pa.string()), ("outstanding", pa.decimal128(38, 2)), ("active", pa.bool_())]))
    with runner.registered(con, SNAPSHOT, table):
        return runner.frame(con, "portfolio/portfolio_mix")


def filing_summary(con, month_start, month_end, scope=None) -> pd.DataFrame:
    """Loans disbursed from ``month_start`` to ``month_end`` inclusive with the 九(二) filing fields."""
    return runner.frame(con, "portfolio/filing_summary", _scoped(scope, month_start=runner.as_date(month_start),
                                                                month_end=runner.as_date(month_end)))


def month_bounds(day) -> tuple[dt.date, dt.date]:
    """The first and last day of ``day``'s month (the filing summary's period)."""
    day = runner.as_date(day)
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_ends(day, count: int = 36) -> list[dt.date]:
    """The last days of ``day``'s month and the ``count`` - 1 months before it, newest first (the
    reports page's month picker)."""
    day = runner.as_date(day)
    out, year, month = [], day.year, day.month
    for _ in range(count):
        out.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


def loan_ids(con, scope=None) -> list[str]:
    """Every loan id (in ``scope``), sorted (the loan picker)."""
    return runner.frame(con, "portfolio/loan_ids", _scoped(scope))["loan_id"].tolist()


def loan_index(con, scope=None) -> pd.DataFrame:
    """Every loan's (in ``scope``) id, enterprise name, credit code and bank, sorted by id (the loan
    pickers' search)."""
    return runner.frame(con, "portfolio/loan_index", _scoped(scope))


def loan_terms(con, loan_id: str, scope=None) -> dict | None:
    """One loan's row of the loans ledger (without extras and batch), None when unknown or outside
    ``scope`` (R-SCOPE)."""
    terms = runner.frame(con, "portfolio/loan_terms", _scoped(scope, loan_id=loan_id))
    return terms.iloc[0].to_dict() if len(terms) else None


def loan_collateral(con, loan_id: str, scope=None) -> pd.DataFrame:
    """One loan's pledged IP (collateral ledger rows), by ip_number."""
    return runner.frame(con, "portfolio/loan_collateral", _scoped(scope, loan_id=loan_id))


def loan_events(con, loan_id: str, scope=None) -> pd.DataFrame:
    """One loan's risk events (notices, compensation, recoveries, write-offs), by date, kind, party."""
    return runner.frame(con, "portfolio/loan_events", _scoped(scope, loan_id=loan_id))
