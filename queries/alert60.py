"""R-ALERT60: active loans at DPD >= compensation_trigger_dpd (the bank may start the compensation
claim; a direct pledge's action is the bank's own disposal). alert60/alerts.sql over the snapshot;
the overdue list (every overdue loan with its alert date and claim) and its filters, for the
overdue page and its download."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from queries import derived, runner


def alerts(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Active loans with DPD >= compensation_trigger_dpd (R-ALERT60): loan_id, enterprise_name,
    credit_code, bank, guarantor, appraiser, pledge_mode, outstanding, dpd, oldest_unpaid_due,
    alert_since, action."""
    p = runner.params(profile, as_of, scope)
    derived.stage_snapshot(con, p)
    return runner.frame(con, "alert60/alerts", p)


def overdue_list(snapshot: pd.DataFrame, alert_rows: pd.DataFrame, claim_rows: pd.DataFrame) -> pd.DataFrame:
    """The overdue loans of dpd.loan_snapshot (overdue = true, R-NPL) with alert_since (alerts())
    and the claim's claim_status, deadline and days_left (claims.claims()), most days past due
    first, then by loan_id."""
    rows = snapshot[snapshot["overdue"]]
    alerts_ = alert_rows[["loan_id", "alert_since"]]
    claims_ = claim_rows[["loan_id", "status", "deadline", "days_left"]].rename(columns={"status": "claim_status"})
    return (rows.merge(alerts_, on="loan_id", how="left").merge(claims_, on="loan_id", how="left")
            .sort_values(["dpd", "loan_id"], ascending=[False, True]).reset_index(drop=True))


def overdue_bounds(rows: pd.DataFrame) -> dict:
    """The filter ranges of an overdue list: max_dpd (1 when empty) and max_outstanding (Decimal
    yuan, None when empty)."""
    if not len(rows):
        return {"max_dpd": 1, "max_outstanding": None}
    return {"max_dpd": int(rows["dpd"].max()), "max_outstanding": Decimal(rows["outstanding"].max())}


def narrow(rows: pd.DataFrame, buckets, dpd_range: tuple[int, int],
           amount_range: tuple[Decimal, Decimal]) -> pd.DataFrame:
    """The rows of an overdue list in one of ``buckets`` with dpd and outstanding (exact yuan) within
    the inclusive ranges; order kept."""
    lo_dpd, hi_dpd = dpd_range
    lo_amt, hi_amt = amount_range
    in_amount = [v is not None and not pd.isna(v) and lo_amt <= v <= hi_amt for v in rows["outstanding"]]
    keep = rows["bucket"].isin(list(buckets)) & rows["dpd"].between(lo_dpd, hi_dpd) & pd.Series(in_amount,
                                                                                               index=rows.index)
    return rows[keep].reset_index(drop=True)
