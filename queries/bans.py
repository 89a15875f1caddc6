"""R-BAN: the three-year ban after a compensation notice (八(五)); bans/bans.sql. C9 checks new
loans against the same windows (compliance/c09_ban.sql)."""

from __future__ import annotations

import pandas as pd

from queries import runner


def bans(con, as_of, profile=None) -> pd.DataFrame:
    """R-BAN: (credit_code, enterprise_name, notice_on, ban_until, active, loan_ids) per notice date."""
    return runner.objects(con, "bans/bans", runner.params(profile, as_of))
