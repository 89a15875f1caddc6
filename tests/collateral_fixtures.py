"""Small books for the R-IPSTAT / R-COVER tests: loans through engine_fixtures.Ledger, then the
pledged IP (collateral) and its legal-status records (ip_status) inserted straight into the schema."""

from __future__ import annotations

from engine_fixtures import Ledger

from pipelines import profile as profile_mod

PROFILE = profile_mod.load("anyi")


def book(ledger: Ledger, items=(), records=(), values=None):
    """An in-memory connection: ``ledger``'s loans, ``items`` (loan_id, ip_type, ip_number,
    ip_expires_on, appraised_value, filed_on), ``records`` (ip_number, status_on, status,
    fee_paid_until); ``values`` {loan_id: (appraised_value, fair_value)} replaces a loan's values."""
    con = ledger.memory()
    for loan_id, ip_type, number, expires, value, filed in items:
        con.execute("insert into collateral (loan_id, ip_type, ip_number, ip_expires_on, appraised_value, "
                    "filed_on, batch_id) values (?, ?, ?, ?::date, ?::decimal(18,2), ?::date, 1)",
                    [loan_id, ip_type, number, expires, None if value is None else str(value), filed])
    for number, on, status, paid_until in records:
        con.execute("insert into ip_status (ip_number, status_on, status, fee_paid_until, batch_id) "
                    "values (?, ?::date, ?, ?::date, 1)", [number, on, status, paid_until])
    for loan_id, (appraised, fair) in (values or {}).items():
        con.execute("update loans set appraised_value = ?::decimal(18,2), fair_value = ?::decimal(18,2) "
                    "where loan_id = ?", [str(appraised), None if fair is None else str(fair), loan_id])
    return con
