"""R-CLASS: the five-category classification of active loans by DPD (banks' own NPL sense, shown
beside the scheme's trigger ratio and labelled so nobody confuses the two). Each loan's class is a
column of dpd/snapshot.sql (risk_class); classification/classification.sql sums them."""

from __future__ import annotations

import pandas as pd

from queries import derived, runner


def classification(con, as_of, profile, scope=None) -> pd.DataFrame:
    """Five-category classes (R-CLASS): risk_class, non_performing, loans, balance, balance_share."""
    p = runner.params(profile, as_of, scope)
    derived.stage_snapshot(con, p)
    return runner.frame(con, "classification/classification", p)
