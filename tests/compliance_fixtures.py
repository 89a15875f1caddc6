"""Shared by the compliance tests (tests/test_c01.py … test_c11.py): each checks one C-rule at its exact
boundaries, with a loan on both sides of the line.

Defaults (tests/obligation_fixtures.py): 1,000,000 yuan at 3.50 %, disbursed 2025-06-01 (LPR 3.00 %
in force since 2025-05-20), maturing 2026-06-01, appraised 2,000,000, fees 10,000 each, indirect
pledge with guarantor G1 — a loan that breaks no rule. Each test changes only what it is about and
gives each loan its own credit code so that C7 stays out of the way.
"""

from __future__ import annotations

from pipelines import profile
from queries import compliance

ANYI = profile.load("anyi")


def broken(con, as_of="2026-12-31", rules=compliance.RULES):
    """{loan_id: [rules…]} of every exception at as_of."""
    exc = compliance.exceptions(con, as_of, ANYI, rules=rules)
    out: dict[str, list[str]] = {}
    for loan_id, rule in zip(exc["loan_id"], exc["rule"], strict=True):
        out.setdefault(loan_id, []).append(rule)
    return out
