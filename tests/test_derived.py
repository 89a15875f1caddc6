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
