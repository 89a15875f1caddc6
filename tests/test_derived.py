"""queries/derived.py: cached intermediate results follow the ledgers they were computed from (no
rule of its own: a stale cache would break every rule at once)."""

from __future__ import annotations

from engine_fixtures import PROFILE, D, dpd_ledger, state

from queries import ratio


def test_cached_results_follow_the_ledgers():
    """The engine caches intermediate results by a digest of the ledgers: a new row must show."""
    con = dpd_ledger().memory()  # a read-write connection: the data may change between calls
    try:
        assert state(con, "UNPAID", "2024-01-20")["dpd"] == 10
        assert ratio.summary(con, "2024-01-20", PROFILE)["overdue_balance"] == D("20000.00")
        con.execute("insert into repayments (row_key, loan_id, paid_on, principal_paid, interest_paid, batch_id) "
                    "values ('late', 'UNPAID', date '2024-01-15', 0, 100.00, 2)")
        assert state(con, "UNPAID", "2024-01-20")["dpd"] == 0  # paid on 15 Jan
        # only SHORT_002 (0.02 short) is still overdue: 10,000
        assert ratio.summary(con, "2024-01-20", PROFILE)["overdue_balance"] == D("10000.00")
    finally:
        con.close()


def test_cache_digest_sees_two_rows_swapping_their_amounts():
    """Found by the property test: two repayments swapping their interest amounts must not be served
    the other ledger's cached results (DuckDB's hash(a, b, …) is linear in its last argument, so a
    bit_xor of such hashes does not change when two rows swap their last values)."""
    first = dpd_ledger()
    first.pay("UNPAID", "2024-01-12", interest_paid="100.00").pay("UNPAID", "2024-01-25", interest_paid="50.00")
    second = dpd_ledger()
    second.pay("UNPAID", "2024-01-12", interest_paid="50.00").pay("UNPAID", "2024-01-25", interest_paid="100.00")
    con1, con2 = first.memory(), second.memory()
    try:
        assert state(con1, "UNPAID", "2024-01-20")["dpd"] == 0  # 100.00 paid on 12 Jan
        assert state(con2, "UNPAID", "2024-01-20")["dpd"] == 10  # only 50.00 by 20 Jan: late since 10 Jan
    finally:
        con1.close()
        con2.close()


# ---------------------------------------------------------------- the stored snapshot (issue 16/17)

def test_stored_snapshot_at_the_latest_date_equals_the_computed_one(tmp_path):
    """derived_snapshot (the program-wide snapshot at the latest ledger date, written at ingest)
    serves exactly what dpd/snapshot.sql computes: every row, column and type, program-wide and in
    each scope (R-OUT, R-DPD, R-NPL, R-SCOPE), and every figure built on it (R-NPL summary, R-PROJ,
    R-BREAK, R-WALL, R-HHI) is the same on both paths."""
    import duckdb
    import pandas as pd
    from dashboard_fixtures import build_demo_db

    from pipelines import profile as profile_mod
    from queries import derived, dpd, outlook, runner

    prof = profile_mod.load("anyi")
    db = build_demo_db(tmp_path)

    def figures(con):
        last = derived.latest_ledger_date(con)
        banks = [r[0] for r in con.execute("select distinct bank from loans order by 1 limit 2").fetchall()]
        guarantor = con.execute("select min(guarantor) from loans where guarantor <> ''").fetchall()[0][0]
        out = {"snapshot": derived.stage_snapshot(con, runner.params(prof, last))}
        for scope in [{"bank": b} for b in banks] + [{"guarantor": guarantor}, {"bank": "no such bank"}]:
            out[f"snapshot {scope}"] = derived.stage_snapshot(con, runner.params(prof, last, scope))
            out[f"frame {scope}"] = dpd.loan_snapshot(con, last, prof, scope)
        out["summary"] = pd.DataFrame([{k: str(v) for k, v in ratio.summary(con, last, prof).items()}])
        full = outlook.outlook(con, last, prof)
        for key in ("projection", "breach_rows", "wall_frame", "hhi_frame"):
            out[key] = full[key]
        out["roll"] = outlook.roll(con, last, prof)["matrix"]
        return out, last

    with duckdb.connect(str(db), read_only=True) as con:
        derived.clear_cache()
        assert derived._stored_snapshot_serves(con, runner.params(prof, derived.latest_ledger_date(con)))
        served, last = figures(con)
    derived.clear_cache()
    real = derived.current
    derived.current = lambda con, p: None  # the in-memory path: every relation computed
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            computed, _ = figures(con)
    finally:
        derived.current = real
        derived.clear_cache()
    assert served.keys() == computed.keys()
    for name, table in served.items():
        if name.startswith("snapshot"):
            assert table.schema == computed[name].schema, name
            assert table.equals(computed[name]), name
        else:
            pd.testing.assert_frame_equal(table, computed[name], check_exact=True, obj=name)
    assert served["snapshot"].num_rows > 100  # the demo book, not an empty comparison
    scoped = [t.num_rows for k, t in served.items() if k.startswith("snapshot {") and "no such" not in k]
    assert all(0 < n < served["snapshot"].num_rows for n in scoped), scoped
    assert served["snapshot {'bank': 'no such bank'}"].num_rows == 0
