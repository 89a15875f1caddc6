"""The compliance checks C1–C11 on the shipped demo ledgers agree with demo/check.py's plain-Python checks."""

from __future__ import annotations

from compliance_fixtures import ANYI

from pipelines import store
from queries import compliance


def test_demo_portfolio_matches_the_independent_python_checks(tmp_path):
    # demo/check.py checks C1–C11 in plain Python on the generator's own objects; the
    # shipped demo ledgers, ingested for real, must give exactly the same (loan_id, rule) pairs.
    import demo.check
    import demo.story
    from pipelines import ingest
    from pipelines.store import ROOT

    db = tmp_path / "demo.duckdb"
    ingest.ingest_paths([ROOT / "data" / "demo"], db=db)
    expected = demo.check.compliance(demo.story.build_story())
    with store.read_connection(db) as c:
        exc = compliance.exceptions(c, "2025-12-31", ANYI)
    assert set(zip(exc["loan_id"], exc["rule"], strict=True)) == expected
    assert len(expected) >= 8   # the generator plants a breach of every rule but C1, C2, C6
