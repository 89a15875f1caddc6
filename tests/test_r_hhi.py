"""Golden tests of R-HHI (queries/outlook.py, outlook/hhi.sql)."""

from __future__ import annotations

from engine_fixtures import D, Ledger

from pipelines import profile as profile_mod
from queries import outlook

PROFILE = profile_mod.load("anyi")
T = "2024-06-30"


def values(con) -> dict:
    return {r.dimension: (r.hhi, r.top_share) for r in outlook.hhi(con, T, PROFILE).itertuples()}


def test_two_equal_banks_is_one_half():
    led = Ledger()
    led.loan("A", "1000000", "2024-01-01", "2024-12-31", bank="BankA", guarantor=None)  # direct pledge
    led.loan("B", "1000000", "2024-01-01", "2024-12-31", bank="BankB", guarantor="GuarA")
    con = led.memory()
    got = values(con)
    assert got["bank"] == (D("0.5"), D("0.5"))
    assert got["guarantor"] == (D("1"), D("1"))  # the direct pledge is left out
    assert got["industry"] == (None, None)  # no loan names an industry


def test_three_way_split_is_exact_and_ip_type_uses_cover_weights():
    led = Ledger()
    for loan_id, bank in (("A", "BankA"), ("B", "BankB"), ("C", "BankC")):
        led.loan(loan_id, "1000000", "2024-01-01", "2024-12-31", bank=bank)
    con = led.memory()
    assert values(con)["bank"] == (D("0.333333333333333333"), D("0.333333333333333333"))
    # A: items valued 3,000,000 (invention) and 1,000,000 (trademark): 750,000 / 250,000
    # B: one item without a value and one utility model: 1 each -> 500,000 / 500,000; C: no items
    con.execute("""insert into collateral (loan_id, ip_type, ip_number, appraised_value, batch_id) values
        ('A', 'invention_patent', 'ZL1', 3000000, 1), ('A', 'trademark', 'TM1', 1000000, 1),
        ('B', 'invention_patent', 'ZL2', null, 1), ('B', 'utility_model', 'ZL3', 800000, 1)""")
    # invention 1,250,000, trademark 250,000, utility 500,000 of 2,000,000:
    # 0.625² + 0.125² + 0.25² = 0.390625 + 0.015625 + 0.0625 = 0.46875
    assert values(con)["ip_type"] == (D("0.46875"), D("0.625"))
