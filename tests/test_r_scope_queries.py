"""R-SCOPE in the query layer: for every bank, guarantor and appraiser of the demo database, each
loan-level family computes over exactly that party's loans, and the program-wide figures stay the
program's.

The reference is independent of the engine's scope filter: the party's loans are read straight
from the loans ledger here, and each scoped result is compared with the UNSCOPED result of the
same family narrowed to those loans in the test (rows equal, not just ids), so a scope that leaked
a row, lost one, or changed a figure would fail. The scoped NPL ratio is recomputed from the
unscoped snapshot's rows of the party's loans, rounded half-up at 18 places as the engine's
pw_ratio does.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pandas as pd
import pytest

from pipelines import store
from queries import (
    alert60,
    bans,
    claims,
    classification,
    collateral,
    compliance,
    dpd,
    halt,
    outlook,
    portfolio,
    ratio,
    renewals,
    schedule,
    subsidies,
)

ROLES = ("bank", "guarantor", "appraiser")


@pytest.fixture(scope="module")
def ledger(demo_db):
    """The loans ledger as the test reads it itself: loan_id, bank, guarantor, appraiser, credit_code."""
    with store.read_connection(demo_db) as con:
        rows = con.execute("select loan_id, bank, guarantor, appraiser, credit_code, enterprise_name, "
                           "disbursed_on from loans order by loan_id").fetchall()
    return pd.DataFrame(rows, columns=["loan_id", "bank", "guarantor", "appraiser", "credit_code",
                                       "enterprise_name", "disbursed_on"])


@pytest.fixture(scope="module")
def scopes(ledger):
    """Every (role, organisation) of the demo ledgers: 6 banks, 3 guarantors, 3 appraisers."""
    out = [(role, name) for role in ROLES for name in sorted(ledger[role].dropna().unique())]
    assert len(out) == 12
    return out


def own(ledger, role, name) -> set[str]:
    """The party's loans, straight from the ledger (the reference)."""
    return set(ledger.loc[ledger[role] == name, "loan_id"])


def narrowed(frame: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    """The unscoped frame's rows of ``ids``, in their order, reindexed (what the scope must give)."""
    return frame[frame["loan_id"].isin(ids)].reset_index(drop=True)


def same(scoped: pd.DataFrame, expected: pd.DataFrame, what: str):
    pd.testing.assert_frame_equal(scoped.reset_index(drop=True), expected.reset_index(drop=True),
                                  check_dtype=False, obj=what)


def ratio_of(overdue: Decimal, active: Decimal) -> Decimal | None:
    """overdue / active rounded half-up at 18 places (pw_ratio), None without an active balance."""
    if active <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        return (overdue / active).quantize(Decimal("1e-18"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- loan-level families

def test_snapshot_alerts_ageing_classification_are_the_partys_loans(demo_db, prof, as_of, ledger, scopes):
    with store.read_connection(demo_db) as con:
        snap_all = dpd.loan_snapshot(con, as_of, prof)
        alerts_all = alert60.alerts(con, as_of, prof)
        for role, name in scopes:
            ids = own(ledger, role, name)
            disbursed = set(ledger.loc[(ledger[role] == name) & (ledger["disbursed_on"] <= as_of), "loan_id"])
            snap = dpd.loan_snapshot(con, as_of, prof, {role: name})
            assert set(snap["loan_id"]) == disbursed and len(disbursed) > 0, (role, name)
            same(snap, narrowed(snap_all, ids), f"snapshot {role} {name}")
            same(alert60.alerts(con, as_of, prof, {role: name}), narrowed(alerts_all, ids), f"alerts {name}")
            active = snap[snap["active"]]
            # ageing and classification count exactly the party's active loans and balance
            for frame, key in ((dpd.ageing(con, as_of, prof, {role: name}), "bucket"),
                               (classification.classification(con, as_of, prof, {role: name}), "risk_class")):
                assert frame["loans"].sum() == len(active), (role, name, key)
                assert sum(frame["balance"], Decimal(0)) == sum(active["outstanding"], Decimal(0))
                for _, row in frame.iterrows():
                    part = active[active[key] == row[key]]
                    assert row["loans"] == len(part) and row["balance"] == sum(part["outstanding"], Decimal(0))


def test_claims_loss_sharing_and_bans_are_the_partys_loans(demo_db, prof, as_of, ledger, scopes):
    with store.read_connection(demo_db) as con:
        claims_all = claims.claims(con, as_of, prof)
        loss_all = claims.loss_sharing(con, as_of, prof)
        bans_all = bans.bans(con, as_of, prof)
        assert len(claims_all) == 3 and len(bans_all) == 3  # the demo's three notices
        seen = set()
        for role, name in scopes:
            ids = own(ledger, role, name)
            c = claims.claims(con, as_of, prof, {role: name})
            same(c, narrowed(claims_all, ids), f"claims {name}")
            same(claims.loss_sharing(con, as_of, prof, {role: name}), narrowed(loss_all, ids), f"loss {name}")
            b = bans.bans(con, as_of, prof, {role: name})
            expected = bans_all[[set(lst) <= ids for lst in bans_all["loan_ids"]]]  # one notice loan a row here
            assert b["loan_ids"].map(tuple).tolist() == expected["loan_ids"].map(tuple).tolist(), name
            assert {x for lst in b["loan_ids"] for x in lst} <= ids
            seen |= set(c["loan_id"])
        assert seen == set(claims_all["loan_id"])  # each claim is some party's


def test_compliance_is_the_partys_loans_and_names_no_other_partys_loan(demo_db, prof, as_of, ledger, scopes):
    with store.read_connection(demo_db) as con:
        exc_all = compliance.exceptions(con, as_of, prof)
        for role, name in scopes:
            ids = own(ledger, role, name)
            exc = compliance.exceptions(con, as_of, prof, scope={role: name})
            expected = narrowed(exc_all, ids)
            assert exc[["loan_id", "rule"]].values.tolist() == expected[["loan_id", "rule"]].values.tolist()
            # C9 names the loan whose notice started the ban only when that loan is the party's too
            for got, want in zip(exc.to_dict("records"), expected.to_dict("records"), strict=True):
                if got["rule"] == "C9":
                    shown = want["item"] if want["item"] in ids else None
                    assert got["item"] == shown and (shown is not None or want["item"] not in got["detail"])
                else:
                    assert got == want
            summary = compliance.summary(con, as_of, prof, scope={role: name})
            assert summary["loans"].sum() == exc.groupby("rule")["loan_id"].nunique().sum()
    # the demo's C9 case: 农商's loan banned by a notice on a 江西银行 loan
    c9 = exc_all[exc_all["rule"] == "C9"].iloc[0]
    assert ledger.set_index("loan_id").loc[c9["item"], "bank"] != c9["bank"]


def test_subsidies_are_the_partys_loans_with_the_enterprise_caps_unchanged(demo_db, prof, as_of, ledger, scopes):
    with store.read_connection(demo_db) as con:
        elig_all = subsidies.eligible(con, as_of, prof)
        paid_all = subsidies.paid(con, as_of, prof)
        for role, name in scopes:
            ids = own(ledger, role, name)
            elig = subsidies.eligible(con, as_of, prof, {role: name})
            same(elig, narrowed(elig_all, ids), f"eligible {name}")  # caps count every loan of the enterprise
            same(subsidies.paid(con, as_of, prof, {role: name}), narrowed(paid_all, ids), f"paid {name}")
            by = subsidies.by_enterprise(con, as_of, prof, {role: name})
            want = {}
            for r in narrowed(elig_all, ids).to_dict("records"):
                key = (int(r["year"]), r["credit_code"], r["kind"])
                want[key] = want.get(key, Decimal(0)) + r["amount"]
            assert {(int(r["year"]), r["credit_code"], r["kind"]): r["amount"] for r in by.to_dict("records")} == want
            total = subsidies.summary(con, as_of, prof, {role: name})["totals"]
            assert total["eligible"] == sum(elig["amount"], Decimal("0.00"))
            year = subsidies.year_total(con, as_of, prof, {role: name})["amount"]
            assert year == sum(elig.loc[elig["year"] == as_of.year, "amount"], Decimal(0))


def test_portfolio_lists_and_totals_are_the_partys_loans(demo_db, prof, as_of, ledger, scopes):
    with store.read_connection(demo_db) as con:
        filing_all = portfolio.filing_summary(con, dt.date(2000, 1, 1), as_of)
        chains_all = renewals.renewal_chains(con)
        for role, name in scopes:
            ids = own(ledger, role, name)
            mine = ledger[ledger["loan_id"].isin(ids)]
            sc = {role: name}
            assert portfolio.loan_ids(con, sc) == sorted(ids)
            same(portfolio.filing_summary(con, dt.date(2000, 1, 1), as_of, sc), narrowed(filing_all, ids),
                 f"filing {name}")
            same(renewals.renewal_chains(con, sc), narrowed(chains_all, ids), f"chains {name}")  # none cross
            inst = portfolio.institutions(con, sc)
            for dim in ROLES:
                assert set(inst.loc[inst["dimension"] == dim, "name"]) == set(mine[dim].dropna()), (name, dim)
            by_month = portfolio.disbursements_by_month(con, as_of, sc)
            assert by_month["loans"].sum() == (mine["disbursed_on"] <= as_of).sum()
            if role == "bank":
                assert set(by_month["bank"]) == {name}
            year = portfolio.disbursed_in_year(con, as_of, sc)
            assert year["loans"] == ((mine["disbursed_on"] >= as_of.replace(month=1, day=1))
                                     & (mine["disbursed_on"] <= as_of)).sum()
            snap = dpd.loan_snapshot(con, as_of, prof, sc)
            mix = portfolio.mix(con, as_of, prof, scope=sc)
            active = snap[snap["active"]]
            for dim in ("ip_type", "industry"):
                part = mix[mix["dimension"] == dim]
                assert part["loans"].sum() == len(active)
                assert sum(part["balance"], Decimal(0)) == sum(active["outstanding"], Decimal(0))


def test_collateral_is_the_partys_loans(demo_db, prof, as_of, ledger, scopes):
    with store.read_connection(demo_db) as con:
        watch_all = collateral.watch(con, as_of, prof)
        report_all = collateral.report_sections(con, as_of, prof)
        for role, name in scopes:
            ids = own(ledger, role, name)
            w = collateral.watch(con, as_of, prof, {role: name})
            same(w["ip_watch"], narrowed(watch_all["ip_watch"], ids), f"ip_watch {name}")
            same(w["coverage"], narrowed(watch_all["coverage"], ids), f"coverage {name}")
            same(w["fee_calendar"], narrowed(watch_all["fee_calendar"], ids), f"fee calendar {name}")
            sections = collateral.report_sections(con, as_of, prof, {role: name})
            for key in ("collateral", "coverage"):
                assert sections[key] == [r for r in report_all[key] if r["loan_id"] in ids], (name, key)
            cov = w["coverage"][w["coverage"]["active"].astype(bool)]
            assert sections["coverage_totals"]["uncovered"] == sum(cov["uncovered"], Decimal(0))


def test_breakdowns_of_a_party_are_its_own_loans_only(demo_db, prof, as_of, ledger, scopes):
    with store.read_connection(demo_db) as con:
        whole = {by: ratio.breakdown(con, as_of, prof, by) for by in ROLES}
        for role, name in scopes:
            sc = {role: name}
            own_rows = ratio.breakdown(con, as_of, prof, role, sc)
            # by its own dimension: its own row, equal to the bureau's row of it, and nobody else's
            same(own_rows, whole[role][whole[role]["name"] == name], f"own breakdown {name}")
            snap = dpd.loan_snapshot(con, as_of, prof, sc)
            for by in ROLES:
                frame = ratio.breakdown(con, as_of, prof, by, sc)
                assert frame["active_loans"].sum() == snap["active"].sum()
                assert sum(frame["active_balance"], Decimal(0)) == sum(snap.loc[snap["active"], "outstanding"],
                                                                       Decimal(0))


def test_one_loan_lookups_answer_an_out_of_scope_loan_as_an_unknown_one(demo_db, prof, as_of, ledger):
    loan = ledger.iloc[0]
    other = next(b for b in sorted(ledger["bank"].unique()) if b != loan["bank"])
    with store.read_connection(demo_db) as con:
        for sc in ({"bank": other}, None):
            lid = loan["loan_id"] if sc else "NO-SUCH-LOAN"
            assert portfolio.loan_terms(con, lid, sc) is None
            for frame in (portfolio.loan_collateral(con, lid, sc), portfolio.loan_events(con, lid, sc),
                          dpd.payments(con, lid, sc), schedule.dues(con, lid, prof, sc),
                          schedule.cumulative(con, lid, prof, sc), collateral.status_history(con, lid, sc),
                          dpd.loan_history(con, lid, prof, end=as_of, scope=sc)):
                assert len(frame) == 0
        # in scope it is all there
        mine = {"bank": loan["bank"]}
        assert portfolio.loan_terms(con, loan["loan_id"], mine)["loan_id"] == loan["loan_id"]
        assert len(schedule.dues(con, loan["loan_id"], prof, mine)) > 0
        same(dpd.payments(con, loan["loan_id"], mine), dpd.payments(con, loan["loan_id"]), "payments")
        assert len(dpd.loan_history(con, loan["loan_id"], prof, end=as_of, scope=mine)) > 0


def test_a_renewal_of_another_partys_loan_does_not_name_it(demo_db, prof, tmp_path):
    # a copy of the demo with one renewal moved to another bank: its predecessor is out of scope
    path = tmp_path / "moved.duckdb"
    shutil.copy(demo_db, path)
    with store.write_connection(path) as con:
        lid, before, bank = con.execute("select l.loan_id, l.renewed_from, p.bank from loans l join loans p "
                                        "on l.renewed_from = p.loan_id order by l.loan_id limit 1").fetchall()[0]
        moved_to = con.execute("select min(bank) from loans where bank <> ?", [bank]).fetchall()[0][0]
        con.execute("update loans set bank = ? where loan_id = ?", [moved_to, lid])
    with store.read_connection(path) as con:
        chains = renewals.renewal_chains(con, {"bank": moved_to}).set_index("loan_id")
        assert chains.loc[lid, "renewed_from"] is None and chains.loc[lid, "predecessor_missing"]
        assert chains.loc[lid, "chain_id"] == lid and chains.loc[lid, "position"] == 1
        assert before not in set(chains.index)
        assert pd.isna(portfolio.loan_terms(con, lid, {"bank": moved_to})["renewed_from"])
        # the bureau still sees the chain
        assert portfolio.loan_terms(con, lid)["renewed_from"] == before
        assert renewals.renewal_chains(con).set_index("loan_id").loc[lid, "renewed_from"] == before


# ---------------------------------------------------------------- program-wide figures

def test_the_scoped_ratio_is_the_partys_book_and_the_program_figures_stay(demo_db, prof, as_of, ledger, scopes):
    with store.read_connection(demo_db) as con:
        program = ratio.summary(con, as_of, prof)
        snap_all = dpd.loan_snapshot(con, as_of, prof)
        out_all = outlook.outlook(con, as_of, prof)
        episodes = halt.halt_episodes(con, prof, end=as_of)
        for role, name in scopes:
            ids = own(ledger, role, name)
            mine = narrowed(snap_all, ids)
            active = mine[mine["active"]]
            overdue = active[active["dpd"] >= prof.overdue_dpd_threshold]
            a, o = sum(active["outstanding"], Decimal(0)), sum(overdue["outstanding"], Decimal(0))
            s = ratio.summary(con, as_of, prof, {role: name})
            assert (s["active_balance"], s["overdue_balance"], s["npl_ratio"]) == (a, o, ratio_of(o, a)), name
            assert s["active_loans"] == len(active) and s["overdue_loans"] == len(overdue)
            # R-HALT is the program's whatever the scope
            assert (s["halted"], s["halted_since"]) == (program["halted"], program["halted_since"])
            o_sc = outlook.outlook(con, as_of, prof, {role: name})
            for key in ("loans_to_breach", "days_to_breach", "hhi"):
                assert o_sc[key] == out_all[key], (name, key)
            same(o_sc["projection"], out_all["projection"], "projection")
            # breach loans and the wall: the party's own
            assert o_sc["breach_loans"] == [x for x in out_all["breach_loans"] if x in ids]
            if role == "bank":
                assert o_sc["wall"] == [r for r in out_all["wall"] if r["bank"] == name]
            else:
                assert {r["bank"] for r in o_sc["wall"]} <= set(ledger.loc[ledger[role] == name, "bank"])
        same(halt.halt_episodes(con, prof, end=as_of), episodes, "halt episodes")
        # the program ratio is the whole book's
        active = snap_all[snap_all["active"]]
        overdue = active[active["dpd"] >= prof.overdue_dpd_threshold]
        assert program["npl_ratio"] == ratio_of(sum(overdue["outstanding"], Decimal(0)),
                                                sum(active["outstanding"], Decimal(0)))


# ---------------------------------------------------------------- the dashboard's wrappers

@pytest.fixture
def signed_in(monkeypatch):
    """Pretend an account of the given scope is signed in (what app.py puts in state.Ctx)."""
    import streamlit as st

    from dashboard import state

    def _as(pairs: tuple):
        st.cache_data.clear()
        monkeypatch.setattr(state, "scope", lambda: pairs)

    yield _as
    st.cache_data.clear()


def test_dashboard_wrappers_read_the_scope_themselves(demo_db, prof, as_of, ledger, signed_in):
    from dashboard import data

    db = str(demo_db)
    bank = sorted(ledger["bank"].unique())[0]
    ids = own(ledger, "bank", bank)
    foreign = sorted(set(ledger["loan_id"]) - ids)[0]
    signed_in((("bank", bank),))
    assert data.loan_ids(db, 1) == sorted(ids)
    assert data.loan_detail(db, "anyi", as_of, 1, foreign) is None
    assert data.loan_detail(db, "anyi", as_of, 1, "NO-SUCH-LOAN") is None
    assert data.loan_detail(db, "anyi", as_of, 1, sorted(ids)[0])["terms"]["bank"] == bank
    assert set(data.snapshot(db, "anyi", as_of, 1)["loan_id"]) <= ids
    # a page's filter narrows but never widens: another bank asked for gives the account's loans
    other = sorted(set(ledger["bank"]) - {bank})[0]
    assert set(data.overdue(db, "anyi", as_of, 1, (("bank", other),))["snapshot"]["bank"]) == {bank}
    assert data.institutions(db, 1)["bank"] == [bank]
    assert set(data.filing_summary(db, 1, dt.date(2000, 1, 1), as_of)["loan_id"]) == ids
    assert len(data.ingest_history(db, 1)) == 0
    rep = data.report_files(db, "anyi", as_of, 1)["report"]
    assert {r["loan_id"] for r in rep["loans"]} <= ids and rep["scope"]["scope_organisation"] == bank
    ov = data.overview(db, "anyi", as_of, 1)
    with store.read_connection(demo_db) as con:
        program = ratio.summary(con, as_of, prof)
        mine = ratio.summary(con, as_of, prof, {"bank": bank})
    assert ov["summary"]["npl_ratio"] == program["npl_ratio"] and ov["own_ratio"] == mine["npl_ratio"]
    assert list(ov["breakdown"]["bank"]["name"]) == [bank]
    signed_in(())  # the bureau
    assert data.loan_ids(db, 1) == sorted(ledger["loan_id"])
    assert data.loan_detail(db, "anyi", as_of, 1, foreign)["terms"]["loan_id"] == foreign
    ov = data.overview(db, "anyi", as_of, 1)
    assert ov["own"] is None and ov["own_ratio"] is None


def _overview_as(db: str, as_of, pairs: tuple, page: str):
    """The overview page as an account of scope ``pairs`` sees it (the Ctx app.py sets up after sign-in);
    AppTest runs this function's source as a script, so it imports what it needs itself."""
    import runpy

    from dashboard import state

    role, org = pairs[0] if pairs else ("bureau_viewer", None)
    state.set_current(state.Ctx(db=db, profile="anyi", as_of=as_of, batch=1, lang="zh", has_loans=True,
                                username="u", role=role, organisation=org, scope=pairs))
    runpy.run_path(page, run_name="__main__")


def test_the_overview_shows_a_partys_own_ratio_beside_the_program_ratio(demo_db, prof, as_of, ledger):
    from pathlib import Path

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.dashboard_fixtures import pct_text

    page = str(Path(__file__).resolve().parent.parent / "dashboard" / "views" / "overview.py")
    st.cache_data.clear()

    with store.read_connection(demo_db) as con:
        program = ratio.summary(con, as_of, prof)
        # the bank whose own ratio is furthest from the program's: the two metrics cannot agree by chance
        bank, mine = max(((b, ratio.summary(con, as_of, prof, {"bank": b})) for b in sorted(ledger["bank"].unique())),
                         key=lambda x: abs(x[1]["npl_ratio"] - program["npl_ratio"]))
    assert pct_text(mine["npl_ratio"]) != pct_text(program["npl_ratio"])
    for pairs in ((("bank", bank),), ()):
        at = AppTest.from_function(_overview_as, args=(str(demo_db), as_of, pairs, page), default_timeout=120).run()
        assert not at.exception, [e.message for e in at.exception]
        shown = {m.label: m.value for m in at.metric}
        assert shown["不良率"] == pct_text(program["npl_ratio"])  # the trigger ratio: the program's for all
        if pairs:
            assert shown["本机构贷款逾期率（非项目触发指标）"] == pct_text(mine["npl_ratio"])
        else:
            assert "本机构贷款逾期率（非项目触发指标）" not in shown
    st.cache_data.clear()


def test_no_page_calls_a_wrapper_that_takes_the_scope_as_an_argument():
    # the cached inner functions (data._overview …) take the scope as a parameter; only the public
    # wrappers, which read it from the signed-in account, are for pages
    import ast
    from pathlib import Path

    views = Path(__file__).resolve().parent.parent / "dashboard" / "views"
    calls = []
    for path in sorted(views.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "data"
                    and node.attr.startswith("_")):
                calls.append(f"{path.name}: data.{node.attr}")
    assert calls == []
    import inspect

    from dashboard import data

    public = [name for name, fn in inspect.getmembers(data, inspect.isfunction)
              if not name.startswith("_") and fn.__module__ == data.__name__]
    assert "overview" in public and all("scope" not in inspect.signature(getattr(data, n)).parameters
                                        for n in public if n != "within_scope")
