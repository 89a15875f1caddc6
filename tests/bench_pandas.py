"""The benchmark's peer: the as-of NPL ratio as an analyst would compute it in plain pandas.

Independent of queries/: it reads the ledger tables out of the same DuckDB file into pandas,
builds the dues (the bank's schedule where one is supplied, else the standard R-SCHED schedule),
and applies R-OUT, R-DPD and R-NPL with vectorised numpy/pandas steps: no per-row Python loops,
nothing deliberately slow. Money is handled as int64 fen (``.df()`` hands DECIMAL over as float64,
and round(x * 100) of a two-decimal value below 10^13 is exact), so the result is exact and can be
compared with the engine's Decimal answer, not only approximately.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")
RATE_SCALE = 10**8           # DECIMAL(12,8) rates as integer units of 1e-8
INTEREST_DEN = 360 * RATE_SCALE  # fen * rate_units * days / INTEREST_DEN = interest in fen (R-SCHED)


@dataclass(frozen=True)
class PeerResult:
    """The program-wide R-NPL figures at one date, exact (balances in yuan as Decimal)."""

    active_balance: Decimal
    overdue_balance: Decimal
    active_loans: int
    overdue_loans: int
    read_s: float
    compute_s: float

    @property
    def npl_ratio(self) -> Decimal | None:
        """overdue / active, or None with no active loans (R-NPL: undefined, never 0)."""
        if self.active_balance == 0:
            return None
        return self.overdue_balance / self.active_balance


def _fen(series: pd.Series) -> np.ndarray:
    """DECIMAL(18,2) read as float64 -> exact int64 fen."""
    return np.rint(series.to_numpy(dtype="float64", na_value=0.0) * 100).astype(np.int64)


def _days(series: pd.Series) -> np.ndarray:
    return series.to_numpy().astype("datetime64[D]")


def read_tables(con) -> dict[str, pd.DataFrame]:
    """The four ledgers the ratio depends on, straight from DuckDB into pandas."""
    return {
        "loans": con.execute(
            "select loan_id, principal, annual_rate, disbursed_on, matures_on from loans").df(),
        "schedule": con.execute(
            "select loan_id, due_on, principal_due, interest_due from schedule").df(),
        "repayments": con.execute(
            "select loan_id, paid_on, principal_paid, interest_paid from repayments").df(),
        "events": con.execute(
            "select loan_id, event_on, kind, amount from events "
            "where kind in ('compensation', 'write_off')").df(),
    }


def _standard_dues(d0, mat, principal, rate) -> tuple[np.ndarray, ...]:
    """R-SCHED on arrays, one entry per loan: (loan position, due_on, principal_due, interest_due) per due,
    ordered by loan then date. Monthly interest on the disbursement day-of-month (clipped to the month's
    end) strictly before maturity, then interest and the whole principal at maturity. Interest of a
    period = principal x annual_rate x days / 360 rounded half up to the fen, in integers
    (q*days + rounded remainder, so nothing overflows int64)."""
    n = len(d0)
    months = int((mat.astype("datetime64[M]") - d0.astype("datetime64[M]")).astype(int).max(initial=0))
    # (n, months) grid of candidate dates k = 1..months after disbursement, then maturity as last column:
    # dates grow along each row, so flattening row by row keeps (loan, date) order without a sort
    month = d0.astype("datetime64[M]")[:, None] + np.arange(1, months + 1)
    month_start = month.astype("datetime64[D]")
    month_len = ((month + 1).astype("datetime64[D]") - month_start).astype(np.int64)
    day_of_month = (d0 - d0.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    grid = month_start + (np.minimum(day_of_month[:, None], month_len) - 1) * DAY
    grid = np.concatenate([grid, mat[:, None]], axis=1)
    keep = np.concatenate([grid[:, :-1] < mat[:, None], np.ones((n, 1), dtype=bool)], axis=1)
    pos = np.broadcast_to(np.arange(n)[:, None], grid.shape)[keep]
    due = grid[keep]
    first = np.r_[True, pos[1:] != pos[:-1]]
    prev = np.where(first, d0[pos], np.r_[due[:1], due[:-1]])  # the previous due, or disbursement
    days = (due - prev).astype(np.int64)
    q, r = np.divmod(principal[pos] * rate[pos], INTEREST_DEN)
    interest = q * days + (2 * r * days + INTEREST_DEN) // (2 * INTEREST_DEN)
    is_last = np.r_[pos[1:] != pos[:-1], True]
    return pos, due, np.where(is_last, principal[pos], 0), interest


def standard_dues(loans: pd.DataFrame) -> pd.DataFrame:
    """R-SCHED dues of every loan in ``loans`` (money in fen): loan_id, due_on, principal_due, interest_due."""
    pos, due, principal_due, interest_due = _standard_dues(
        _days(loans["disbursed_on"]), _days(loans["matures_on"]), _fen(loans["principal"]), _rate(loans))
    return pd.DataFrame({"loan_id": loans["loan_id"].to_numpy()[pos], "due_on": due,
                         "principal_due": principal_due, "interest_due": interest_due})


def _rate(loans: pd.DataFrame) -> np.ndarray:
    return np.rint(loans["annual_rate"].to_numpy(dtype="float64") * RATE_SCALE).astype(np.int64)


def _dues(frames: dict[str, pd.DataFrame], index: pd.Index) -> tuple[np.ndarray, ...]:
    """All dues by loan position, ordered by loan then date: the supplied schedule for loans that have
    one, the standard schedule for the rest (R-SCHED)."""
    loans, sched = frames["loans"], frames["schedule"]
    s_pos = index.get_indexer(sched["loan_id"])
    without = np.ones(len(loans), dtype=bool)
    without[s_pos] = False
    g = np.flatnonzero(without)
    pos, due, p_due, i_due = _standard_dues(
        _days(loans["disbursed_on"])[g], _days(loans["matures_on"])[g], _fen(loans["principal"])[g],
        _rate(loans)[g])
    pos = g[pos]
    if len(sched):
        pos = np.concatenate([pos, s_pos])
        due = np.concatenate([due, _days(sched["due_on"])])
        p_due = np.concatenate([p_due, _fen(sched["principal_due"])])
        i_due = np.concatenate([i_due, _fen(sched["interest_due"])])
        order = np.lexsort((due, pos))
        pos, due, p_due, i_due = pos[order], due[order], p_due[order], i_due[order]
    return pos, due, p_due, i_due


def _cum_by_loan(pos: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Running total of ``amount`` within each loan (rows ordered by loan, then date): cum_due(d)."""
    total = np.cumsum(amount)
    before = total - amount
    first = np.r_[True, pos[1:] != pos[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(pos)), 0))
    return total - before[start]


def _per_loan(pos: np.ndarray, fen: np.ndarray, n: int) -> np.ndarray:
    """Sum per loan position (exact: per-loan totals stay far below 2**53 fen)."""
    return np.rint(np.bincount(pos, weights=fen, minlength=n)).astype(np.int64)


def npl_from_frames(frames: dict[str, pd.DataFrame], as_of, profile) -> tuple[Decimal, Decimal, int, int]:
    """R-OUT, R-DPD, R-NPL at the end of ``as_of``: (active balance, overdue balance in yuan, active loans,
    overdue loans). Loans are addressed by position (one hash lookup of loan_id per table)."""
    t = np.datetime64(as_of, "D")
    tol = int(profile.amount_tolerance * 100)
    loans = frames["loans"]
    n = len(loans)
    index = pd.Index(loans["loan_id"])
    rep = frames["repayments"]
    rep = rep[_days(rep["paid_on"]) <= t]
    ev = frames["events"]
    ev = ev[_days(ev["event_on"]) <= t]
    r_pos = index.get_indexer(rep["loan_id"])  # ingestion rejects repayments of unknown loans
    # principal stream paid: repayments + compensation received + written off (R-OUT, R-DPD)
    paid_p = _per_loan(r_pos, _fen(rep["principal_paid"]), n) + \
        _per_loan(index.get_indexer(ev["loan_id"]), _fen(ev["amount"]), n)
    paid_i = _per_loan(r_pos, _fen(rep["interest_paid"]), n)

    pos, due, p_due, i_due = _dues(frames, index)
    before_t = due < t
    late = before_t & (
        (_cum_by_loan(pos, p_due) > paid_p[pos] + tol) | (_cum_by_loan(pos, i_due) > paid_i[pos] + tol))
    # oldest unpaid due of either stream = the first late row of the loan (rows are in date order);
    # the loan's DPD is the larger of the two streams' DPDs, i.e. from the older of the two dates (R-DPD)
    late_pos, first = np.unique(pos[late], return_index=True)
    oldest = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    oldest[late_pos] = due[late][first]
    dpd = np.where(np.isnat(oldest), 0, (t - oldest).astype(np.int64))

    outstanding = np.maximum(_fen(loans["principal"]) - paid_p, 0)
    active = (_days(loans["disbursed_on"]) <= t) & (outstanding > 0)
    overdue = active & (dpd >= int(profile.overdue_dpd_threshold))
    return (Decimal(int(outstanding[active].sum())).scaleb(-2), Decimal(int(outstanding[overdue].sum())).scaleb(-2),
            int(active.sum()), int(overdue.sum()))


def npl_asof(con, as_of, profile) -> PeerResult:
    """Read the ledgers from ``con`` into pandas and compute the as-of NPL figures, timing both halves."""
    if int(profile.interest_day) != 0:
        raise NotImplementedError("peer implements only the default interest_day = 0 (disbursement day)")
    start = time.perf_counter()
    frames = read_tables(con)
    mid = time.perf_counter()
    active, overdue, n_active, n_overdue = npl_from_frames(frames, as_of, profile)
    end = time.perf_counter()
    return PeerResult(active, overdue, n_active, n_overdue, mid - start, end - mid)
