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


def standard_dues(loans: pd.DataFrame) -> pd.DataFrame:
    """R-SCHED: monthly interest on the disbursement day (clipped to month end), principal at maturity.

    Interest of a period = principal x annual_rate x days / 360, rounded half up to the fen, computed in
    integers (q*days + rounded remainder) so that no intermediate overflows int64.
    """
    d0 = _days(loans["disbursed_on"])
    mat = _days(loans["matures_on"])
    principal = _fen(loans["principal"])
    rate = np.rint(loans["annual_rate"].to_numpy(dtype="float64") * RATE_SCALE).astype(np.int64)
    n = len(loans)
    months = int((mat.astype("datetime64[M]") - d0.astype("datetime64[M]")).astype(int).max(initial=0))
    # candidate monthly dates k = 1..months after disbursement, same day-of-month clipped to month end
    k = np.tile(np.arange(1, months + 1), n)
    idx = np.repeat(np.arange(n), months)
    month = d0[idx].astype("datetime64[M]") + k
    month_start = month.astype("datetime64[D]")
    month_len = ((month + 1).astype("datetime64[D]") - month_start).astype(int)
    day_of_month = (d0 - d0.astype("datetime64[M]").astype("datetime64[D]")).astype(int) + 1
    due = month_start + (np.minimum(day_of_month[idx], month_len) - 1) * DAY
    keep = due < mat[idx]
    idx = np.concatenate([idx[keep], np.arange(n)])
    due = np.concatenate([due[keep], mat])
    order = np.lexsort((due, idx))
    idx, due = idx[order], due[order]
    first = np.r_[True, idx[1:] != idx[:-1]]
    prev = np.where(first, d0[idx], np.r_[due[:1], due[:-1]])
    days = (due - prev).astype(np.int64)
    num = principal[idx] * rate[idx]
    q, r = np.divmod(num, INTEREST_DEN)
    interest = q * days + (2 * r * days + INTEREST_DEN) // (2 * INTEREST_DEN)
    is_last = np.r_[idx[1:] != idx[:-1], True]
    return pd.DataFrame({
        "loan_id": loans["loan_id"].to_numpy()[idx],
        "due_on": due,
        "principal_due": np.where(is_last, principal[idx], 0),
        "interest_due": interest,
    })


def dues(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The supplied schedule for loans that have one, the standard schedule for the rest (R-SCHED)."""
    sched = frames["schedule"]
    supplied = pd.DataFrame({
        "loan_id": sched["loan_id"], "due_on": _days(sched["due_on"]),
        "principal_due": _fen(sched["principal_due"]), "interest_due": _fen(sched["interest_due"]),
    })
    loans = frames["loans"]
    without = loans[~loans["loan_id"].isin(sched["loan_id"].unique())]
    return pd.concat([supplied, standard_dues(without)], ignore_index=True)


def _oldest_unpaid(d: pd.DataFrame, stream: str, paid: pd.Series, t: np.datetime64, tol: int) -> pd.Series:
    """R-DPD for one stream: per loan, the earliest due date d < t with cum_due(d) > paid(t) + tol."""
    cum = d.groupby("loan_id", sort=False)[stream].cumsum()
    paid_here = d["loan_id"].map(paid).fillna(0).to_numpy(dtype=np.int64)
    late = (d["due_on"].to_numpy() < t) & (cum.to_numpy() > paid_here + tol)
    return d.loc[late].groupby("loan_id", sort=False)["due_on"].min()


def npl_from_frames(frames: dict[str, pd.DataFrame], as_of, profile) -> tuple[Decimal, Decimal, int, int]:
    """R-OUT, R-DPD, R-NPL at the end of ``as_of``: (active balance, overdue balance, counts), in yuan."""
    t = np.datetime64(as_of, "D")
    tol = int(profile.amount_tolerance * 100)
    loans = frames["loans"]
    rep = frames["repayments"]
    rep = rep[_days(rep["paid_on"]) <= t]
    ev = frames["events"]
    ev = ev[_days(ev["event_on"]) <= t]
    # principal stream paid: repayments + compensation received + written off (R-OUT, R-DPD)
    paid_p = pd.concat([
        pd.Series(_fen(rep["principal_paid"]), index=rep["loan_id"].to_numpy()),
        pd.Series(_fen(ev["amount"]), index=ev["loan_id"].to_numpy()),
    ]).groupby(level=0).sum()
    paid_i = pd.Series(_fen(rep["interest_paid"]), index=rep["loan_id"].to_numpy()).groupby(level=0).sum()

    d = dues(frames).sort_values(["loan_id", "due_on"], kind="stable")
    oldest = pd.concat([
        _oldest_unpaid(d, "principal_due", paid_p, t, tol),
        _oldest_unpaid(d, "interest_due", paid_i, t, tol),
    ]).groupby(level=0).min()  # larger DPD of the two streams = the older oldest-unpaid date

    ids = loans["loan_id"]
    principal = _fen(loans["principal"])
    outstanding = np.maximum(principal - ids.map(paid_p).fillna(0).to_numpy(dtype=np.int64), 0)
    active = (_days(loans["disbursed_on"]) <= t) & (outstanding > 0)
    # position of each loan in `oldest`; -1 (no unpaid due) picks the NaT appended at the end
    pos = pd.Index(oldest.index).get_indexer(ids)
    oldest_d = np.append(oldest.to_numpy().astype("datetime64[D]"), np.datetime64("NaT", "D"))[pos]
    dpd = np.where(np.isnat(oldest_d), 0, (t - oldest_d).astype("timedelta64[D]").astype(np.int64))
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
