"""The benchmark's second peer: the as-of NPL ratio in polars (lazy, multi-threaded), exact.

Independent of queries/ and of bench_pandas: the same ledgers read out of the same DuckDB file
(through Arrow, so DECIMAL arrives exact and becomes int64 fen without a float), the dues built from
the bank's schedule where one is supplied, else the standard R-SCHED schedule (monthly interest on the
disbursement day-of-month, clipped to the month's end, strictly before maturity; then interest and
the whole principal at maturity; interest = principal x rate x days / 360 half up to the fen), and
R-OUT, R-DPD and R-NPL as polars expressions: no Python loop over rows.
"""

from __future__ import annotations

import time
from decimal import Decimal

import polars as pl
from bench_pandas import PeerResult

RATE_SCALE = 10**8           # DECIMAL(12,8) rates as integer units of 1e-8
INTEREST_DEN = 360 * RATE_SCALE


def _fen(column: str) -> pl.Expr:
    """DECIMAL(18,2) (polars Decimal) -> exact int64 fen; null -> 0."""
    return pl.col(column).fill_null(0).cast(pl.Decimal(38, 2)).mul(100).cast(pl.Int64)


def read_tables(con) -> dict[str, pl.DataFrame]:
    """The four ledgers the ratio depends on, straight from DuckDB into polars through Arrow."""
    def q(sql: str) -> pl.DataFrame:
        return pl.from_arrow(con.sql(sql).to_arrow_table())
    return {
        "loans": q("select loan_id, principal, annual_rate, disbursed_on, matures_on from loans"),
        "schedule": q("select loan_id, due_on, principal_due, interest_due from schedule"),
        "repayments": q("select loan_id, paid_on, principal_paid, interest_paid from repayments"),
        "events": q("select loan_id, event_on, amount from events "
                    "where kind in ('compensation', 'write_off')"),
    }


def standard_dues(loans: pl.LazyFrame) -> pl.LazyFrame:
    """R-SCHED dues of every loan (money in fen): idx, loan_id, due_on, principal_due, interest_due, in
    (loan, date) order. Built as one list of due dates per loan (the monthly dates, then maturity)
    and the list of the dates before each, exploded together: no sort and no window."""
    monthly = pl.date_ranges("disbursed_on", "matures_on", "1mo", closed="left").list.slice(1)
    dated = loans.with_columns(
        pl.concat_list(monthly, pl.col("matures_on")).alias("due_on"),
        pl.concat_list(pl.col("disbursed_on"), monthly).alias("prev_on"),
    ).explode("due_on", "prev_on")
    days = (pl.col("due_on") - pl.col("prev_on")).dt.total_days()
    product = pl.col("fen") * pl.col("rate")
    q, r = product // INTEREST_DEN, product % INTEREST_DEN
    return dated.select(
        "idx", "loan_id", "due_on",
        pl.when(pl.col("due_on") == pl.col("matures_on")).then(pl.col("fen")).otherwise(0).alias("principal_due"),
        (q * days + (2 * r * days + INTEREST_DEN) // (2 * INTEREST_DEN)).alias("interest_due"),
    )


def npl_from_frames(frames: dict[str, pl.DataFrame], as_of, profile) -> tuple[Decimal, Decimal, int, int]:
    """R-OUT, R-DPD, R-NPL at the end of ``as_of``: (active balance, overdue balance in yuan, active loans,
    overdue loans). Loans are addressed by an integer position (one join on loan_id per table)."""
    tol = int(profile.amount_tolerance * 100)
    loans = frames["loans"].lazy().with_row_index("idx").with_columns(
        _fen("principal").alias("fen"), (pl.col("annual_rate") * RATE_SCALE).cast(pl.Int64).alias("rate"))
    ids = loans.select("idx", "loan_id")
    supplied = frames["schedule"].lazy().join(ids, on="loan_id").select(
        "idx", "loan_id", "due_on", _fen("principal_due").alias("principal_due"),
        _fen("interest_due").alias("interest_due")).sort("idx", "due_on")
    generated = standard_dues(loans.join(supplied.select("loan_id").unique(), on="loan_id", how="anti"))
    paid = pl.concat([
        frames["repayments"].lazy().filter(pl.col("paid_on") <= as_of).select(
            "loan_id", _fen("principal_paid").alias("p"), _fen("interest_paid").alias("i")),
        frames["events"].lazy().filter(pl.col("event_on") <= as_of).select(
            "loan_id", _fen("amount").alias("p"), pl.lit(0, pl.Int64).alias("i")),
    ]).join(ids, on="loan_id").group_by("idx").agg(pl.col("p").sum(), pl.col("i").sum())
    # cum_due(d) looks back only, so the dues on or after as_of can go first
    oldest = (
        pl.concat([generated, supplied]).filter(pl.col("due_on") < as_of)
        .with_columns(pl.col("principal_due").cum_sum().over("idx").alias("cum_p"),
                      pl.col("interest_due").cum_sum().over("idx").alias("cum_i"))
        .join(paid, on="idx", how="left")
        .filter((pl.col("cum_p") > pl.col("p").fill_null(0) + tol) | (pl.col("cum_i") > pl.col("i").fill_null(0) + tol))
        .group_by("idx").agg(pl.col("due_on").min().alias("oldest"))
    )
    state = (
        loans.join(paid, on="idx", how="left").join(oldest, on="idx", how="left")
        .with_columns((pl.col("fen") - pl.col("p").fill_null(0)).clip(lower_bound=0).alias("outstanding"),
                      (pl.lit(as_of) - pl.col("oldest")).dt.total_days().fill_null(0).alias("dpd"))
        .with_columns(((pl.col("disbursed_on") <= as_of) & (pl.col("outstanding") > 0)).alias("active"))
        .with_columns((pl.col("active") & (pl.col("dpd") >= int(profile.overdue_dpd_threshold))).alias("overdue"))
        .select(pl.col("outstanding").filter(pl.col("active")).sum().alias("active_balance"),
                pl.col("outstanding").filter(pl.col("overdue")).sum().alias("overdue_balance"),
                pl.col("active").sum().alias("active_loans"), pl.col("overdue").sum().alias("overdue_loans"))
        .collect()
    ).row(0)
    active, overdue, n_active, n_overdue = (0 if v is None else int(v) for v in state)
    return Decimal(active).scaleb(-2), Decimal(overdue).scaleb(-2), n_active, n_overdue


def npl_asof(con, as_of, profile) -> PeerResult:
    """Read the ledgers from ``con`` into polars and compute the as-of NPL figures, timing both halves."""
    if int(profile.interest_day) != 0:
        raise NotImplementedError("peer implements only the default interest_day = 0 (disbursement day)")
    start = time.perf_counter()
    frames = read_tables(con)
    mid = time.perf_counter()
    active, overdue, n_active, n_overdue = npl_from_frames(frames, as_of, profile)
    end = time.perf_counter()
    return PeerResult(active, overdue, n_active, n_overdue, mid - start, end - mid)
