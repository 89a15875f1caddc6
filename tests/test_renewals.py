"""Renewal chains (无还本续贷, RULES.md after the compliance table): each renewal numbered from the
original loan; a renewed_from cycle reported, not looped over."""

from __future__ import annotations

import datetime as dt

from obligation_fixtures import add_loan

from queries import renewals


def test_renewal_chains_number_each_renewal_from_the_original_loan(con):
    add_loan(con, "R1", disbursed_on="2023-03-01", matures_on="2024-03-01")
    add_loan(con, "R2", disbursed_on="2024-03-01", matures_on="2025-03-01", renewed_from="R1")
    add_loan(con, "R3", disbursed_on="2025-03-01", matures_on="2026-03-01", renewed_from="R2")
    add_loan(con, "S1", disbursed_on="2025-04-01", matures_on="2026-04-01")
    add_loan(con, "X1", disbursed_on="2025-04-01", matures_on="2026-04-01", renewed_from="X2")
    add_loan(con, "X2", disbursed_on="2025-04-01", matures_on="2026-04-01", renewed_from="X1")
    rows = {r["loan_id"]: r for r in renewals.renewal_chains(con).to_dict("records")}
    assert [(rows[k]["chain_id"], rows[k]["position"], rows[k]["chain_length"]) for k in ("R1", "R2", "R3", "S1")] == \
        [("R1", 1, 3), ("R1", 2, 3), ("R1", 3, 3), ("S1", 1, 1)]
    assert rows["R3"]["original_disbursed_on"] == dt.date(2023, 3, 1)
    # a renewed_from cycle has no original loan: reported, not looped over
    assert rows["X1"]["in_cycle"] and rows["X1"]["chain_id"] is None
