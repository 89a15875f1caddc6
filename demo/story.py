"""The demo portfolio's story: ~180 loans of an Anyi-like county, 2022–2025, in canonical form.

`build_story(seed)` returns a `Portfolio` of plain rows (canonical column names of LEDGER.md,
money as Decimal yuan, rates as Decimal fractions, dates as `date`). demo/messy.py writes it
out as the messy files banks send; demo/check.py recomputes the story's ratios
independently (numpy, integer fen) and the tests compare both with the risk engine.

Most loans are ordinary: disbursed on a random day, 6/9/12 months, LPR + 0–50 bp, every due
paid exactly, on the due date or up to 3 days before (R-SCHED standard schedule; 邮储银行 sends
its own schedule with interest on the 20th). The planted story loans (role names in brackets)
and what each one shows are tabled in STORY below, the program-wide ratio (R-NPL) they
produce in RATIO_TABLE; every day's ratio is printed by ``python -m demo.check``
and tests/test_demo.py pins both tables against that calculation and against the engine.
"""

from __future__ import annotations

import calendar
import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from demo.ids import INDUSTRIES, add_years, credit_code, enterprise_name, patent_number

SEED = 20251231
LEDGER_END = date(2025, 12, 31)  # latest date in any ledger
LPR_CSV = Path(__file__).resolve().parent.parent / "data" / "reference" / "lpr.csv"
WAN = Decimal(10000)
CENT = Decimal("0.01")

BANKS = {  # name -> loan id prefix
    "江西银行安义支行": "JX",
    "九江银行安义支行": "JJ",
    "中国银行安义县支行": "ZH",
    "安义农商银行": "NS",
    "邮储银行安义县支行": "YC",
    "赣州银行安义支行": "GZ",
}
SCHEDULE_BANK = "邮储银行安义县支行"  # supplies its own schedule: interest on the 20th
GUARANTORS = ("安义县融资担保有限公司", "南昌市融资担保有限公司", "江西省融资担保集团有限责任公司")
APPRAISERS = ("江西赣正资产评估有限公司", "南昌知信资产评估事务所有限公司", "中知华评(北京)资产评估有限公司")

# Base loans are not disbursed in this window: the banks slow down as the ratio climbs and the
# program is halted (R-HALT); the only loan disbursed inside the halt is the planted C10 one.
QUIET = (date(2024, 3, 8), date(2024, 7, 8))

STORY = """
role        | bank / pledge               | principal | what happens (dates)                                     | shows
------------|-----------------------------|-----------|----------------------------------------------------------|-------------------
s2_direct   | 九江 direct                 | 200万     | disb 2023-08-10; interest due 2024-01-10 unpaid -> overdue | R-NPL, R-ALERT60
            |                             |           | from 01-11, DPD 60 on 03-10; cures 2024-06-14, repays 08-10 | (direct: no claim)
s1_settled  | 江西 indirect 安义县担保    | 600万     | disb 2023-07-15; due 2024-02-15 unpaid -> overdue 02-16:   | warning band
            |                             |           | ratio enters 4–5%; DPD 60 on 04-15; notice 04-16;          | R-COMP settled
            |                             |           | guarantor 420万 05-08, appraiser 60万 05-09 (deadline 05-11)|
            |                             |           | write-off 120万 05-31; recovery 70万 2024-11-20             | R-LOSS
s3_late     | 中国 indirect 南昌市担保    | 300万     | disb 2023-09-20; due 2024-03-20 unpaid -> overdue 03-21:   | R-HALT breach
            |                             |           | ratio > 5% from 2024-03-21 (halt decision 03-22);          |
            |                             |           | notice 05-21 (deadline 06-15); appraiser 30万 06-12;        | R-COMP late
            |                             |           | guarantor 210万 only 07-22; write-off 60万 08-15            |
s4_open     | 赣州 indirect 省担保集团    | 80万      | disb 2025-03-25; due 2025-08-25 unpaid; notice 2025-10-28; | claim late and open
            |                             |           | appraiser 8万 11-18; guarantor unpaid at 2025-12-31         | at the ledger end
s5_recent   | 安义农商 direct             | 120万     | disb 2025-05-05; due 2025-12-05 unpaid (DPD 26 at end)     | overdue < 60 days
c3          | 江西                        | 400万     | pledge value 600万 (appraised 600万, fair 620万) -> 66.7%   | C3
c4          | 九江                        | 200万     | disb 2023-10-16 at 4.25% = LPR 3.45% + 80 bp                | C4
c5          | 安义农商 indirect           | 300万     | guarantee fee 4.5万 = 1.5%                                  | C5
c7a, c7b    | 江西, 九江 (same firm)      | 600+500万 | 2025-02-18 and 2025-06-12: 1,100万 in 2025 -> c7b flagged   | C7
c8          | 赣州                        | 250万     | disb 2023-05-22; utility model expiring 2025-06-30          | C8
c9          | 安义农商                    | 200万     | 2025-04-08 to s1's firm (notice 2024-04-16, ban to 2027)    | C9
c10         | 邮储                        | 100万     | disbursed 2024-04-10, inside the halt                       | C10
c11         | 中国 indirect, no guarantor | 150万     | disb 2025-07-09                                             | C11
chain_1..3  | 安义农商 (renewals)         | 300万     | 2023-01-16 -> 2024-01-16 -> 2025-01-16 -> 2026-01-16        | chain of three
            |                             |           | IP released and registered again on each renewal day       | re-pledge
ip_late_fee | a base loan, active at end  |           | patent fee due (anniversary) unpaid, 未缴年费 notice; paid  | R-IPSTAT grace
            |                             |           | 40 days late, within the six-month grace period            |
ip_lapsed   | a base loan with 2+ items   |           | patent fee due 2025 never paid: lapses the day after the   | R-IPSTAT lapsed,
            |                             |           | grace ends, 终止 announced later; the loan's pledge value   | R-COVER
            |                             |           | loses that patent's share: 800万 on 1,000万 left at the end, | under-secured
            |                             |           | ltv 0.8, 200万 uncovered                                   |
ip_invalid  | a base loan, active at end  |           | 无效宣告请求 against its patent 2025-11-05                  | at risk
ip_restored | a base loan, active at end  |           | fee unpaid, lapsed, 终止, then 恢复 with fees paid a year   | restored: valid
            |                             |           | on: valid again from the restoration date                  | again
tm_renewal, | base loans with trademarks  |           | one renewed (续展, 有效 record, expiry +10 years); one      | expires before
tm_expiring |                             |           | expiring before its loan matures, renewal not yet filed    | maturity
late_payer  | 8 base loans <= 150万       |           | one interest due paid 2–9 days late (ratio blips <= 2.0%)  | R-DPD
"""

# The program-wide ratio (R-NPL) on the days the overdue set changes, from demo/check.py
# (integer fen; tests/test_demo.py pins these figures against it and against the engine).
RATIO_TABLE = """
day         active balance   overdue balance   ratio     why
2024-01-11     160,500,000      2,000,000      1.246%   s2 misses 01-10 interest
2024-02-16     163,800,000      8,000,000      4.884%   + s1 (600万): warning band 4–5% begins (4.52–4.88% to 03-20)
2024-03-21     167,800,000     11,000,000      6.555%   + s3 (300万): breach, halt from this day
2024-04-08     148,300,000     11,000,000      7.417%   peak (balance shrinks: no new loans)
2024-05-07     148,500,000     11,000,000      7.407%   last breach day
2024-05-08     144,300,000      6,800,000      4.712%   s1 guarantor pays 420万: back in the band (to 05-30)
2024-05-09     141,700,000      6,200,000      4.375%   s1 appraiser pays 60万 (claim settled)
2024-05-31     134,000,000      5,000,000      3.731%   s1 written off
2024-06-14     125,700,000      2,700,000      2.148%   s2 cures its arrears
2024-06-28     121,700,000      2,700,000      2.219%   恢复业务 resume decision (halted 03-21..06-27)
2024-07-22     115,800,000        600,000      0.518%   s3 guarantor pays late
2024-08-15     130,200,000              0      0.000%   s3 written off
2025-08-26     184,900,000        800,000      0.433%   s4 misses 08-25 interest
2025-12-06     164,120,000      1,920,000      1.170%   + s5 (120万)
2025-12-31     151,420,000      1,920,000      1.268%   ledger end: 1 alert (s4, DPD 128), claim s4 late
"""


@dataclass
class Loan:
    """One loan of the story with the behaviour of its borrower."""

    enterprise: str
    credit_code: str
    industry: str
    bank: str
    pledge_mode: str
    guarantor: str | None
    appraiser: str
    principal: Decimal
    annual_rate: Decimal
    disbursed_on: date
    matures_on: date
    appraised_value: Decimal
    fair_value: Decimal | None
    guarantee_fee: Decimal | None
    appraisal_fee: Decimal
    role: str = "base"
    renews: Loan | None = None
    loan_id: str = ""
    stop_from: date | None = None  # dues on or after this date are not paid (until cure_on)
    cure_on: date | None = None  # all unpaid dues up to this day are paid on it
    late: dict[int, int] = field(default_factory=dict)  # due index -> days paid late
    collateral: list[dict] = field(default_factory=list)

    def row(self) -> dict:
        """The canonical loans row."""
        return {
            "loan_id": self.loan_id, "enterprise_name": self.enterprise, "credit_code": self.credit_code,
            "bank": self.bank, "pledge_mode": self.pledge_mode, "guarantor": self.guarantor,
            "appraiser": self.appraiser, "principal": self.principal, "annual_rate": self.annual_rate,
            "disbursed_on": self.disbursed_on, "matures_on": self.matures_on,
            "appraised_value": self.appraised_value, "fair_value": self.fair_value,
            "guarantee_fee": self.guarantee_fee, "appraisal_fee": self.appraisal_fee,
            "renewed_from": self.renews.loan_id if self.renews else None, "industry": self.industry,
        }


@dataclass
class Portfolio:
    """The canonical rows of every ledger (bad rows are added only by the messy writer)."""

    loans: list[Loan]
    schedule: dict[str, list[tuple[date, Decimal, Decimal]]]  # every loan's dues (R-SCHED or supplied)
    repayments: list[dict]
    events: list[dict]
    decisions: list[dict]
    subsidies: list[dict]
    ip_status: list[dict] = field(default_factory=list)  # legal-status records (R-IPSTAT)

    def by_role(self, role: str) -> Loan:
        """The loan planted for `role`."""
        return next(loan for loan in self.loans if loan.role == role)

    def collateral(self) -> list[dict]:
        """Canonical collateral rows, loan by loan."""
        return [dict(item, loan_id=loan.loan_id) for loan in self.loans for item in loan.collateral]

    def supplied_schedule(self) -> list[dict]:
        """Schedule rows the schedule bank sends (its loans only)."""
        return [
            {"loan_id": loan.loan_id, "due_on": d, "principal_due": p, "interest_due": i}
            for loan in self.loans if loan.bank == SCHEDULE_BANK
            for d, p, i in self.schedule[loan.loan_id]
        ]


# ---------------------------------------------------------------- calendar and rates

def add_months(d: date, months: int, day: int | None = None) -> date:
    """`d` moved by `months`, on `day` (default d.day) clipped to the month's last day (R-SCHED)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(day or d.day, calendar.monthrange(year, month)[1]))


def load_lpr(path: Path = LPR_CSV) -> list[tuple[date, Decimal]]:
    """The 1-year LPR history shipped in data/reference/lpr.csv, oldest first."""
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.reader(line for line in fh if not line.startswith("#"))]
    return [(date.fromisoformat(r[0]), Decimal(r[1])) for r in rows[1:] if r]


def lpr_on(history: list[tuple[date, Decimal]], d: date) -> Decimal:
    """The LPR in force on day d."""
    return [rate for start, rate in history if start <= d][-1]


def interest(principal: Decimal, rate: Decimal, days: int) -> Decimal:
    """principal × rate × days / 360 rounded to the fen (R-SCHED)."""
    return (principal * rate * days / 360).quantize(CENT, ROUND_HALF_UP)


def is_tie(principal: Decimal, rate: Decimal, days: int) -> bool:
    """True when the exact interest ends in half a fen (rounding modes would disagree)."""
    exact = principal * rate * days / 360
    return (exact * 1000) % 10 == 5 and exact * 1000 == (exact * 1000).to_integral_value()


def due_dates(loan: Loan) -> list[date]:
    """Due dates: each month after disbursement before maturity, and maturity (R-SCHED).

    Standard: on the disbursement day-of-month (clipped). The schedule bank: on the 20th.
    """
    day = 20 if loan.bank == SCHEDULE_BANK else loan.disbursed_on.day
    out, k = [], 0 if day > loan.disbursed_on.day else 1
    while True:
        d = add_months(loan.disbursed_on.replace(day=1), k, day)
        if d >= loan.matures_on:
            break
        if d > loan.disbursed_on:
            out.append(d)
        k += 1
    return [*out, loan.matures_on]


def make_schedule(loan: Loan) -> list[tuple[date, Decimal, Decimal]]:
    """(due_on, principal_due, interest_due) rows: interest monthly, principal at maturity."""
    rows, start = [], loan.disbursed_on
    dates = due_dates(loan)
    for d in dates:
        rows.append((d, loan.principal if d == dates[-1] else Decimal(0),
                     interest(loan.principal, loan.annual_rate, (d - start).days)))
        start = d
    return rows


def has_tie(loan: Loan) -> bool:
    """Whether any period's interest would be a half-fen tie."""
    start = loan.disbursed_on
    for d in due_dates(loan):
        if is_tie(loan.principal, loan.annual_rate, (d - start).days):
            return True
        start = d
    return False


# ---------------------------------------------------------------- building blocks

class Builder:
    """Draws enterprises, loans and collateral from one seeded random generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.lpr = load_lpr()
        self.names: set[str] = set()
        self.codes: set[str] = set()
        self.serial = 1000000 + self.rng.randrange(1000000)
        self.loans: list[Loan] = []

    def enterprise(self, industry: str | None = None) -> tuple[str, str, str]:
        """(name, credit code, industry) of a new enterprise."""
        industry = industry or self.rng.choice(list(INDUSTRIES))
        code = credit_code(self.rng)
        while code in self.codes:
            code = credit_code(self.rng)
        self.codes.add(code)
        return enterprise_name(self.rng, industry, self.names), code, industry

    def rate(self, disbursed_on: date, spread_bp: int | None = None) -> Decimal:
        """LPR in force + a spread in basis points (0–50 unless given)."""
        bp = spread_bp if spread_bp is not None else self.rng.choice((0, 10, 15, 20, 25, 30, 35, 40, 45, 50))
        return lpr_on(self.lpr, disbursed_on) + Decimal(bp) / 10000

    def loan(self, firm: tuple[str, str, str], bank: str, principal_wan: int, disbursed_on: date,
             months: int = 12, mode: str | None = None, role: str = "base", **kw) -> Loan:
        """A loan with plausible pledge values and fees (compliant unless kw overrides)."""
        rng = self.rng
        mode = mode or ("indirect" if rng.random() < 0.6 else "direct")
        principal = Decimal(principal_wan) * WAN
        # pledge rate 30–55 %: appraised value in whole yuan, fair value (if any) a little either side
        appraised = (principal / Decimal(rng.choice((30, 35, 40, 45, 50, 55))) * 100).quantize(Decimal(100))
        fair = None if rng.random() < 0.3 else (appraised * Decimal(rng.choice((95, 100, 105, 110))) / 100)
        fee_g = (principal * Decimal(rng.choice((5, 6, 8, 10))) / 1000).quantize(CENT) if mode == "indirect" else None
        fee_a = (principal * Decimal(rng.choice((3, 4, 5, 6, 8))) / 1000).quantize(CENT)
        args = {
            "enterprise": firm[0], "credit_code": firm[1], "industry": firm[2], "bank": bank,
            "pledge_mode": mode, "guarantor": rng.choice(GUARANTORS) if mode == "indirect" else None,
            "appraiser": rng.choice(APPRAISERS), "principal": principal,
            "annual_rate": self.rate(disbursed_on), "disbursed_on": disbursed_on,
            "matures_on": add_months(disbursed_on, months), "appraised_value": appraised,
            "fair_value": fair.quantize(CENT) if fair is not None else None,
            "guarantee_fee": fee_g, "appraisal_fee": fee_a, "role": role,
        }
        collateral = kw.pop("collateral", None)
        args.update(kw)
        loan = Loan(**args)
        while has_tie(loan) and "annual_rate" not in kw:  # keep every interest amount away from a half fen
            loan.annual_rate = self.rate(disbursed_on)
        loan.collateral = collateral or self.collateral(loan)
        self.loans.append(loan)
        return loan

    def collateral(self, loan: Loan, short_patent: date | None = None) -> list[dict]:
        """1–3 pledged IP rights whose values add up to the loan's appraised value."""
        rng, d = self.rng, loan.disbursed_on
        kinds = rng.choices(("invention_patent", "utility_model", "trademark", "geographical_indication"),
                            weights=(45, 35, 17, 3), k=rng.choice((1, 1, 2, 2, 3)))
        items = []
        for kind in kinds:
            if kind in ("invention_patent", "utility_model"):
                life = 20 if kind == "invention_patent" else 10
                back = rng.randint(2, 12) if life == 20 else rng.randint(1, 5)  # expiry >= disbursement + 5 y
                filed = date(d.year - back, rng.randint(1, 12), rng.randint(1, 28))
                self.serial += rng.randint(1, 5000)
                number = patent_number(filed.year, 1 if life == 20 else 2, self.serial % 10_000_000)
                expires = add_years(filed, life) - timedelta(days=1)
            else:
                registered = date(d.year - rng.randint(1, 8), rng.randint(1, 12), rng.randint(1, 28))
                number = str(rng.randint(10_000_000, 69_999_999)) if kind == "trademark" else str(
                    rng.randint(6_000_000, 9_999_999))
                expires = add_years(registered, 10) - timedelta(days=1)
            item = {"ip_type": kind, "ip_number": number, "ip_expires_on": expires}
            if kind in ("invention_patent", "utility_model"):
                item["filed_on"] = filed  # 申请日: annual fees fall due on its anniversaries (R-IPSTAT)
            items.append(item)
        if short_patent is not None:
            self.serial += 17
            items[0] = {"ip_type": "utility_model", "ip_expires_on": short_patent,
                        "ip_number": patent_number(short_patent.year - 10, 2, self.serial % 10_000_000)}
        # split the appraised value: equal shares in whole yuan, the remainder on the first item
        share = (loan.appraised_value / len(items)).quantize(Decimal(1), rounding="ROUND_DOWN")
        for item in items:
            item["appraised_value"] = share
        items[0]["appraised_value"] += loan.appraised_value - share * len(items)
        return items


# ---------------------------------------------------------------- the base portfolio

def base_portfolio(b: Builder) -> None:
    """Ordinary loans, about four a month, none inside QUIET; some repeat borrowers and renewals."""
    rng = b.rng
    firms: list[dict] = []  # {"firm": (...), "free_from": date, "years": {year: principal}}
    per_month = {2022: 3, 2023: 4, 2024: 5, 2025: 4}
    sizes = (50, 80, 100, 120, 150, 200, 200, 250, 300, 300, 350, 400, 500, 600, 800)
    banks = list(BANKS)
    month = date(2022, 1, 1)
    while month <= date(2025, 12, 1):
        for _ in range(per_month[month.year]):
            last = calendar.monthrange(month.year, month.month)[1]
            day = last if rng.random() < 0.06 else rng.randint(1, 28)
            disb = month.replace(day=day)
            if QUIET[0] <= disb <= QUIET[1] or disb > date(2025, 12, 20):
                continue
            principal = rng.choice(sizes)
            months = rng.choices((12, 9, 6), weights=(70, 15, 15))[0]
            if disb.month == 2 and disb.day == 29:
                disb = disb.replace(day=28)
            pool = [f for f in firms if f["free_from"] < disb
                    and f["years"].get(disb.year, 0) + principal <= 900]
            entry = rng.choice(pool) if pool and rng.random() < 0.35 else None
            if entry is None:
                entry = {"firm": b.enterprise(), "years": {}}
                firms.append(entry)
            loan = b.loan(entry["firm"], rng.choice(banks), principal, disb, months)
            entry["free_from"] = loan.matures_on
            entry["years"][disb.year] = entry["years"].get(disb.year, 0) + principal
            # a renewal (无还本续贷) at maturity for some loans, never inside the quiet window
            m = loan.matures_on
            if (rng.random() < 0.06 and m <= date(2025, 11, 30) and not (QUIET[0] <= m <= QUIET[1] + timedelta(5))
                    and entry["years"].get(m.year, 0) + principal <= 900 and not (m.month == 2 and m.day == 29)):
                renewal = b.loan(entry["firm"], loan.bank, principal, m, 12, mode=loan.pledge_mode,
                                 guarantor=loan.guarantor, appraiser=loan.appraiser, renews=loan,
                                 collateral=[dict(c) for c in loan.collateral])
                entry["free_from"] = renewal.matures_on
                entry["years"][m.year] = entry["years"].get(m.year, 0) + principal
        month = add_months(month, 1)
    # a few borrowers pay one due late by a few days (small overdue spells, R-DPD)
    plain = [x for x in b.loans if x.role == "base" and x.matures_on < date(2025, 11, 1)
             and x.principal <= 150 * WAN and x.disbursed_on >= date(2022, 6, 1)]
    for loan in rng.sample(plain, 8):
        dues = due_dates(loan)[:-1]  # never the final due (a renewal closes on it)
        allowed = [k for k, d in enumerate(dues) if not date(2023, 11, 1) <= d <= date(2024, 9, 30)]
        if allowed:
            loan.late = {rng.choice(allowed): rng.randint(2, 9)}
            loan.role = "late_payer"


# ---------------------------------------------------------------- the planted story

def planted(b: Builder) -> None:
    """The story loans of STORY (roles), each drawn for its purpose."""
    jx, jj, zh, ns, yc, gz = BANKS
    g_ay, g_nc, g_jx = GUARANTORS
    a1, a2, a3 = APPRAISERS
    s1_firm = b.enterprise("铝型材加工")
    b.loan(b.enterprise("门窗幕墙"), jj, 200, date(2023, 8, 10), mode="direct", role="s2_direct",
           stop_from=date(2024, 1, 10), cure_on=date(2024, 6, 14))
    b.loan(s1_firm, jx, 600, date(2023, 7, 15), mode="indirect", guarantor=g_ay, appraiser=a1,
           role="s1_settled", stop_from=date(2024, 2, 15))
    b.loan(b.enterprise("新材料"), zh, 300, date(2023, 9, 20), mode="indirect", guarantor=g_nc, appraiser=a2,
           role="s3_late", stop_from=date(2024, 3, 20))
    b.loan(b.enterprise("农副食品加工"), gz, 80, date(2025, 3, 25), mode="indirect", guarantor=g_jx,
           appraiser=a3, role="s4_open", stop_from=date(2025, 8, 25))
    b.loan(b.enterprise("电子元器件"), ns, 120, date(2025, 5, 5), mode="direct", role="s5_recent",
           stop_from=date(2025, 12, 5))
    b.loan(b.enterprise("通用设备制造"), jx, 400, date(2024, 11, 12), role="c3",
           appraised_value=Decimal(6_000_000), fair_value=Decimal(6_200_000))
    c4_day = date(2023, 10, 16)
    b.loan(b.enterprise("医药制造"), jj, 200, c4_day, role="c4", annual_rate=b.rate(c4_day, 80))
    b.loan(b.enterprise("生物技术"), ns, 300, date(2024, 9, 3), mode="indirect", guarantor=g_ay, role="c5",
           guarantee_fee=Decimal(45_000))
    c7_firm = b.enterprise("铝型材加工")
    b.loan(c7_firm, jx, 600, date(2025, 2, 18), role="c7a")
    b.loan(c7_firm, jj, 500, date(2025, 6, 12), role="c7b")
    c8 = b.loan(b.enterprise("电子元器件"), gz, 250, date(2023, 5, 22), role="c8")
    c8.collateral = b.collateral(c8, short_patent=date(2025, 6, 30))
    b.loan(s1_firm, ns, 200, date(2025, 4, 8), mode="direct", role="c9")
    b.loan(b.enterprise("软件和信息技术服务"), yc, 100, date(2024, 4, 10), role="c10")
    b.loan(b.enterprise("纺织服装"), zh, 150, date(2025, 7, 9), mode="indirect", guarantor=None, role="c11",
           guarantee_fee=Decimal(12_000))
    chain_firm = b.enterprise("门窗幕墙")
    first = b.loan(chain_firm, ns, 300, date(2023, 1, 16), mode="indirect", guarantor=g_nc, appraiser=a2,
                   role="chain_1")
    second = b.loan(chain_firm, ns, 300, date(2024, 1, 16), mode="indirect", guarantor=g_nc, appraiser=a2,
                    role="chain_2", renews=first, collateral=[dict(c) for c in first.collateral])
    b.loan(chain_firm, ns, 300, date(2025, 1, 16), mode="indirect", guarantor=g_nc, appraiser=a2,
           role="chain_3", renews=second, collateral=[dict(c) for c in first.collateral])


def assign_ids(loans: list[Loan]) -> None:
    """借据号: bank prefix + disbursement date + 2-digit number of the bank's loans that day."""
    seen: dict[str, int] = {}
    for loan in sorted(loans, key=lambda x: (x.disbursed_on, x.bank, x.role, x.enterprise)):
        stem = f"{BANKS[loan.bank]}{loan.disbursed_on:%Y%m%d}"
        seen[stem] = seen.get(stem, 0) + 1
        loan.loan_id = f"{stem}{seen[stem]:02d}"


# ---------------------------------------------------------------- cash flows

def repayments_of(loan: Loan, dues: list[tuple[date, Decimal, Decimal]], rng: random.Random,
                  renewed: bool = False) -> list[dict]:
    """What the borrower paid: each due exactly, on the day or up to 3 days early, except as planted.

    A renewed loan is closed by its principal repayment on the renewal (= maturity) date."""
    out: list[dict] = []
    arrears: list[tuple[date, Decimal, Decimal]] = []
    previous = loan.disbursed_on
    for index, (due, p, i) in enumerate(dues):
        if loan.stop_from and due >= loan.stop_from and (loan.cure_on is None or due <= loan.cure_on):
            arrears.append((due, p, i))
            previous = due
            continue
        if index in loan.late:
            paid = due + timedelta(days=loan.late[index])
        else:
            early = rng.choice((0, 0, 0, 0, 1, 2, 3))
            if renewed and index == len(dues) - 1:
                early = 0
            paid = max(due - timedelta(days=early), previous + timedelta(days=1))
        if loan.cure_on and arrears and paid > loan.cure_on:
            out.append(cash(loan, loan.cure_on, sum(a[1] for a in arrears), sum(a[2] for a in arrears), "逾期还款"))
            arrears = []
        if paid <= LEDGER_END:
            memo = "无还本续贷转贷" if renewed and p else ("到期还本付息" if p else "正常还息")
            out.append(cash(loan, paid, p, i, memo))
        previous = due
    if loan.cure_on and arrears and loan.cure_on <= LEDGER_END:
        out.append(cash(loan, loan.cure_on, sum(a[1] for a in arrears), sum(a[2] for a in arrears), "逾期还款"))
    return out


def cash(loan: Loan, paid_on: date, principal: Decimal, interest_: Decimal, memo: str) -> dict:
    """A canonical repayment row (txn_id assigned later)."""
    return {"loan_id": loan.loan_id, "paid_on": paid_on, "principal_paid": principal,
            "interest_paid": interest_, "memo": memo, "enterprise": loan.enterprise}


def story_events(p: Portfolio) -> list[dict]:
    """Notices, compensations, write-offs and a recovery of the claim loans (R-COMP, R-LOSS)."""
    s1, s3, s4 = p.by_role("s1_settled"), p.by_role("s3_late"), p.by_role("s4_open")

    def ev(loan, on, kind, party=None, amount=None):
        return {"loan_id": loan.loan_id, "event_on": on, "kind": kind, "party": party,
                "amount": None if amount is None else Decimal(amount)}

    return [
        ev(s1, date(2024, 4, 16), "compensation_notice"),
        ev(s1, date(2024, 5, 8), "compensation", "guarantor", 4_200_000),
        ev(s1, date(2024, 5, 9), "compensation", "appraiser", 600_000),
        ev(s1, date(2024, 5, 31), "write_off", "bank", 1_200_000),
        ev(s1, date(2024, 11, 20), "recovery", "guarantor", 700_000),
        ev(s3, date(2024, 5, 21), "compensation_notice"),
        ev(s3, date(2024, 6, 12), "compensation", "appraiser", 300_000),
        ev(s3, date(2024, 7, 22), "compensation", "guarantor", 2_100_000),
        ev(s3, date(2024, 8, 15), "write_off", "bank", 600_000),
        ev(s4, date(2025, 10, 28), "compensation_notice"),
        ev(s4, date(2025, 11, 18), "compensation", "appraiser", 80_000),
    ]


DECISIONS = [
    {"decided_on": date(2024, 3, 22), "kind": "halt",
     "note": "不良率超过5%，各方暂停新业务 / NPL ratio above 5%: new business halted"},
    {"decided_on": date(2024, 6, 28), "kind": "resume",
     "note": "风险管控改善，各方协商一致恢复业务 / risk controls improved, parties agree to resume"},
]


def subsidy_rows(p: Portfolio, rng: random.Random) -> list[dict]:
    """Payouts for loans repaid on time: interest and fee subsidies the next spring, and the
    2025 per-invention-patent pledge subsidy (R-SUB). Amounts as the bureau paid them."""
    paid = {}
    for r in p.repayments:
        paid.setdefault(r["loan_id"], []).append(r)
    rows = []
    renewed = {x.renews.loan_id for x in p.loans if x.renews}
    clean = [x for x in p.loans if x.role == "base" and x.loan_id not in renewed
             and x.matures_on <= date(2024, 12, 31)]
    for loan in rng.sample(clean, 24):
        interest_paid = sum(r["interest_paid"] for r in paid[loan.loan_id])
        on = date(loan.matures_on.year + 1, 4, rng.randint(10, 25))
        rows.append({"loan_id": loan.loan_id, "kind": "interest", "paid_on": on,
                     "amount": (interest_paid * Decimal("0.3")).quantize(CENT)})
        rows.append({"loan_id": loan.loan_id, "kind": "appraisal_fee", "paid_on": on,
                     "amount": (loan.appraisal_fee * Decimal("0.5")).quantize(CENT)})
        if loan.guarantee_fee:
            rows.append({"loan_id": loan.loan_id, "kind": "guarantee_fee", "paid_on": on,
                         "amount": (loan.guarantee_fee * Decimal("0.5")).quantize(CENT)})
    recent = [x for x in p.loans if x.role == "base" and date(2025, 1, 1) <= x.matures_on <= date(2025, 11, 30)
              and any(c["ip_type"] == "invention_patent" for c in x.collateral)]
    for loan in rng.sample(recent, 6):
        n = sum(c["ip_type"] == "invention_patent" for c in loan.collateral)
        rows.append({"loan_id": loan.loan_id, "kind": "patent_pledge", "paid_on": date(2025, 12, 15),
                     "amount": Decimal(8000 * n)})
    return sorted(rows, key=lambda r: (r["paid_on"], r["loan_id"], r["kind"]))


PATENTS = ("invention_patent", "utility_model")


def _status(item: dict, on: date, status: str, until: date | None = None) -> dict:
    return {"ip_number": item["ip_number"], "status_on": on, "status": status, "fee_paid_until": until}


def _anniversary(filed: date, year: int) -> date:
    return add_years(filed, year - filed.year)


def story_ip_status(p: Portfolio) -> list[dict]:
    """The pledged IP's legal-status records (R-IPSTAT, the ip_* and tm_renewal roles of STORY),
    from fixed rules over the finished portfolio (no random draws: every other figure stays)."""
    rows: list[dict] = []
    end = LEDGER_END
    chain = [p.by_role(r) for r in ("chain_1", "chain_2", "chain_3")]
    for item in chain[0].collateral:
        rows.append(_status(item, chain[0].disbursed_on, "pledge_registered"))
        for renewal in chain[1:]:  # a release and a registration on one day: a re-pledge
            rows.append(_status(item, renewal.disbursed_on, "pledge_released"))
            rows.append(_status(item, renewal.disbursed_on, "pledge_registered"))
    active = [x for x in p.loans if x.role == "base" and x.disbursed_on <= end < x.matures_on]
    used: set[str] = set()

    def pick(test) -> tuple[Loan, dict]:
        for loan in active:
            for k, item in enumerate(loan.collateral):
                if loan.loan_id not in used and test(loan, k, item):
                    used.add(loan.loan_id)
                    return loan, item
        raise ValueError("the demo portfolio has no loan for this part of the story")

    def patent_due_in(first: date, last: date):
        """A patent whose 2025 fee falls due in [first, last], after its loan was disbursed."""
        return lambda loan, k, item: (item["ip_type"] in PATENTS
                                      and loan.disbursed_on < _anniversary(item["filed_on"], 2025)
                                      and first <= _anniversary(item["filed_on"], 2025) <= last)

    # ip_lapsed: the first (largest) item of a loan with two or more items; due 2025, never paid
    loan, item = pick(lambda loan, k, item: k == 0 and len(loan.collateral) >= 2
                      and patent_due_in(date(2025, 4, 1), date(2025, 6, 30))(loan, k, item))
    loan.role = "ip_lapsed"
    due = _anniversary(item["filed_on"], 2025)
    grace_end = add_months(due, 6)
    rows += [_status(item, loan.disbursed_on, "pledge_registered"),
             _status(item, loan.disbursed_on, "fee_paid", due),
             _status(item, due + timedelta(days=20), "fee_overdue")]
    if grace_end + timedelta(days=20) <= end:  # the office announces the termination later
        rows.append(_status(item, grace_end + timedelta(days=20), "terminated"))
    # ip_late_fee: due in the summer, 未缴年费 notice, paid 40 days late (inside the grace period)
    loan, item = pick(patent_due_in(date(2025, 6, 1), date(2025, 10, 31)))
    loan.role = "ip_late_fee"
    due = _anniversary(item["filed_on"], 2025)
    rows += [_status(item, loan.disbursed_on, "pledge_registered"),
             _status(item, loan.disbursed_on, "fee_paid", due),
             _status(item, due + timedelta(days=20), "fee_overdue"),
             _status(item, due + timedelta(days=40), "fee_paid", add_years(due, 1))]
    # ip_restored: due in spring, unpaid: lapsed after the grace, 终止, then 恢复 with the fees paid
    loan, item = pick(patent_due_in(date(2025, 2, 1), date(2025, 5, 10)))
    loan.role = "ip_restored"
    due = _anniversary(item["filed_on"], 2025)
    terminated = add_months(due, 6) + timedelta(days=20)
    rows += [_status(item, loan.disbursed_on, "pledge_registered"),
             _status(item, loan.disbursed_on, "fee_paid", due),
             _status(item, terminated, "terminated"),
             _status(item, terminated + timedelta(days=40), "restored", add_years(due, 1))]
    # ip_invalid: a third party asks the patent office to declare the patent invalid
    loan, item = pick(lambda loan, k, item: item["ip_type"] == "invention_patent")
    loan.role = "ip_invalid"
    rows += [_status(item, loan.disbursed_on, "pledge_registered"),
             _status(item, date(2025, 11, 5), "invalidation_requested")]
    # tm_renewal: a registration renewed for ten more years (续展) and one that runs out before the loan
    loan, item = pick(lambda loan, k, item: item["ip_type"] == "trademark")
    loan.role = "tm_renewal"
    item["ip_expires_on"] = add_years(date(2025, 10, 31), 10)
    rows += [_status(item, loan.disbursed_on, "pledge_registered"), _status(item, date(2025, 9, 18), "valid")]
    loan, item = pick(lambda loan, k, item: item["ip_type"] == "trademark" and loan.matures_on > date(2026, 2, 1))
    loan.role = "tm_expiring"
    item["ip_expires_on"] = loan.matures_on - timedelta(days=15)
    rows.append(_status(item, loan.disbursed_on, "pledge_registered"))
    return sorted(rows, key=lambda r: (r["status_on"], r["ip_number"], r["status"]))


def build_story(seed: int = SEED) -> Portfolio:
    """The whole canonical demo portfolio for `seed` (deterministic)."""
    b = Builder(seed)
    base_portfolio(b)
    planted(b)
    loans = sorted(b.loans, key=lambda x: (x.disbursed_on, x.bank, x.role, x.enterprise))
    assign_ids(loans)
    loans.sort(key=lambda x: x.loan_id)
    schedule = {loan.loan_id: make_schedule(loan) for loan in loans}
    renewed = {loan.renews.loan_id for loan in loans if loan.renews}
    pays = [r for loan in loans
            for r in repayments_of(loan, schedule[loan.loan_id], b.rng, loan.loan_id in renewed)]
    pays.sort(key=lambda r: (r["paid_on"], r["loan_id"]))
    used: set[str] = set()
    for r in pays:  # 交易流水号: date + 6 random digits, unique
        while True:
            txn = f"{r['paid_on']:%Y%m%d}{b.rng.randrange(10**6):06d}"
            if txn not in used:
                used.add(txn)
                r["txn_id"] = txn
                break
    p = Portfolio(loans, schedule, pays, [], [dict(d) for d in DECISIONS], [])
    p.events = story_events(p)
    p.subsidies = subsidy_rows(p, b.rng)
    p.ip_status = story_ip_status(p)  # after every random draw: the other figures stay as they were
    return p
