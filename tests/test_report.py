"""The report CLI and its exports (LEDGER.md "Command-line interface"; labels shared via queries/labels.py)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from engine_fixtures import complete_ledger

from pipelines import profile as profile_mod
from pipelines import store
from queries import alert60, classification, dpd, halt, labels, outlook, ratio, report, schedule

PROFILE = profile_mod.load("anyi")
KEYS = ["as_of", "active_balance", "overdue_balance", "npl_ratio", "status", "halted_since", "headroom",
        "loans", "alerts_60d", "compensations", "compliance", "subsidies",
        "collateral", "coverage", "coverage_totals", "outlook", "stale_banks"]


@pytest.fixture
def db(db_path):
    complete_ledger().write(db_path)
    return db_path


def run_cli(capsys, *args) -> str:
    assert report.main(list(args)) == 0
    return capsys.readouterr().out


def test_json_has_exactly_the_ledger_keys_and_exact_values(db, capsys):
    out = run_cli(capsys, "--db", str(db), "--as-of", "2024-06-30", "--format", "json")
    data = json.loads(out, parse_float=Decimal)
    assert list(data) == KEYS
    assert data["as_of"] == "2024-06-30"
    # active: K1 1,000,000 + K2 500,000 + K3 (300,000 − 210,000 − 30,000 compensation) 60,000 + K4 200,000
    assert data["active_balance"] == Decimal("1760000.00")
    # overdue: K1 (15 DPD), K3 (141), K4 (29) — whole balances: 1,000,000 + 60,000 + 200,000
    assert data["overdue_balance"] == Decimal("1260000.00")
    # 1,260,000 / 1,760,000 = 0.715909090909… unrounded, to the engine's 18 decimals
    assert data["npl_ratio"] == Decimal("0.715909090909090909")
    # headroom 0.05 × 1,760,000 − 1,260,000 = −1,172,000; money rounded to the fen
    assert data["headroom"] == Decimal("-1172000.00")
    # K3 breaches from 11 Feb; the resume of 1 May comes while still breached: a new halt from 1 May
    assert (data["status"], data["halted_since"]) == ("halted", "2024-05-01")
    assert data["loans"] == [
        {"loan_id": "K1", "bank": "BankA", "outstanding": Decimal("1000000.00"), "dpd": 15},
        {"loan_id": "K2", "bank": "BankA", "outstanding": Decimal("500000.00"), "dpd": 0},
        {"loan_id": "K3", "bank": "BankB", "outstanding": Decimal("60000.00"), "dpd": 141},
        {"loan_id": "K4", "bank": "BankA", "outstanding": Decimal("200000.00"), "dpd": 29},
    ]
    # K3's 10 Feb interest unpaid: 141 days at 30 Jun; on the list since 10 Feb + 60 = 10 Apr
    assert data["alerts_60d"] == [{"loan_id": "K3", "dpd": 141, "alert_since": "2024-04-10"}]
    assert [c["loan_id"] for c in data["compensations"]] == ["K3"]
    assert set(data["compensations"][0]) == set(labels.SECTIONS["compensations"])
    assert {"loan_id": "K4", "rule": "C10"} in data["compliance"]  # disbursed 1 May, halted at end of 30 Apr
    assert all(set(c) == {"loan_id", "rule"} for c in data["compliance"])
    assert [c["loan_id"] for c in data["compliance"]] == sorted(c["loan_id"] for c in data["compliance"])
    assert isinstance(data["subsidies"], list)
    # R-BREAK: headroom −1,172,000 is negative: 0 and []; R-PROJ: already above at t: 0 and 0
    # R-WALL: K2's 500,000 falls due on 1 August (32 days: in 60 and 90); K4's 200,000 on 1 November (out)
    # R-HHI: BankA 1,700,000 and BankB 60,000 of 1,760,000
    assert data["outlook"] == {
        "loans_to_breach": 0, "breach_loans": [], "days_to_breach": {"base": 0, "stress": 0},
        "wall": [{"horizon": 60, "bank": "BankA", "principal_current": Decimal("500000.00"),
                  "principal_late": Decimal("0.00")},
                 {"horizon": 90, "bank": "BankA", "principal_current": Decimal("500000.00"),
                  "principal_late": Decimal("0.00")}],
        "hhi": [{"dimension": "bank", "hhi": Decimal("0.934142561983471074"),
                 "top_share": Decimal("0.965909090909090909")},
                {"dimension": "guarantor", "hhi": Decimal("1"), "top_share": Decimal("1")},
                {"dimension": "appraiser", "hhi": Decimal("0.798553719008264463"),
                 "top_share": Decimal("0.886363636363636364")},
                {"dimension": "industry", "hhi": None, "top_share": None},
                {"dimension": "ip_type", "hhi": None, "top_share": None}],
    }


def test_json_null_ratio_on_an_empty_store(db_path, capsys):
    data = json.loads(run_cli(capsys, "--db", str(db_path), "--as-of", "2024-06-30"), parse_float=Decimal)
    assert list(data) == KEYS
    assert (data["npl_ratio"], data["active_balance"], data["status"], data["loans"]) == (None, 0, "normal", [])


def test_json_number_text_is_exact():
    # money half-up to the fen, ratios unrounded with trailing zeros dropped
    assert report._number("headroom", Decimal("-925000.0050000000")) == "-925000.01"
    assert report._number("npl_ratio", Decimal("0.050000000000000000")) == "0.05"
    assert report._number("npl_ratio", Decimal("0E-18")) == "0"


def test_json_lists_written_column_by_column_read_as_value_by_value():
    import datetime as dt

    rows = [
        {"loan_id": "K1", "bank": "银行\"甲\"\n", "outstanding": Decimal("10.005"), "dpd": 3,
         "alert_since": dt.date(2024, 4, 10), "npl_ratio": Decimal("0.0500"), "confirmed": True},
        {"loan_id": "K2", "bank": None, "outstanding": Decimal("-0.005"), "dpd": None,
         "alert_since": None, "npl_ratio": None, "confirmed": False},
        {"loan_id": "K%s", "bank": "B", "outstanding": 7.25, "dpd": 0,
         "alert_since": dt.datetime(2024, 4, 10, 8, 30), "npl_ratio": 0.125, "confirmed": None},
    ]
    expected = ['    {"loan_id": "K1", "bank": "银行\\"甲\\"\\n", "outstanding": 10.01, "dpd": 3, '
                '"alert_since": "2024-04-10", "npl_ratio": 0.05, "confirmed": true}',
                '    {"loan_id": "K2", "bank": null, "outstanding": -0.01, "dpd": null, '
                '"alert_since": null, "npl_ratio": null, "confirmed": false}',
                '    {"loan_id": "K%s", "bank": "B", "outstanding": 7.25, "dpd": 0, '
                '"alert_since": "2024-04-10T08:30:00", "npl_ratio": 0.125, "confirmed": null}']
    assert report._json_rows(rows, "    ") == expected
    # one type per column (the common case) and rows whose keys differ give the same text as one
    # object at a time
    same = [dict(r, outstanding=Decimal("1.5"), alert_since=dt.date(2025, 1, 1)) for r in rows]
    assert report._json_rows(same, "  ") == ["  " + report._json_object(r) for r in same]
    ragged = [rows[0], {"dpd": 1, "loan_id": "K9"}]
    assert report._json_rows(ragged, "") == [report._json_object(r) for r in ragged]
    assert report._json_rows([{}, {}], "") == ["{}", "{}"]


def test_money_column_text_is_the_half_up_fen_of_each_value():
    values = [Decimal(v) for v in ("2000.00", "-5.00", "0.00", "-0.00", "0.01", "1.005", "-0.005", "100.5",
                                   "1E+2", "12", "1.2E+5", "5E-2", "12345678901234567890123.45")]
    assert report._money_texts(values) == [report._money_text(v) for v in values]
    assert report._money_texts(values)[:9] == ["2000.00", "-5.00", "0.00", "-0.00", "0.01", "1.01", "-0.01",
                                               "100.50", "100.00"]


def test_xlsx_sheets_headers_and_formats(db, tmp_path):
    out = tmp_path / "r.xlsx"
    assert report.main(["--db", str(db), "--as-of", "2024-06-30", "--format", "xlsx", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["summary", "loans", "alerts_60d", "compensations", "compliance", "subsidies",
                             "collateral", "coverage", "coverage_totals", *report.OUTLOOK_SECTIONS,
                             *report.LATER_SECTIONS]
    assert [c.value for c in wb["outlook_wall"]["A"][2:]] == [60, 90]
    assert wb["outlook_wall"]["C3"].number_format == "#,##0.00"
    loans = wb["loans"]
    assert [c.value for c in loans[1]] == ["借据号", "贷款银行", "贷款余额（元）", "逾期天数"]  # money names its unit
    assert [c.value for c in loans[2]] == ["Loan ID", "Bank", "Outstanding (CNY)", "Days past due"]
    assert loans.freeze_panes == "A3"
    assert [c.value for c in loans["A"][2:]] == ["K1", "K2", "K3", "K4"]
    assert loans["C5"].value == 60000 and loans["C5"].number_format == "#,##0.00"
    summary = {row[0].value: row[3].value for row in wb["summary"].iter_rows(min_row=3)}
    assert summary["active_balance"] == 1760000 and summary["status"] == "halted"


def test_csv_one_file_per_section_with_bom(db, tmp_path):
    out = tmp_path / "csv"
    assert report.main(["--db", str(db), "--as-of", "2024-06-30", "--format", "csv", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{s}.csv" for s in
                                                          ("summary", *report.LIST_SECTIONS,
                                                           *report.OBJECT_SECTIONS, *report.OUTLOOK_SECTIONS,
                                                           *report.LATER_SECTIONS))
    raw = (out / "loans.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader((out / "loans.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["借据号 (loan_id)", "贷款银行 (bank)", "贷款余额（元） (outstanding)", "逾期天数 (dpd)"]
    assert rows[3] == ["K3", "BankB", "60000.00", "141"]


def test_bad_date_is_refused_in_both_languages(db, capsys):
    assert report.main(["--db", str(db), "--as-of", "30/06/2024"]) == 2
    err = capsys.readouterr().err
    assert "日期格式" in err and "Date must be" in err


def test_every_engine_column_has_a_label(db):
    """Each column the engine returns is labelled in Chinese and English (dashboard, exports)."""
    with store.read_connection(db) as con:
        frames = {
            "snapshot": dpd.loan_snapshot(con, "2024-06-30", PROFILE),
            "series": ratio.npl_series(con, PROFILE),
            "halt_episodes": halt.halt_episodes(con, PROFILE),
            "resumes": halt.resumes(con, PROFILE),
            "ageing": dpd.ageing(con, "2024-06-30", PROFILE),
            "classification": classification.classification(con, "2024-06-30", PROFILE),
            "breakdown": ratio.breakdown(con, "2024-06-30", PROFILE, "bank"),
            "alerts": alert60.alerts(con, "2024-06-30", PROFILE),
            "dues": schedule.dues(con, "K1", PROFILE),
            "payments": dpd.payments(con, "K3"),
            "loan_history": dpd.loan_history(con, "K3", PROFILE),
            "projection": outlook.projection(con, "2024-06-30", PROFILE),
            "breach_loans": outlook.breach(con, "2024-06-30", PROFILE)["breach_loans"],
            "wall": outlook.wall(con, "2024-06-30", PROFILE),
            "hhi": outlook.hhi(con, "2024-06-30", PROFILE),
            "roll": outlook.roll(con, "2024-06-30", PROFILE)["matrix"],
        }
        head = ratio.summary(con, "2024-06-30", PROFILE)
    for section, frame in frames.items():
        assert isinstance(frame, pd.DataFrame)
        assert tuple(frame.columns) == labels.SECTIONS[section], section
    unlabelled = [c for f in frames.values() for c in f.columns if c not in labels.COLUMNS]
    unlabelled += [k for k in head if k not in labels.COLUMNS and k != "scope"]
    assert unlabelled == []
    assert all(zh and en for zh, en, _ in labels.COLUMNS.values())


def test_collateral_sections_have_the_ledger_shapes_and_print_after_the_others(db, tmp_path, capsys):
    """R-IPSTAT / R-COVER keys (LEDGER.md): K1 pledges a patent terminated on 1 May and a trademark
    that expires before K1 matures; each weighs 1 (no values), so K1 keeps half its 2,000,000."""
    with store.write_connection(db) as con:
        con.execute("insert into collateral (loan_id, ip_type, ip_number, ip_expires_on, batch_id) values "
                    "('K1', 'invention_patent', 'ZL201910000001.1', date '2039-01-01', 1), "
                    "('K1', 'trademark', 'TM1', date '2024-12-31', 1)")
        con.execute("insert into ip_status (ip_number, status_on, status, batch_id) values "
                    "('ZL201910000001.1', date '2024-05-01', 'terminated', 1)")
    out = run_cli(capsys, "--db", str(db), "--as-of", "2024-06-30", "--format", "json")
    assert ('\n  "coverage_totals": {"lost_balance": 1000000.00, "at_risk_balance": 0.00, '
            '"uncovered": 400000.00},\n  "outlook": {') in out
    data = json.loads(out, parse_float=Decimal)
    assert data["collateral"] == [
        {"loan_id": "K1", "ip_number": "TM1", "status": "valid", "watch": "expires_before_maturity",
         "lost": False, "at_risk": False},
        {"loan_id": "K1", "ip_number": "ZL201910000001.1", "status": "terminated", "watch": None,
         "lost": True, "at_risk": False}]
    # 1,000,000 outstanding on 1,000,000 left: ltv 1, uncovered 1,000,000 − 0.6 × 1,000,000
    assert data["coverage"] == [{"loan_id": "K1", "pledge_value": Decimal("1000000.00"), "ltv": 1,
                                 "uncovered": Decimal("400000.00")}]
    rows = list(csv.reader((tmp_path / "csv" / "coverage_totals.csv").read_text(encoding="utf-8-sig").splitlines())) \
        if report.main(["--db", str(db), "--as-of", "2024-06-30", "--format", "csv",
                        "--out", str(tmp_path / "csv")]) == 0 else []
    assert rows[1:] == [["lost_balance", "质押物灭失贷款余额", "Balance with lost IP", "1000000.00"],
                        ["at_risk_balance", "质押物有风险贷款余额", "Balance with at-risk IP", "0.00"],
                        ["uncovered", "超出质押率部分", "Uncovered", "400000.00"]]
