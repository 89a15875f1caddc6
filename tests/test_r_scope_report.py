"""R-SCOPE in the report CLI (LEDGER.md ``--scope bank:NAME | guarantor:NAME | appraiser:NAME``): a
party's pack lists exactly its loans in every loan-level section and the same program-wide figures
as the report without --scope; an unknown organisation or a malformed scope is refused with a
message in both languages (exit 2, no traceback).

The party's loans come from the loans ledger read here; each loan-level section of the scoped
JSON is compared with the unscoped JSON's section narrowed to those loans, and the subsidy list
with the unscoped eligible rows of those loans summed in the test.
"""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal, localcontext

import openpyxl
import pytest

from pipelines import store
from queries import report, subsidies

PROGRAM_WIDE = ("as_of", "active_balance", "overdue_balance", "npl_ratio", "status", "halted_since", "headroom")
LOAN_SECTIONS = ("loans", "alerts_60d", "compensations", "compliance", "collateral", "coverage")


@pytest.fixture(scope="module")
def ledger(demo_db):
    with store.read_connection(demo_db) as con:
        rows = con.execute("select loan_id, bank, guarantor, appraiser, credit_code from loans").fetchall()
    return [dict(zip(("loan_id", "bank", "guarantor", "appraiser", "credit_code"), r, strict=True)) for r in rows]


def own(ledger, role, name) -> set[str]:
    return {r["loan_id"] for r in ledger if r[role] == name}


def run_json(db, as_of, tmp_path, *extra) -> dict:
    out = tmp_path / f"report{len(list(tmp_path.iterdir()))}.json"
    assert report.main(["--db", str(db), "--as-of", as_of.isoformat(), "--format", "json", "--out", str(out),
                        *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture(scope="module")
def unscoped(demo_db, as_of, tmp_path_factory):
    return run_json(demo_db, as_of, tmp_path_factory.mktemp("unscoped"))


def names(ledger, role):
    return sorted({r[role] for r in ledger if r[role] is not None})


def check_pack(rep: dict, whole: dict, ids: set[str], credit_codes: set[str], eligible_sums: dict, name: str):
    """Every loan-level section of ``rep`` is ``whole``'s narrowed to ``ids``; program figures equal."""
    for key in PROGRAM_WIDE:
        assert rep[key] == whole[key], (name, key)
    for key in LOAN_SECTIONS:
        assert {r["loan_id"] for r in rep[key]} <= ids, (name, key)
        assert rep[key] == [r for r in whole[key] if r["loan_id"] in ids], (name, key)
    assert {r["credit_code"] for r in rep["subsidies"]} <= credit_codes
    assert {(r["year"], r["credit_code"], r["kind"]): r["amount"] for r in rep["subsidies"]} == eligible_sums, name
    o, w = rep["outlook"], whole["outlook"]
    for key in ("loans_to_breach", "days_to_breach", "hhi"):
        assert o[key] == w[key], (name, key)
    assert o["breach_loans"] == [x for x in w["breach_loans"] if x in ids]
    # the pack's own book: the party's active loans and their overdue part, not the trigger ratio
    assert rep["scope"]["own_active_balance"] == sum((r["outstanding"] for r in rep["loans"]), Decimal(0))
    assert rep["loans"], name  # every demo party has active loans at the demo's end


def eligible_by(con, as_of, prof, ids) -> dict:
    rows = subsidies.eligible(con, as_of, prof)
    out = {}
    for r in rows.to_dict("records"):
        if r["loan_id"] in ids:
            key = (int(r["year"]), r["credit_code"], r["kind"])
            out[key] = out.get(key, Decimal(0)) + r["amount"]
    return {k: v.quantize(Decimal("0.01")) for k, v in out.items()}


def test_scope_bank_lists_exactly_that_banks_loans(demo_db, prof, as_of, ledger, unscoped, tmp_path):
    banks = names(ledger, "bank")
    assert len(banks) == 6
    packs = []
    with store.read_connection(demo_db) as con:
        for bank in banks:
            ids = own(ledger, "bank", bank)
            rep = run_json(demo_db, as_of, tmp_path, "--scope", f"bank:{bank}")
            packs += rep["loans"]
            codes = {r["credit_code"] for r in ledger if r["loan_id"] in ids}
            check_pack(rep, unscoped, ids, codes, eligible_by(con, as_of, prof, ids), bank)
            assert {r["bank"] for r in rep["loans"]} == {bank}
            assert rep["outlook"]["wall"] == [r for r in unscoped["outlook"]["wall"] if r["bank"] == bank]
            assert rep["scope"]["scope_role"] == "bank" and rep["scope"]["scope_organisation"] == bank
            # the scoped figures: overdue = active loans at DPD >= the threshold (R-NPL) among its own
            a = sum((r["outstanding"] for r in rep["loans"]), Decimal(0))
            o = sum((r["outstanding"] for r in rep["loans"] if r["dpd"] >= prof.overdue_dpd_threshold), Decimal(0))
            with localcontext() as ctx:
                ctx.prec = 60
                want = (o / a).quantize(Decimal("1e-18"), rounding=ROUND_HALF_UP)
            assert rep["scope"]["own_overdue_balance"] == o and rep["scope"]["own_npl_ratio"] == want
    # the six packs together are the whole program's loan list, each loan in one pack
    assert sorted(packs, key=lambda r: r["loan_id"]) == unscoped["loans"]


@pytest.mark.parametrize("role", ["guarantor", "appraiser"])
def test_scope_guarantor_and_appraiser_list_exactly_their_loans(demo_db, prof, as_of, ledger, unscoped, tmp_path,
                                                                role):
    with store.read_connection(demo_db) as con:
        for name in names(ledger, role):
            ids = own(ledger, role, name)
            rep = run_json(demo_db, as_of, tmp_path, "--scope", f"{role}:{name}")
            codes = {r["credit_code"] for r in ledger if r["loan_id"] in ids}
            check_pack(rep, unscoped, ids, codes, eligible_by(con, as_of, prof, ids), name)


def test_the_unscoped_report_has_no_scope_key(unscoped):
    assert list(unscoped) == list(report.REPORT_KEYS)


def test_csv_and_xlsx_of_a_scoped_pack_hold_the_same_loans(demo_db, as_of, ledger, tmp_path):
    bank = names(ledger, "bank")[0]
    rep = run_json(demo_db, as_of, tmp_path, "--scope", f"bank:{bank}")
    ids = [r["loan_id"] for r in rep["loans"]]
    assert report.main(["--db", str(demo_db), "--as-of", as_of.isoformat(), "--format", "csv",
                        "--out", str(tmp_path / "csv"), "--scope", f"bank:{bank}"]) == 0
    with open(tmp_path / "csv" / "loans.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert [r[0] for r in rows[1:]] == ids
    with open(tmp_path / "csv" / "scope.csv", encoding="utf-8-sig", newline="") as f:
        scope_rows = {r[0]: r[3] for r in csv.reader(f)}
    assert scope_rows["scope_organisation"] == bank
    assert report.main(["--db", str(demo_db), "--as-of", as_of.isoformat(), "--format", "xlsx",
                        "--out", str(tmp_path / "pack.xlsx"), "--scope", f"bank:{bank}"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    assert [r[0] for r in wb["loans"].iter_rows(min_row=3, values_only=True)] == ids
    assert "scope" in wb.sheetnames


@pytest.mark.parametrize("scope,en", [
    ("bank:没有这家银行", "No bank of that name"),
    ("guarantor:九江银行安义支行", "No guarantor of that name"),  # a bank is not a guarantor
    ("bank", "--scope must be"),
    ("bank:", "--scope must be"),
    ("lender:X", "--scope must be"),
])
def test_a_bad_or_unknown_scope_is_refused_in_both_languages(demo_db, as_of, capsys, scope, en):
    assert report.main(["--db", str(demo_db), "--as-of", as_of.isoformat(), "--scope", scope]) == 2
    err = capsys.readouterr()
    assert en in err.err and any("\u4e00" <= ch <= "\u9fff" for ch in err.err.split(en)[0])
    assert "Traceback" not in err.err and err.out == ""
