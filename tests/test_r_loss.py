"""R-LOSS: the loss at notice and the recoveries split by loss share, the bank taking the rounding;
a direct pledge's loss is the bank's alone. The loan: defaulted_loan (tests/obligation_fixtures.py)."""

from __future__ import annotations

from obligation_fixtures import D, add_event, defaulted_loan

from pipelines import profile
from queries import claims

ANYI = profile.load("anyi")


def test_loss_and_recoveries_split_by_share_with_the_bank_taking_the_rounding(con):
    defaulted_loan(con, principal="333333.33")
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    add_event(con, "L1", "2025-10-01", "recovery", "1000.05", "bank")
    add_event(con, "L1", "2026-01-05", "recovery", "5000.00", "bank")   # after as_of: not yet
    rows = {r["party"]: r for r in claims.loss_sharing(con, "2025-12-31", ANYI).to_dict("records")}
    # loss 333,333.33: guarantor × 0.70 = 233,333.331 → 233,333.33; appraiser × 0.10 = 33,333.333
    # → 33,333.33; bank = 333,333.33 − 233,333.33 − 33,333.33 = 66,666.67
    assert rows["guarantor"]["loss_part"] == D("233333.33")
    assert rows["appraiser"]["loss_part"] == D("33333.33")
    assert rows["bank"]["loss_part"] == D("66666.67")
    # recovery 1,000.05: × 0.70 = 700.035 → 700.04 (half up); × 0.10 = 100.005 → 100.01;
    # bank = 1,000.05 − 700.04 − 100.01 = 200.00
    assert [rows[p]["recovery_part"] for p in ("guarantor", "appraiser", "bank")] == \
        [D("700.04"), D("100.01"), D("200.00")]
    # net = loss part − recovery part
    assert [rows[p]["net_loss"] for p in ("guarantor", "appraiser", "bank")] == \
        [D("232633.29"), D("33233.32"), D("66466.67")]
    assert sum(r["net_loss"] for r in rows.values()) == D("333333.33") - D("1000.05")


def test_direct_pledge_loss_is_the_banks_alone(con):
    defaulted_loan(con, pledge_mode="direct", guarantor=None)
    add_event(con, "L1", "2025-08-09", "compensation_notice")
    rows = {r["party"]: r for r in claims.loss_sharing(con, "2025-12-31", ANYI).to_dict("records")}
    assert (rows["bank"]["loss_part"], rows["guarantor"]["loss_part"], rows["appraiser"]["loss_part"]) == \
        (D("1000000.00"), D("0.00"), D("0.00"))
