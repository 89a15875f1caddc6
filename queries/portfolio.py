"""Ledger aggregations the dashboard shows beside the engine's figures: filter lists, disbursements,
the portfolio mix and the monthly project filing. The SQL is in queries/sql (institutions,
disbursements_by_month, disbursed_in_year, portfolio_mix, filing_summary); pages only render.

Results come through Arrow (``loader.fetch_frame``): money stays Decimal, dates stay dates.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from queries import engine, loader
from queries.obligations import registered

SNAPSHOT = "portfolio_snapshot"  # the fixed view name portfolio_mix.sql reads


def institutions(con) -> pd.DataFrame:
    """Distinct (dimension, name) for bank, guarantor and appraiser, sorted (the filter lists)."""
    return loader.fetch_frame(con, "institutions")


def disbursements_by_month(con, as_of) -> pd.DataFrame:
    """Number and principal of loans disbursed per (month, bank) up to and including ``as_of``."""
    return loader.fetch_frame(con, "disbursements_by_month", {"as_of": engine.as_date(as_of)})


def disbursed_in_year(con, as_of) -> dict:
    """Loans and principal disbursed from 1 January of ``as_of``'s year to ``as_of``: one dict."""
    return loader.fetch_frame(con, "disbursed_in_year", {"as_of": engine.as_date(as_of)}).iloc[0].to_dict()


def mix(con, as_of, profile, snapshot: pd.DataFrame | None = None) -> pd.DataFrame:
    """Active loans and outstanding balance by main IP type and by industry at ``as_of`` (R-OUT).

    ``snapshot`` is engine.loan_snapshot's frame at ``as_of`` when the caller has it already.
    """
    snap = engine.loan_snapshot(con, as_of, profile) if snapshot is None else snapshot
    # straight from the frame's Arrow-backed columns: a Python object per loan cost 0.8 s at 500k
    table = pa.Table.from_pandas(snap[["loan_id", "outstanding", "active"]], preserve_index=False).cast(
        pa.schema([("loan_id", pa.string()), ("outstanding", pa.decimal128(38, 2)), ("active", pa.bool_())]))
    with registered(con, SNAPSHOT, table):
        return loader.fetch_frame(con, "portfolio_mix")


def filing_summary(con, month_start, month_end) -> pd.DataFrame:
    """Loans disbursed from ``month_start`` to ``month_end`` inclusive with the 九(二) filing fields."""
    return loader.fetch_frame(con, "filing_summary", {"month_start": engine.as_date(month_start),
                                                       "month_end": engine.as_date(month_end)})
