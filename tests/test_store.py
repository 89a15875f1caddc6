"""The store: schema, shipped LPR history, profile parameters documented (R-* parameters)."""

from decimal import Decimal

from pipelines import profile, store


def test_schema_creates_every_ledger_and_history(db_path):
    with store.read_connection(db_path) as con:
        tables = {r[0] for r in con.execute("show tables").fetchall()}
    for kind in store.LEDGER_KEYS:
        assert kind in tables and f"{kind}_history" in tables
    assert {"ingest_batches", "rejects"} <= tables


def test_reference_lpr_loaded_exactly(db_path):
    with store.read_connection(db_path) as con:
        rows = con.execute("select effective_on::varchar, rate from lpr order by 1").fetchall()
    assert rows[0] == ("2019-08-20", Decimal("0.04250000"))
    assert ("2025-05-20", Decimal("0.03000000")) in rows


def test_profiles_have_every_parameter_as_exact_values():
    for name in profile.available():
        p = profile.load(name)
        for param in profile.PARAMETERS:
            assert param.name in p.values
        assert isinstance(p.npl_halt_threshold, Decimal)
    anyi = profile.load("anyi")
    assert anyi.npl_halt_threshold == Decimal("0.05")
    assert anyi.max_rate_spread_over_lpr == Decimal("0.0050")
    assert profile.load("wuhan").max_single_loan == Decimal("1000000000")
