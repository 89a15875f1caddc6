"""The demo generator: deterministic bytes, the messy forms it promises, and a story that is true.

The story is checked three ways: the table in demo/story.py (RATIO_TABLE) against the
independent numpy calculation (demo/check.py), that calculation against the risk
engine on the ingested files for every day, and the planted rejects / claims / compliance
breaches against ingestion, queries.claims and queries.compliance.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from stdnum.cn import uscc

import demo.check
import demo.messy
import demo.scale
import demo.story
from pipelines import profile as profile_mod
from pipelines import store
from queries import alert60, claims, compliance, halt, outlook, ratio, renewals

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
D = dt.date.fromisoformat


# ---------------------------------------------------------------- fixtures (built once per module)

@pytest.fixture(scope="module")
def story():
    return demo.story.build_story()


@pytest.fixture(scope="module")
def daily(story):
    return demo.check.daily(story)


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    out = tmp_path_factory.mktemp("messy")
    return demo.messy.write_messy(out)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, messy):
    pytest.importorskip("pipelines.ingest")
    db = tmp_path_factory.mktemp("db") / "demo.duckdb"
    proc = subprocess.run([sys.executable, "-m", "pipelines.ingest", "--db", str(db), str(DEMO_DIR)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return db


@pytest.fixture(scope="module")
def anyi():
    return profile_mod.load("anyi")


def roles(story, *names):
    return {story.by_role(n).loan_id for n in names}


# ---------------------------------------------------------------- determinism and committed files

def test_two_runs_write_identical_bytes(tmp_path, messy):
    again = demo.messy.write_messy(tmp_path / "again")
    for kind, path in messy.items():
        assert path.read_bytes() == again[kind].read_bytes(), kind


def test_committed_demo_files_are_what_the_generator_writes(messy):
    # data/demo is committed for make db; it must not drift from the generator
    for path in messy.values():
        assert (DEMO_DIR / path.name).read_bytes() == path.read_bytes(), path.name


def test_xlsx_has_fixed_metadata_and_zip_times(messy):
    with zipfile.ZipFile(messy["loans"]) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 1, 5, 9, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert "2026-01-05T09:00:00Z" in core and core.count("2026-01-05T09:00:00Z") == 2


# ---------------------------------------------------------------- messy forms

def test_loan_workbook_has_title_unit_line_and_wan_headers(messy):
    wb = openpyxl.load_workbook(messy["loans"])
    assert wb.sheetnames == ["2022年", "2023年", "2024年", "2025年"]
    for ws in wb:
        title, unit, header = (list(r) for r in ws.iter_rows(min_row=1, max_row=3, values_only=True))
        assert title[0].startswith("安义县“安知贷”知识产权质押贷款借据台账")
        assert unit[0] == "单位：万元"
        assert "贷款金额(万元)" in header and "评估价值(万元)" in header
        first = dict(zip(header, next(ws.iter_rows(min_row=4, max_row=4, values_only=True)), strict=True))
        assert isinstance(first["发放日期"], dt.datetime)  # an Excel date cell
        if ws.title in ("2022年", "2023年"):
            assert isinstance(first["执行年利率(%)"], (int, float))
        else:
            assert re.fullmatch(r"\d\.\d+%", first["执行年利率"])


def test_wan_cells_convert_back_to_the_fen(messy, story):
    # 万元 numbers carry at most 6 decimals, so Decimal(str(cell)) × 10,000 is the exact amount
    wb = openpyxl.load_workbook(messy["loans"])
    by_id = {loan.loan_id: loan for loan in story.loans}
    checked = 0
    for ws in wb:
        header = [c.value for c in ws[3]]
        for row in ws.iter_rows(min_row=4, values_only=True):
            r = dict(zip(header, row, strict=True))
            loan = by_id.get(r["借据号"])
            if loan is None:
                continue
            assert Decimal(str(r["贷款金额(万元)"])) * 10000 == loan.principal
            assert Decimal(str(r["评估价值(万元)"])) * 10000 == loan.appraised_value
            checked += 1
    assert checked == len(story.loans)


def test_repayments_are_gbk_with_chinese_dates(messy):
    raw = messy["repayments"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    assert text.startswith("交易流水号,借据号")
    assert re.search(r"\n\d+,[A-Z]{2}\d{10},[^,]+,20\d\d年\d{1,2}月\d{1,2}日,", text)
    assert '"1,' in text or '"2,' in text  # some amounts carry thousands separators


def test_bom_and_date_forms_of_the_other_csvs(messy):
    assert messy["collateral"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert messy["subsidies"].read_bytes().startswith(b"\xef\xbb\xbf")
    events = messy["events"].read_text(encoding="utf-8")
    assert "2024/4/16,代偿通知" in events
    decisions = messy["decisions"].read_bytes().decode("gbk")
    assert "20240322,暂停业务" in decisions and "20240628,恢复业务" in decisions
    assert re.search(r",20\d\d\.\d{1,2}\.\d{1,2}\r?\n", messy["subsidies"].read_text(encoding="utf-8-sig"))


def patent_check(digits12: str) -> str:
    # LEDGER.md: Σ digit × (2,3,4,5,6,7,8,9,2,3,4,5) mod 11, 10 -> X
    total = sum(int(d) * w for d, w in zip(digits12, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


def test_patent_check_digit_by_hand():
    # ZL201711170233.6: 2·2+0·3+1·4+7·5+1·6+1·7+1·8+7·9+0·2+2·3+3·4+3·5 = 160; 160 mod 11 = 6
    assert patent_check("201711170233") == "6"
    assert demo.story.patent_number(2017, 1, 1170233) == "ZL201711170233.6"


def test_identifiers_pass_their_checks(messy):
    rows = list(csv.DictReader(io.StringIO(messy["collateral"].read_text(encoding="utf-8-sig"))))
    assert {r["质押物类型"] for r in rows} == {"发明专利", "实用新型", "商标", "地理标志"}
    for r in rows:
        number = r["专利号/注册号"]
        if r["质押物类型"] in ("发明专利", "实用新型"):
            m = re.fullmatch(r"ZL(\d{4})([12])(\d{7})\.([\dX])", number)
            assert m, number
            assert m.group(2) == ("1" if r["质押物类型"] == "发明专利" else "2")
            assert m.group(4) == patent_check(m.group(1) + m.group(2) + m.group(3))
        else:
            assert number.isdigit()
    wb = openpyxl.load_workbook(messy["loans"])
    codes = [row[3] for ws in wb for row in ws.iter_rows(min_row=4, values_only=True)]
    bad = [c for c in codes if not uscc.is_valid(c)]
    assert bad == ["91360123MA35FAJ58A"]  # the one planted wrong check digit


# ---------------------------------------------------------------- the story, independently

def test_story_shape(story):
    assert len(story.loans) >= 150
    assert len({loan.bank for loan in story.loans}) == 6
    assert len({loan.guarantor for loan in story.loans if loan.guarantor}) == 3
    assert len({loan.appraiser for loan in story.loans}) == 3
    assert {loan.pledge_mode for loan in story.loans} == {"direct", "indirect"}
    assert min(loan.disbursed_on for loan in story.loans).year == 2022
    assert max(r["paid_on"] for r in story.repayments) <= demo.story.LEDGER_END


def ratio_rows():
    for line in demo.story.RATIO_TABLE.strip().splitlines()[1:]:
        day, active, overdue, ratio = line.split()[:4]
        yield D(day), Decimal(active.replace(",", "")), Decimal(overdue.replace(",", "")), ratio


@pytest.mark.parametrize("day,active,overdue,ratio", list(ratio_rows()))
def test_ratio_table_in_docstring_is_true(daily, day, active, overdue, ratio):
    k = (day - demo.check.START).days
    assert daily.active[k] == active * 100 and daily.overdue[k] == overdue * 100
    assert f"{overdue / active * 100:.3f}%" == ratio


def test_story_figures(story):
    f = demo.check.story_figures(story)
    assert f["first_warning_day"] == D("2024-02-16")  # (200万 + 600万) / 163,800,000 = 4.884 %
    assert (f["first_breach_day"], f["last_breach_day"]) == (D("2024-03-21"), D("2024-05-07"))
    assert f["breach_days"] == 48  # 2024-03-21 .. 2024-05-07, every day above 5 %
    assert f["resume_day"] == D("2024-06-28") and f["ratio_on_resume"] < 0.05
    assert ["NS2023011601", "NS2024011601", "NS2025011601"] in f["chains"]


def test_warning_band_holds_every_day_of_both_spells(daily):
    # 4 % < ratio <= 5 % on each day (R-HALT band), decided on integers: 100·overdue vs 4·active, 5·active
    for first, last in ((D("2024-02-16"), D("2024-03-20")), (D("2024-05-08"), D("2024-05-30"))):
        for k in range((first - demo.check.START).days, (last - demo.check.START).days + 1):
            assert daily.active[k] * 4 < daily.overdue[k] * 100 <= daily.active[k] * 5, k


EXPECTED_BREACHES = {"c3": "C3", "c4": "C4", "c5": "C5", "c7b": "C7", "c8": "C8", "c9": "C9", "c10": "C10",
                     "c11": "C11"}


def test_planted_compliance_breaches_are_the_only_ones(story, daily):
    want = {(story.by_role(role).loan_id, rule) for role, rule in EXPECTED_BREACHES.items()}
    assert demo.check.compliance(story, daily) == want


def test_no_interest_amount_is_a_half_fen_tie(story):
    # half-up and half-even rounding agree on every due, so no engine can differ by rounding mode
    assert not [loan.loan_id for loan in story.loans if demo.story.has_tie(loan)]
    assert demo.story.is_tie(Decimal(250), Decimal("0.036"), 1)  # 250 × 0.036 / 360 = 0.025: half a fen
    assert not demo.story.is_tie(Decimal(1_000_000), Decimal("0.0351"), 1)  # 97.50 exactly


def test_renewals_close_the_old_loan_on_the_renewal_date(story):
    for loan in story.loans:
        if loan.renews:
            closing = [r for r in story.repayments if r["loan_id"] == loan.renews.loan_id and r["principal_paid"]]
            assert [(r["paid_on"], r["principal_paid"]) for r in closing] == [
                (loan.disbursed_on, loan.renews.principal)]


def test_supplied_schedule_matches_the_repayments(story):
    # 邮储银行's own schedule (interest on the 20th) is what its borrowers paid, due by due
    rows = story.supplied_schedule()
    assert rows and all(r["due_on"].day == 20 or r["principal_due"] for r in rows)
    for loan in story.loans:
        if loan.bank == demo.story.SCHEDULE_BANK and loan.role in ("base", "c10"):
            due = sum(r["interest_due"] for r in rows if r["loan_id"] == loan.loan_id
                      and r["due_on"] <= D("2025-12-28"))
            paid = sum(r["interest_paid"] for r in story.repayments if r["loan_id"] == loan.loan_id
                       and r["paid_on"] <= D("2025-12-28"))
            assert due == paid, loan.loan_id


# ---------------------------------------------------------------- against ingestion and the engine

def test_ingest_rejects_exactly_the_planted_rows(demo_db):
    with store.read_connection(demo_db) as con:
        rows = con.execute("select distinct file_name, sheet, row_number from rejects order by all").fetchall()
    assert len(rows) == len(demo.messy.PLANTED_REJECTS) == 6
    assert {(f, s) for f, s, _ in rows} == {
        ("01_借据台账.xlsx", "2025年"), ("04_还款流水.csv", None), ("07_补贴发放.csv", None)}


def test_ingested_counts(demo_db, story):
    with store.read_connection(demo_db) as con:
        n_loans = con.execute("select count(*) from loans").fetchall()[0][0]
        n_pay = con.execute("select count(*) from repayments").fetchall()[0][0]
        n_sub = con.execute("select count(*) from subsidies").fetchall()[0][0]
    assert n_loans == len(story.loans)
    assert n_pay == len(story.repayments)
    assert n_sub == len(story.subsidies)


def test_engine_series_equals_independent_calculation_every_day(demo_db, daily, anyi):
    with store.read_connection(demo_db) as con:
        series = ratio.npl_series(con, anyi)
    assert len(series) > 1400
    for row in series.itertuples():
        k = (row.day - demo.check.START).days
        got = (int(row.active_balance * 100), int(row.overdue_balance * 100))
        assert got == (int(daily.active[k]), int(daily.overdue[k])), row.day


def test_engine_halt_warning_and_alerts(demo_db, anyi, story):
    with store.read_connection(demo_db) as con:
        episodes = halt.halt_episodes(con, anyi)
        warn = ratio.summary(con, D("2024-03-01"), anyi)
        halted = ratio.summary(con, D("2024-06-27"), anyi)
        resumed = ratio.summary(con, D("2024-06-28"), anyi)
        alerts_end = alert60.alerts(con, D("2025-12-31"), anyi)
        alerts_mar = alert60.alerts(con, D("2024-03-10"), anyi)
    assert [(r.start_on, r.resume_on) for r in episodes.itertuples()] == [(D("2024-03-21"), D("2024-06-28"))]
    assert warn["status"] == "warning"
    assert (halted["status"], halted["halted_since"]) == ("halted", D("2024-03-21"))
    assert resumed["status"] == "normal"
    # s4: oldest unpaid due 2025-08-25, DPD at 2025-12-31 = 128 (6 + 30 + 31 + 30 + 31)
    assert list(zip(alerts_end.loan_id, alerts_end.dpd, strict=True)) == [(story.by_role("s4_open").loan_id, 128)]
    # s2 (direct): interest due 2024-01-10 unpaid, DPD 60 on 2024-03-10 -> on the list that day
    assert story.by_role("s2_direct").loan_id in set(alerts_mar.loan_id)


def test_outlook_forecasts_the_breach_weeks_before_it_happens(demo_db, anyi):
    # R-PROJ base case: from 16 Feb (s1 overdue, 4.88 %) good loans repaying alone would take the ratio
    # over 5 %: five weeks before the real breach of 21 March. The forecast day moves later while new
    # loans are still disbursed (to 8 March), then stays on 3 April; s3's default brings it to 21 March.
    with store.read_connection(demo_db) as con:
        days = {d: outlook.days_to_breach(con, D(d), anyi)["base"]
                for d in ("2024-02-13", "2024-02-16", "2024-02-19", "2024-03-08", "2024-03-20", "2024-03-21")}
    assert days == {"2024-02-13": None, "2024-02-16": 5, "2024-02-19": 21, "2024-03-08": 26, "2024-03-20": 14,
                    "2024-03-21": 0}


def test_claims_settled_in_time_and_late(demo_db, anyi, story):
    s1, s3, s4 = (story.by_role(r).loan_id for r in ("s1_settled", "s3_late", "s4_open"))
    with store.read_connection(demo_db) as con:
        june = claims.claims(con, D("2024-06-20"), anyi).set_index("loan_id")
        end = claims.claims(con, D("2025-12-31"), anyi).set_index("loan_id")
    # s1: notice 2024-04-16, deadline 05-11; 4,200,000 (70 % of 6,000,000) on 05-08, 600,000 on 05-09
    assert june.loc[s1, "status"] == "settled" and june.loc[s1, "settled_on"] == D("2024-05-09")
    # s3: notice 2024-05-21, deadline 06-15; only the appraiser's 300,000 by 06-20
    assert june.loc[s3, "status"] == "late" and june.loc[s3, "deadline"] == D("2024-06-15")
    assert end.loc[s3, "status"] == "settled" and end.loc[s3, "settled_on"] == D("2024-07-22")
    # s4: notice 2025-10-28, deadline 11-22; guarantor's 560,000 (70 % of 800,000) never came
    assert end.loc[s4, "status"] == "late" and end.loc[s4, "expected_guarantor"] == Decimal("560000.00")


def test_engine_compliance_and_chain(demo_db, anyi, story):
    with store.read_connection(demo_db) as con:
        exc = compliance.exceptions(con, D("2025-12-31"), anyi)
        chains = renewals.renewal_chains(con)
    want = {(story.by_role(role).loan_id, rule) for role, rule in EXPECTED_BREACHES.items()}
    assert set(zip(exc.loan_id, exc.rule, strict=True)) == want
    three = chains[chains.chain_length == 3]
    assert sorted(three.loan_id) == sorted(roles(story, "chain_1", "chain_2", "chain_3"))


# ---------------------------------------------------------------- scale mode

@pytest.fixture(scope="module")
def scale(tmp_path_factory):
    return demo.scale.generate_scale(tmp_path_factory.mktemp("scale"), 300, 7)


def read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_scale_is_deterministic(tmp_path, scale):
    again = demo.scale.generate_scale(tmp_path, 300, 7)
    for kind, path in scale.items():
        assert path.read_bytes() == again[kind].read_bytes(), kind


def add_month(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return d.replace(year=d.year + y, month=m + 1)  # scale loans are disbursed on day 1..28


def test_scale_rows_and_schedules(scale):
    loans = read(scale["loans"])
    pays = read(scale["repayments"])
    events = read(scale["events"])
    collateral = read(scale["collateral"])
    assert len(loans) == 300 and read(scale["decisions"]) == []
    assert all(uscc.is_valid(r["credit_code"]) for r in loans)
    per_loan = {}
    for r in pays:
        per_loan.setdefault(r["loan_id"], []).append(r)
    with_events = {e["loan_id"] for e in events}
    assert 0 < len(with_events) < 60  # ~5 % stopped paying
    full = short = 0
    for loan in loans:
        n_ip = sum(c["loan_id"] == loan["loan_id"] for c in collateral)
        assert n_ip in (1, 2)
        rows = per_loan.get(loan["loan_id"], [])
        assert len(rows) <= 13
        disb = D(loan["disbursed_on"])
        if loan["loan_id"] in with_events or D(loan["matures_on"]) > D("2025-12-28"):
            continue
        if len(rows) < 13:  # stopped paying, its notice or write-off still after the ledger end
            short += 1
            continue
        # a loan that ran its course: 12 interest rows + 1 principal row, interest as R-SCHED
        full += 1
        p, rate = Decimal(loan["principal"]), Decimal(loan["annual_rate"])
        dues = [add_month(disb, k) for k in range(13)]
        want = sum(((p * rate * (b - a).days / 360).quantize(Decimal("0.01"), "ROUND_HALF_UP")
                    for a, b in itertools.pairwise(dues)), Decimal(0))
        assert sum(Decimal(r["interest_paid"]) for r in rows) == want
        assert sum(Decimal(r["principal_paid"]) for r in rows) == p
    assert full > 150 and short < 15


def test_scale_ingests_cleanly(scale, tmp_path):
    pytest.importorskip("pipelines.ingest")
    db = tmp_path / "scale.duckdb"
    proc = subprocess.run([sys.executable, "-m", "pipelines.ingest", "--db", str(db),
                           str(scale["loans"].parent)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    with store.read_connection(db) as con:
        assert con.execute("select count(*) from loans").fetchall()[0][0] == 300
        assert con.execute("select count(*) from rejects").fetchall()[0][0] == 0
        n_pay = con.execute("select count(*) from repayments").fetchall()[0][0]
    assert n_pay == len(read(scale["repayments"]))


def test_engine_collateral_story(demo_db, anyi, story):
    """The ip_status story (STORY's ip_* and tm_* roles; R-IPSTAT, R-COVER) as the engine tells it."""
    from queries import collateral

    role = {r: story.by_role(r).loan_id for r in ("ip_lapsed", "ip_late_fee", "ip_invalid", "ip_restored",
                                                    "tm_renewal", "tm_expiring")}
    with store.read_connection(demo_db) as con:
        end = collateral.report_sections(con, D("2025-12-31"), anyi)
        watch = {t: collateral.ip_watch(con, D(t), anyi).set_index(["loan_id", "ip_type"])
                 for t in ("2025-08-01", "2025-10-20", "2025-11-17")}
    # the lapsed patent halves an 800万 loan's pledge value (2,000万 -> 1,000万): ltv 0.8, 200万 uncovered
    assert end["coverage"][0] == {"loan_id": role["ip_lapsed"], "pledge_value": Decimal("10000000.00"),
                                  "ltv": Decimal("0.8"), "uncovered": Decimal("2000000.00")}
    assert end["coverage_totals"] == {"lost_balance": Decimal("8000000.00"),
                                      "at_risk_balance": Decimal("3500000.00"), "uncovered": Decimal("2000000.00")}
    assert [(r["loan_id"], r["status"], r["watch"], r["lost"], r["at_risk"]) for r in end["collateral"]] == sorted([
        (role["ip_lapsed"], "fee_overdue", "lapsed", True, False),
        (role["ip_invalid"], "invalidation_requested", None, False, True),
        (role["tm_expiring"], "pledge_registered", "expires_before_maturity", False, False)])
    # the late fee: in grace on 1 Aug 2025 (due 23 Jul), paid 1 Sep: nothing to watch on 20 Oct
    late = watch["2025-08-01"].loc[(role["ip_late_fee"], "utility_model")]
    assert (late["fee_watch"], late["at_risk"]) == ("fee_grace", True)
    assert watch["2025-10-20"].loc[(role["ip_late_fee"], "utility_model")]["fee_watch"] is None
    # the restored patent: lost after its grace ended, valid again from the 恢复 record of 17 Nov
    assert watch["2025-10-20"].loc[(role["ip_restored"], "utility_model")]["lost"] is True
    restored = watch["2025-11-17"].loc[(role["ip_restored"], "utility_model")]
    assert (restored["status"], restored["lost"], restored["at_risk"]) == ("restored", False, False)
