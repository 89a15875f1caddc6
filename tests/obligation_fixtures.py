"""Fixture builder for the obligation, compliance and subsidy tests (datasette's fixtures.py, by code).

Each helper inserts one ledger row straight into a test database with bound parameters and
explicit casts, so that the tests do not depend on the ingestion pipeline. Defaults describe a
clean, compliant indirect-pledge loan of 1,000,000 yuan at 3.50 % disbursed 2025-06-01 (LPR in
force 3.00 % since 2025-05-20), so a test only states the values it is about.
"""

from __future__ import annotations

from decimal import Decimal

BATCH = 1

LOAN_DEFAULTS = {
    "enterprise_name": "安义测试企业",
    "credit_code": "91360123MA35000001",
    "bank": "BankA",
    "pledge_mode": "indirect",
    "guarantor": "G1",
    "appraiser": "A1",
    "principal": "1000000.00",
    "annual_rate": "0.035",
    "disbursed_on": "2025-06-01",
    "matures_on": "2026-06-01",
    "appraised_value": "2000000.00",
    "fair_value": None,
    "guarantee_fee": "10000.00",
    "appraisal_fee": "10000.00",
    "renewed_from": None,
    "industry": None,
}


def _s(v):
    """Decimals and dates go in as text and are cast in SQL: no float on the way."""
    return None if v is None else str(v)


def add_loan(con, loan_id: str, **overrides) -> dict:
    """Insert one loan; keyword arguments override LOAN_DEFAULTS. Returns the row as inserted."""
    unknown = set(overrides) - set(LOAN_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown loan columns {sorted(unknown)}")
    row = {**LOAN_DEFAULTS, **overrides}
    con.execute(
        "insert into loans (loan_id, enterprise_name, credit_code, bank, pledge_mode, guarantor, appraiser,"
        " principal, annual_rate, disbursed_on, matures_on, appraised_value, fair_value, guarantee_fee,"
        " appraisal_fee, renewed_from, industry, batch_id) values"
        " (?, ?, ?, ?, ?, ?, ?, ?::decimal(18,2), ?::decimal(12,8), ?::date, ?::date, ?::decimal(18,2),"
        " ?::decimal(18,2), ?::decimal(18,2), ?::decimal(18,2), ?, ?, ?)",
        [loan_id, row["enterprise_name"], row["credit_code"], row["bank"], row["pledge_mode"], row["guarantor"],
         row["appraiser"], _s(row["principal"]), _s(row["annual_rate"]), _s(row["disbursed_on"]),
         _s(row["matures_on"]), _s(row["appraised_value"]), _s(row["fair_value"]), _s(row["guarantee_fee"]),
         _s(row["appraisal_fee"]), row["renewed_from"], row["industry"], BATCH],
    )
    return {"loan_id": loan_id, **row}


def add_collateral(con, loan_id: str, ip_number: str, ip_type: str = "invention_patent",
                   ip_expires_on: str | None = "2040-01-01", appraised_value: str | None = None) -> None:
    """Insert one pledged IP right of a loan."""
    con.execute(
        "insert into collateral (loan_id, ip_type, ip_number, ip_expires_on, appraised_value, batch_id)"
        " values (?, ?, ?, ?::date, ?::decimal(18,2), ?)",
        [loan_id, ip_type, ip_number, _s(ip_expires_on), _s(appraised_value), BATCH],
    )


def add_repayment(con, loan_id: str, paid_on: str, principal_paid="0", interest_paid="0",
                  txn_id: str | None = None) -> None:
    """Insert one repayment (row_key = txn_id or a key made of the row, as the pipeline would)."""
    key = txn_id or f"{loan_id}|{paid_on}|{principal_paid}|{interest_paid}"
    con.execute(
        "insert into repayments (row_key, txn_id, loan_id, paid_on, principal_paid, interest_paid, batch_id)"
        " values (?, ?, ?, ?::date, ?::decimal(18,2), ?::decimal(18,2), ?)",
        [key, txn_id, loan_id, paid_on, _s(principal_paid), _s(interest_paid), BATCH],
    )


def add_schedule(con, loan_id: str, due_on: str, principal_due="0", interest_due="0") -> None:
    """Insert one supplied schedule row (R-SCHED: a supplied schedule replaces the standard one)."""
    con.execute(
        "insert into schedule (loan_id, due_on, principal_due, interest_due, batch_id)"
        " values (?, ?::date, ?::decimal(18,2), ?::decimal(18,2), ?)",
        [loan_id, due_on, _s(principal_due), _s(interest_due), BATCH],
    )


def add_event(con, loan_id: str, event_on: str, kind: str, amount=None, party: str | None = None) -> None:
    """Insert one risk event: compensation_notice / compensation / recovery / write_off."""
    con.execute(
        "insert into events (loan_id, event_on, kind, party, amount, batch_id)"
        " values (?, ?::date, ?, ?, ?::decimal(18,2), ?)",
        [loan_id, event_on, kind, party, _s(amount), BATCH],
    )


def add_decision(con, decided_on: str, kind: str = "resume", note: str | None = None) -> None:
    """Insert one business decision (resume / halt)."""
    con.execute(
        "insert into decisions (decided_on, kind, note, batch_id) values (?::date, ?, ?, ?)",
        [decided_on, kind, note, BATCH],
    )


def add_subsidy_paid(con, loan_id: str, kind: str, amount, paid_on: str) -> None:
    """Insert one subsidy payment of the subsidies ledger."""
    con.execute(
        "insert into subsidies (loan_id, kind, amount, paid_on, batch_id) values (?, ?, ?::decimal(18,2), ?::date, ?)",
        [loan_id, kind, _s(amount), paid_on, BATCH],
    )


def D(text: str) -> Decimal:
    """Shorthand for an exact expected amount."""
    return Decimal(text)


def add_repaid_loan(con, loan_id: str, disbursed_on: str, matures_on: str, principal="1000000.00",
                    interest="10000.00", paid_on: str | None = None, **loan) -> None:
    """A loan with one supplied due at maturity (principal + interest) repaid in full on ``paid_on``
    (default: the maturity day, i.e. on time)."""
    add_loan(con, loan_id, disbursed_on=disbursed_on, matures_on=matures_on, principal=principal, **loan)
    add_schedule(con, loan_id, matures_on, principal, interest)
    add_repayment(con, loan_id, paid_on or matures_on, principal, interest)


def defaulted_loan(con, loan_id="L1", principal="1000000.00", **kw):
    """The defaulted loan of the R-COMP and R-LOSS tests: 1,000,000 yuan disbursed 2025-01-10, one
    supplied due on 2025-06-10 (principal 1,000,000 + interest 10,000), never paid. By R-DPD it is 1 day
    past due at the end of 06-11, so DPD at date d = d − 2025-06-10: 59 on 08-08, 60 on 08-09 (June 10 →
    July 10 is 30 days, July 10 → Aug 9 is 30 more)."""
    add_loan(con, loan_id, principal=principal, disbursed_on="2025-01-10", matures_on="2025-06-10", **kw)
    add_schedule(con, loan_id, "2025-06-10", principal, "10000.00")
