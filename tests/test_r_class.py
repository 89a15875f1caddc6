"""R-CLASS: the five-category classification by DPD and the banks' own 不良 ratio, beside R-NPL."""

from __future__ import annotations

from decimal import Decimal

from engine_fixtures import AS_OF, DPDS, PROFILE, D, ageing_ledger

from queries import classification, dpd, ratio


def test_five_category_boundaries_and_bank_ratio(build):
    con = build(ageing_ledger())
    snap = dpd.loan_snapshot(con, AS_OF, PROFILE).set_index("loan_id")
    assert [snap.loc[f"A{d:03d}", "risk_class"] for d in DPDS] == [
        "normal", "special_mention", "special_mention", "special_mention", "special_mention", "special_mention",
        "special_mention",  # 90: not yet > 90
        "substandard", "substandard",  # 91, 270
        "doubtful", "doubtful",  # 271, 360
        "loss"]  # 361
    s = ratio.summary(con, AS_OF, PROFILE)
    # 不良 = 次级+可疑+损失 = loans at 91, 270, 271, 360, 361: 5,000 / 12,000 = 0.41666… (18 dp, half-up)
    assert s["bank_npl_balance"] == D("5000.00")
    assert s["bank_npl_ratio"] == Decimal("0.416666666666666667")
    # the scheme's R-NPL ratio: 11 of 12 loans are ≥ 1 DPD: 11,000 / 12,000
    assert s["npl_ratio"] == Decimal("0.916666666666666667")
    classes = classification.classification(con, AS_OF, PROFILE)
    assert [(r.risk_class, r.loans) for r in classes.itertuples()] == [
        ("normal", 1), ("special_mention", 6), ("substandard", 2), ("doubtful", 2), ("loss", 1)]
