"""R-SCHED: the repayment schedule — the dues of one loan beside when each stream was paid.

The schedule itself (supplied, or the standard 按月付息、到期还本 one generated from the profile's
``interest_day``) is schedule/dues.sql; every rule family reads it as pw_dues through
``derived.prepare``. This module serves the one-loan view (schedule/loan_dues.sql) and its
cumulative due against paid (schedule/loan_cumulative.sql).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from queries import derived, runner
from queries.runner import registered


def _params(profile, scope) -> dict:
    p = runner.params(profile) if profile is not None else {"interest_day": 0, "amount_tolerance": Decimal("0.01")}
    return dict(p, **runner.scope_params(scope))


def dues(con, loan_id: str, profile=None, scope=None) -> pd.DataFrame:
    """One loan's dues (R-SCHED) beside when each stream was paid (R-DPD): due_on, principal_due,
    interest_due, source, cum dues, *_settled_on, days_late_*. None for a loan outside ``scope``
    (R-SCOPE)."""
    p = _params(profile, scope)
    derived.prepare(con, p)
    return runner.frame(con, "schedule/loan_dues", dict(p, loan_id=loan_id))


def cumulative(con, loan_id: str, profile=None, scope=None) -> pd.DataFrame:
    """One loan's cumulative due (R-SCHED) and cumulative paid (R-OUT) as steps: day, side (due |
    paid), amount (Decimal yuan), step — one row per due date and per payment row (none for a loan
    outside ``scope``, R-SCOPE)."""
    p = _params(profile, scope)
    derived.prepare(con, p)
    due_rows = runner.arrow(con, "schedule/loan_dues", dict(p, loan_id=loan_id))
    paid_rows = runner.arrow(con, "dpd/loan_payments", dict(p, loan_id=loan_id))
    with registered(con, "loan_cumulative_dues", due_rows), registered(con, "loan_cumulative_payments", paid_rows):
        return runner.frame(con, "schedule/loan_cumulative")
