"""An independent calculation of the demo story's numbers, straight from the canonical rows.

It shares no code with the risk engine (queries/): outstanding balances and past-due state
per loan and day with numpy in integer fen (R-OUT, R-DPD, R-NPL, R-HALT), and the compliance
checks C1–C11 in plain Python. tests/test_demo.py compares the engine with these figures and
`python -m demo.check` prints the story table pinned in demo/story.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from demo.ids import add_years
from demo.story import LEDGER_END, Portfolio, build_story, load_lpr, lpr_on

START = date(2022, 1, 1)
TOLERANCE = 1  # fen (RULES.md amount_tolerance 0.01)


def fen(x: Decimal | None) -> int:
    """Yuan as integer fen."""
    return int((x or Decimal(0)) * 100)


@dataclass
class Daily:
    """Per-day program totals in fen: day index 0 is START."""

    days: list[date]
    active: np.ndarray
    overdue: np.ndarray
    loan_overdue: dict[str, np.ndarray]  # loan_id -> bool per day
    loan_outstanding: dict[str, np.ndarray]

    def ratio(self, d: date) -> float | None:
        """npl_ratio(d) as a float, for display only (decisions use the integers)."""
        i = (d - START).days
        return None if self.active[i] == 0 else self.overdue[i] / self.active[i]

    def above(self, d: date, percent: int) -> bool:
        """Exactly: npl_ratio(d) > percent % (R-HALT is strict)."""
        i = (d - START).days
        return self.active[i] > 0 and self.overdue[i] * 100 > self.active[i] * percent


def daily(p: Portfolio, end: date = LEDGER_END) -> Daily:
    """Active and overdue balance of every day START..end (R-OUT, R-DPD, R-NPL)."""
    n = (end - START).days + 1
    days = [START + timedelta(days=k) for k in range(n)]
    pay_p: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n, np.int64))
    pay_i: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n, np.int64))
    for r in p.repayments:
        k = (r["paid_on"] - START).days
        pay_p[r["loan_id"]][k] += fen(r["principal_paid"])
        pay_i[r["loan_id"]][k] += fen(r["interest_paid"])
    for e in p.events:  # compensation and write-off reduce principal (R-OUT); recovery does not
        if e["kind"] in ("compensation", "write_off") and e["event_on"] <= end:
            pay_p[e["loan_id"]][(e["event_on"] - START).days] += fen(e["amount"])
    active = np.zeros(n, np.int64)
    overdue = np.zeros(n, np.int64)
    loan_overdue, loan_out = {}, {}
    for loan in p.loans:
        due_p = np.zeros(n + 1, np.int64)  # index k+1 = due on day k, so cum[k] = dues dated < day k
        due_i = np.zeros(n + 1, np.int64)
        for d, pd, idue in p.schedule[loan.loan_id]:
            if d <= end:
                due_p[(d - START).days + 1] += fen(pd)
                due_i[(d - START).days + 1] += fen(idue)
        before_p, before_i = np.cumsum(due_p)[:n], np.cumsum(due_i)[:n]
        paid_p, paid_i = np.cumsum(pay_p[loan.loan_id]), np.cumsum(pay_i[loan.loan_id])
        out = np.maximum(fen(loan.principal) - paid_p, 0)
        exists = np.arange(n) >= (loan.disbursed_on - START).days
        is_active = exists & (out > 0)
        late = (before_p > paid_p + TOLERANCE) | (before_i > paid_i + TOLERANCE)
        is_overdue = is_active & late
        active += np.where(is_active, out, 0)
        overdue += np.where(is_overdue, out, 0)
        loan_overdue[loan.loan_id] = is_overdue
        loan_out[loan.loan_id] = np.where(is_active, out, 0)
    return Daily(days, active, overdue, loan_overdue, loan_out)


def dpd(p: Portfolio, loan_id: str, t: date) -> int:
    """Days past due of one loan at the end of day t (R-DPD), the larger of both streams."""
    paid_p = sum(fen(r["principal_paid"]) for r in p.repayments if r["loan_id"] == loan_id and r["paid_on"] <= t)
    paid_p += sum(fen(e["amount"]) for e in p.events if e["loan_id"] == loan_id and e["event_on"] <= t
                  and e["kind"] in ("compensation", "write_off"))
    paid_i = sum(fen(r["interest_paid"]) for r in p.repayments if r["loan_id"] == loan_id and r["paid_on"] <= t)
    worst = 0
    for column, paid in ((1, paid_p), (2, paid_i)):
        cum = 0
        for row in p.schedule[loan_id]:
            cum += fen(row[column])
            if row[0] < t and cum > paid + TOLERANCE:
                worst = max(worst, (t - row[0]).days)
                break
    return worst


def halted_days(p: Portfolio, dl: Daily) -> list[bool]:
    """R-HALT status at the end of each day: from a breach until a resume decision dated after it."""
    resumes = {d["decided_on"] for d in p.decisions if d["kind"] == "resume"}
    status, halted, last_breach = [], False, None
    for day in dl.days:
        if dl.above(day, 5):
            halted, last_breach = True, day
        elif halted and day in resumes and last_breach is not None and day > last_breach:
            halted = False
        status.append(halted)
    return status


def compliance(p: Portfolio, dl: Daily | None = None) -> set[tuple[str, str]]:
    """(loan_id, rule) for every breach of C1–C11 under the Anyi profile."""
    dl = dl or daily(p)
    lpr = load_lpr()
    flags: set[tuple[str, str]] = set()
    halted = halted_days(p, dl)
    notices: dict[str, list[date]] = defaultdict(list)
    code_of = {loan.loan_id: loan.credit_code for loan in p.loans}
    for e in p.events:
        if e["kind"] == "compensation_notice":
            notices[code_of[e["loan_id"]]].append(e["event_on"])
    running: dict[tuple[str, int], int] = defaultdict(int)
    for loan in sorted(p.loans, key=lambda x: (x.disbursed_on, x.loan_id)):
        lid, d = loan.loan_id, loan.disbursed_on
        pledge = min(loan.appraised_value, loan.fair_value or loan.appraised_value)
        checks = {
            "C1": loan.principal <= 10_000_000,
            "C2": loan.matures_on <= add_years(d, 1),
            "C3": loan.principal <= Decimal("0.60") * pledge,
            "C4": loan.annual_rate <= lpr_on(lpr, d) + Decimal("0.0050"),
            "C5": (loan.guarantee_fee or 0) <= Decimal("0.01") * loan.principal,
            "C6": (loan.appraisal_fee or 0) <= Decimal("0.01") * loan.principal,
            "C8": all(c["ip_expires_on"] >= add_years(d, 3) for c in loan.collateral
                      if c["ip_type"] in ("invention_patent", "utility_model")),
            "C9": not any(c < d <= add_years(c, 3) for c in notices[loan.credit_code]),
            "C10": not ((d - dl.days[0]).days >= 1 and halted[(d - dl.days[0]).days - 1]),
            "C11": (loan.pledge_mode == "indirect") == bool(loan.guarantor),
        }
        running[(loan.credit_code, d.year)] += fen(loan.principal)
        checks["C7"] = running[(loan.credit_code, d.year)] <= fen(Decimal(10_000_000))
        flags |= {(lid, rule) for rule, ok in checks.items() if not ok}
    return flags


def renewal_chains(p: Portfolio) -> list[list[str]]:
    """Every renewal chain (oldest first) of two or more loans."""
    parent = {loan.loan_id: loan.renews.loan_id for loan in p.loans if loan.renews}
    children = set(parent.values())
    chains = []
    for tail in parent:
        if tail in children:
            continue
        chain = [tail]
        while chain[-1] in parent:
            chain.append(parent[chain[-1]])
        chains.append(chain[::-1])
    return sorted(chains)


def story_figures(p: Portfolio) -> dict:
    """The story's key dates and ratios (what the docstring table and the tests pin)."""
    dl = daily(p)
    warn = [d for d in dl.days if dl.above(d, 4) and not dl.above(d, 5)]
    breach = [d for d in dl.days if dl.above(d, 5)]
    resume = next(d["decided_on"] for d in p.decisions if d["kind"] == "resume")
    peak = max(dl.days, key=lambda d: dl.ratio(d) or 0)
    return {
        "loans": len(p.loans),
        "first_warning_day": warn[0] if warn else None,
        "warning_days": len(warn),
        "first_breach_day": breach[0] if breach else None,
        "last_breach_day": breach[-1] if breach else None,
        "breach_days": len(breach),
        "peak_day": peak, "peak_ratio": dl.ratio(peak),
        "resume_day": resume, "ratio_on_resume": dl.ratio(resume),
        "ratio_at_end": dl.ratio(LEDGER_END),
        "active_at_end": int(dl.active[-1]) / 100, "overdue_at_end": int(dl.overdue[-1]) / 100,
        "compliance": sorted(compliance(p, dl)),
        "chains": renewal_chains(p),
    }


def story_table(p: Portfolio) -> str:
    """A printable table of the ratio around every day the overdue set changes."""
    dl = daily(p)
    lines = ["day         active (yuan)     overdue (yuan)   ratio    status"]
    halted = halted_days(p, dl)
    previous = None
    for k, d in enumerate(dl.days):
        key = (int(dl.overdue[k]), halted[k])
        if key != previous:
            r = dl.ratio(d)
            band = "halted" if halted[k] else ("warning" if dl.above(d, 4) else "normal")
            lines.append(f"{d}  {dl.active[k] / 100:>16,.2f}  {dl.overdue[k] / 100:>15,.2f}  "
                         f"{(r or 0) * 100:6.3f}%  {band}")
            previous = key
    return "\n".join(lines)


if __name__ == "__main__":
    story = build_story()
    for key, value in story_figures(story).items():
        print(f"{key}: {value}")
    print(story_table(story))
