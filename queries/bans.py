"""R-BAN: the three-year ban after a compensation notice (八(五)); bans/bans.sql. C9 checks new
loans against the same windows (compliance/c09_ban.sql)."""

from __future__ import annotations

import pandas as pd

from queries import runner


def bans(con, as_of, profile=None, scope=None) -> pd.DataFrame:
    """R-BAN: (credit_code, enterprise_name, notice_on, ban_until, active, loan_ids) per notice date;
    with a ``scope`` (R-SCOPE) only the notices of its loans."""
    return runner.objects(con, "bans/bans", runner.params(profile, as_of, scope))


def in_force_first(ban_rows: pd.DataFrame) -> dict:
    """bans()' rows for the compensation page: in_force (how many bans are active at as_of) and
    rows (the bans in force first, each group by ban_until)."""
    if not len(ban_rows):
        return {"in_force": 0, "rows": ban_rows}
    return {"in_force": int(ban_rows["active"].sum()),
            "rows": ban_rows.sort_values(["active", "ban_until"], ascending=[False, True])}
