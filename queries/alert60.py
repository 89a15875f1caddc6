"""R-ALERT60: active loans at DPD >= compensation_trigger_dpd (the bank may start the compensation
claim; a direct pledge's action is the bank's own disposal). alert60/alerts.sql over the snapshot."""

from __future__ import annotations

import pandas as pd

from queries import derived, runner


def alerts(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Active loans with DPD >= compensation_trigger_dpd (R-ALERT60): loan_id, enterprise_name,
    credit_code, bank, guarantor, appraiser, pledge_mode, outstanding, dpd, oldest_unpaid_due,
    alert_since, action."""
    p = runner.params(profile, as_of, scope)
    derived.stage_snapshot(con, p)
    return runner.frame(con, "alert60/alerts", p)
