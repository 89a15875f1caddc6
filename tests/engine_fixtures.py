"""Build small ledgers for engine tests by inserting rows straight into the schema's tables.

The ingestion pipeline is tested elsewhere; the engine only reads the tables, so tests write
exactly the rows they reason about. Amounts are given as strings or Decimals (exact).

Also the profile, ledgers and helpers that several golden test files share (tests/test_r_*.py of
R-SCHED, R-DPD, R-NPL, R-HALT, R-CLASS, R-ALERT60, and tests/test_derived.py): dpd_ledger,
halt_ledger, ageing_ledger, state, due_rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import pandas as pd

from pipelines import profile as profile_mod
from pipelines import store
from queries import dpd, schedule


def D(x) -> Decimal:
    return Decimal(str(x))


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _text(v):
    """Amounts and dates go in as text and are cast in SQL (no float on the way); None stays null."""
    return None if v is None else str(v)


@dataclass
class Ledger:
    """Rows to insert; ``write(db_path)`` puts them into a fresh initialised database."""

    loans: list[dict] = field(default_factory=list)
    schedule: list[tuple] = field(default_factory=list)
    repayments: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    decisions: list[tuple] = field(default_factory=list)
    collateral: list[tuple] = field(default_factory=list)

    def loan(self, loan_id, principal, disbursed_on, matures_on, rate="0.0400", bank="BankA",
             guarantor="GuarA", appraiser="AppA", pledge_mode=None, credit_code=None, enterprise=None,
             appraised_value=None, fair_value=None, guarantee_fee=None, appraisal_fee=None, renewed_from=None):
        """One loan. appraised_value defaults to twice the principal; the fees, fair value and
        renewed_from default to null (the compliance and subsidy cases set them)."""
        mode = pledge_mode or ("indirect" if guarantor else "direct")
        self.loans.append(dict(
            loan_id=loan_id, enterprise_name=enterprise or f"企业{loan_id}",
            credit_code=credit_code or f"91360000CODE{loan_id}"[:18], bank=bank, pledge_mode=mode,
            guarantor=guarantor, appraiser=appraiser, principal=str(principal), annual_rate=str(rate),
            disbursed_on=str(disbursed_on), matures_on=str(matures_on),
            appraised_value=_text(appraised_value), fair_value=_text(fair_value),
            guarantee_fee=_text(guarantee_fee), appraisal_fee=_text(appraisal_fee), renewed_from=renewed_from,
        ))
        return self

    def pledge(self, loan_id, ip_number, ip_type="invention_patent", ip_expires_on=None, appraised_value=None):
        """One pledged IP right of a loan (the collateral ledger)."""
        self.collateral.append((loan_id, ip_type, ip_number, _text(ip_expires_on), _text(appraised_value)))
        return self

    def due(self, loan_id, due_on, principal_due, interest_due):
        self.schedule.append((loan_id, str(due_on), str(principal_due), str(interest_due)))
        return self

    def pay(self, loan_id, paid_on, principal_paid="0", interest_paid="0", txn_id=None):
        key = txn_id or f"{loan_id}-{paid_on}-{len(self.repayments)}"
        self.repayments.append((key, txn_id, loan_id, str(paid_on), str(principal_paid), str(interest_paid)))
        return self

    def event(self, loan_id, event_on, kind, amount=None, party=None):
        self.events.append((loan_id, str(event_on), kind, party, None if amount is None else str(amount)))
        return self

    def decision(self, decided_on, kind, note=None):
        self.decisions.append((str(decided_on), kind, note))
        return self

    def write(self, db_path) -> None:
        """Insert the rows into the database file ``db_path`` (created with the schema if new)."""
        with store.write_connection(db_path) as con:
            self.insert(con)

    def memory(self):
        """An in-memory DuckDB connection with the schema and these rows (fast, for property tests)."""
        con = duckdb.connect(":memory:")
        store.init_schema(con)
        self.insert(con)
        return con

    def insert(self, con) -> None:
        """Insert the rows through ``con``."""
        for row in self.loans:
            con.execute(
                "insert into loans (loan_id, enterprise_name, credit_code, bank, pledge_mode, guarantor, "
                "appraiser, principal, annual_rate, disbursed_on, matures_on, appraised_value, fair_value, "
                "guarantee_fee, appraisal_fee, renewed_from, batch_id) "
                "values (?, ?, ?, ?, ?, ?, ?, ?::decimal(18,2), ?::decimal(12,8), ?::date, ?::date, "
                "coalesce(?::decimal(18,2), ?::decimal(18,2) * 2), ?::decimal(18,2), ?::decimal(18,2), "
                "?::decimal(18,2), ?, 1)",
                [row["loan_id"], row["enterprise_name"], row["credit_code"], row["bank"], row["pledge_mode"],
                 row["guarantor"], row["appraiser"], row["principal"], row["annual_rate"],
                 row["disbursed_on"], row["matures_on"], row["appraised_value"], row["principal"],
                 row["fair_value"], row["guarantee_fee"], row["appraisal_fee"], row["renewed_from"]],
            )
        if self.schedule:
            con.executemany(
                "insert into schedule (loan_id, due_on, principal_due, interest_due, batch_id) "
                "values (?, ?::date, ?::decimal(18,2), ?::decimal(18,2), 1)", self.schedule)
        if self.repayments:
            con.executemany(
                "insert into repayments (row_key, txn_id, loan_id, paid_on, principal_paid, interest_paid, "
                "batch_id) values (?, ?, ?, ?::date, ?::decimal(18,2), ?::decimal(18,2), 1)", self.repayments)
        if self.events:
            con.executemany(
                "insert into events (loan_id, event_on, kind, party, amount, batch_id) "
                "values (?, ?::date, ?, ?, ?::decimal(18,2), 1)", self.events)
        if self.decisions:
            con.executemany(
                "insert into decisions (decided_on, kind, note, batch_id) values (?::date, ?, ?, 1)",
                self.decisions)
        if self.collateral:
            con.executemany(
                "insert into collateral (loan_id, ip_type, ip_number, ip_expires_on, appraised_value, batch_id) "
                "values (?, ?, ?, ?::date, ?::decimal(18,2), 1)", self.collateral)


def complete_ledger() -> Ledger:
    """A bit of everything: generated and supplied schedules, late and paid loans, a direct pledge,
    a compensated loan with notice, recovery and write-off, halt and resume decisions.

    At 2024-06-30 (hand-checked in tests/test_report.py): K1 15 DPD (June interest), K2 current,
    K3 141 DPD with 60,000 left after 240,000 compensation, K4 29 DPD."""
    ledger = Ledger()
    ledger.loan("K1", "1000000", "2024-01-15", "2025-01-15", rate="0.0345")
    ledger.loan("K2", "500000", "2024-02-01", "2024-08-01", rate="0.0345", guarantor=None)
    ledger.due("K2", "2024-03-01", "0", "1437.50").due("K2", "2024-08-01", "500000", "1437.50")
    ledger.loan("K3", "300000", "2024-01-10", "2024-04-10", rate="0.0345", bank="BankB")
    ledger.loan("K4", "200000", "2024-05-01", "2024-11-01", rate="0.0345", appraiser="AppB")
    for month in ("02", "03", "04", "05"):
        ledger.pay("K1", f"2024-{month}-15", interest_paid="2970.83")
    ledger.pay("K2", "2024-03-01", interest_paid="1437.50")
    ledger.pay("K2", "2024-08-01", principal_paid="500000", interest_paid="1437.50")
    ledger.event("K3", "2024-06-10", "compensation_notice")
    ledger.event("K3", "2024-06-20", "compensation", "210000", "guarantor")
    ledger.event("K3", "2024-06-25", "compensation", "30000", "appraiser")
    ledger.event("K3", "2024-08-01", "recovery", "10000", "bank")
    ledger.event("K3", "2024-09-01", "write_off", "60000", "bank")
    ledger.decision("2024-04-20", "halt").decision("2024-05-01", "resume")
    return ledger


PROFILE = profile_mod.load("anyi")


def with_values(**changes) -> profile_mod.Profile:
    p = PROFILE
    return profile_mod.Profile(p.name, p.title_zh, p.title_en, {**p.values, **changes}, p.extra)


def state(con, loan_id, at) -> dict:
    frame = dpd.loan_state_at(con, pd.DataFrame({"loan_id": [loan_id], "at": [day(at)]}), PROFILE)
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


def due_rows(con, loan_id, profile=PROFILE):
    frame = schedule.dues(con, loan_id, profile)
    return [(r.due_on, r.principal_due, r.interest_due) for r in frame.itertuples()]


def dpd_ledger() -> Ledger:
    """Each loan: interest 100.00 due 10 Jan 2024, principal 10,000 + interest 100 due 10 Feb 2024."""
    ledger = Ledger()
    for loan in ("ON_TIME", "SHORT_001", "SHORT_002", "UNPAID", "PRINCIPAL_LATE"):
        ledger.loan(loan, "10000", "2023-12-10", "2024-02-10")
        ledger.due(loan, "2024-01-10", "0", "100.00").due(loan, "2024-02-10", "10000", "100.00")
    ledger.pay("ON_TIME", "2024-01-10", interest_paid="100.00")   # paid on its due date
    ledger.pay("SHORT_001", "2024-01-10", interest_paid="99.99")  # shortfall 0.01: tolerated
    ledger.pay("SHORT_002", "2024-01-10", interest_paid="99.98")  # shortfall 0.02: not tolerated
    ledger.pay("PRINCIPAL_LATE", "2024-01-10", interest_paid="100.00")
    ledger.pay("PRINCIPAL_LATE", "2024-02-10", interest_paid="100.00")  # interest paid, principal not
    return ledger


def halt_ledger() -> Ledger:
    """949,900 performing + 50,100 with monthly interest: 50,100 / 1,000,000 = 5.01% when late.

    H_B interest 100.00 due 1 Feb, 1 Apr; paid 10 Feb and 20 Apr. Decisions: resume 1 Mar,
    resume 2 Apr (the day the second halt opens: does nothing), resume 15 Apr (while still
    breached), resume 1 May, halt 3 Jun, resume 10 Jun."""
    ledger = Ledger()
    ledger.loan("H_A", "949900", "2024-01-01", "2024-12-31").due("H_A", "2024-12-31", "949900", "0")
    ledger.loan("H_B", "50100", "2024-01-01", "2024-12-31")
    ledger.due("H_B", "2024-02-01", "0", "100.00").due("H_B", "2024-04-01", "0", "100.00")
    ledger.due("H_B", "2024-12-31", "50100", "0")
    ledger.pay("H_B", "2024-02-10", interest_paid="100.00").pay("H_B", "2024-04-20", interest_paid="100.00")
    for on, kind in (("2024-03-01", "resume"), ("2024-04-02", "resume"), ("2024-04-15", "resume"), ("2024-05-01", "resume"),
                     ("2024-06-03", "halt"), ("2024-06-10", "resume")):
        ledger.decision(on, kind)
    return ledger


AS_OF = day("2025-06-30")


DPDS = (0, 29, 30, 59, 60, 89, 90, 91, 270, 271, 360, 361)


def ageing_ledger() -> Ledger:
    """One 1,000 loan per DPD value: interest 10.00 due AS_OF − dpd days, never paid."""
    ledger = Ledger()
    for days in DPDS:
        loan = f"A{days:03d}"
        ledger.loan(loan, "1000", "2024-01-01", "2025-12-31")
        due = AS_OF - dt.timedelta(days=days)  # dpd 0: due on AS_OF itself, not late yet
        ledger.due(loan, due.isoformat(), "0", "10.00").due(loan, "2025-12-31", "1000", "0")
    return ledger
