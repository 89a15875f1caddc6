"""The report CLI over the whole demo period (issue 3: valid JSON for every month end).

Each month end's JSON is checked against invariants that tie its sections together and
against the engine's own month-end series (R-NPL, R-HALT), so a report that printed valid
but wrong JSON would fail here.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from compare_reports import month_ends
from dashboard_fixtures import build_demo_db

from pipelines import profile as profile_mod
from pipelines import store
from queries import derived, ratio, report

PROFILE = profile_mod.load("anyi")
KEYS = ["as_of", "active_balance", "overdue_balance", "npl_ratio", "status", "halted_since", "headroom",
        "loans", "alerts_60d", "compensations", "compliance", "subsidies",
        "collateral", "coverage", "coverage_totals", "outlook", "stale_banks"]


def _no_nan(token):
    raise ValueError(f"not valid JSON: {token}")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("report_demo"))


def test_json_for_every_month_end_of_the_demo(demo_db, capsys):
    with store.read_connection(demo_db) as con:
        first = derived.history_start(con)
        last = derived.latest_ledger_date(con)
        series = ratio.month_end_series(con, PROFILE)
    ends = month_ends(first.replace(day=1), last)
    # the demo runs 2022 to the end of 2025: 48 month ends
    assert (ends[0], ends[-1], len(ends)) == (dt.date(2022, 1, 31), dt.date(2025, 12, 31), 48)
    expected = {row.day: row for row in series.itertuples()}
    statuses = set()
    for day in ends:
        assert report.main(["--db", str(demo_db), "--as-of", day.isoformat(), "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out, parse_float=Decimal, parse_constant=_no_nan)
        assert list(data) == KEYS and data["as_of"] == day.isoformat()
        loans = data["loans"]
        assert [x["loan_id"] for x in loans] == sorted(x["loan_id"] for x in loans)
        # R-NPL: the active balance is the sum of the active loans' outstanding, exact to the fen
        assert sum((x["outstanding"] for x in loans), Decimal(0)) == data["active_balance"]
        overdue = sum((x["outstanding"] for x in loans if x["dpd"] >= 1), Decimal(0))
        assert overdue == data["overdue_balance"]
        if data["active_balance"]:
            expected_ratio = data["overdue_balance"] / data["active_balance"]
            assert abs(data["npl_ratio"] - expected_ratio) < Decimal("1e-17")
        else:
            assert data["npl_ratio"] is None
        # R-ALERT60: every alert is an active loan at DPD >= 60, with its DPD
        dpd = {x["loan_id"]: x["dpd"] for x in loans}
        assert all(a["dpd"] >= 60 and dpd[a["loan_id"]] == a["dpd"] for a in data["alerts_60d"])
        # R-HALT headroom = 5% × active − overdue
        assert data["headroom"] == (Decimal("0.05") * data["active_balance"] - data["overdue_balance"]).quantize(
            Decimal("0.01"))
        assert (data["halted_since"] is not None) == (data["status"] == "halted")
        # the same figures as the engine's month-end series
        row = expected[day]
        assert (data["active_balance"], data["overdue_balance"]) == (row.active_balance, row.overdue_balance)
        assert data["npl_ratio"] == row.npl_ratio
        assert (data["status"], data["halted_since"]) == (
            row.status, row.halted_since.isoformat() if row.halted_since else None)
        # R-BREAK / R-PROJ / R-WALL / R-HHI: the outlook object's invariants at every month end
        ol = data["outlook"]
        assert len(ol["breach_loans"]) == (ol["loans_to_breach"] or 0)
        assert (ol["loans_to_breach"] == 0) == (data["headroom"] < 0)
        above = data["overdue_balance"] > Decimal("0.05") * data["active_balance"]
        assert (ol["days_to_breach"]["base"] == 0) == above == (ol["days_to_breach"]["stress"] == 0)
        assert all(r["horizon"] in (30, 60, 90) and r["principal_current"] + r["principal_late"] > 0
                   for r in ol["wall"])
        assert [r["dimension"] for r in ol["hhi"]] == ["bank", "guarantor", "appraiser", "industry", "ip_type"]
        statuses.add(data["status"])
    # the demo's story shows every status at some month end (warning band, halt of 2024)
    assert statuses == {"normal", "warning", "halted"}
