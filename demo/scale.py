"""Portfolios of any size for the benchmark: canonical UTF-8 CSV ledgers, built with numpy, no per-row loops.

`generate_scale(out_dir, loans, seed)` writes loans.csv, collateral.csv, repayments.csv,
events.csv and decisions.csv with the canonical English headers of LEDGER.md and returns
{kind: path}. Shares: ~90 % of loans pay every due on time (on the due date or up to 3 days
early), 5 % pay one due 1–30 days late, 5 % stop paying at some due; of those the indirect
ones are compensated with probability 1/3 (~1 % of all loans: notice 60–70 days after the
first missed due, guarantor 70 % and appraiser 10 % within 5–24 days, bank write-off of 20 %),
the rest are written off by the bank 120–300 days after the first missed due.

Every loan has the standard R-SCHED schedule of a 12-month term: disbursed on day 1–28 (so no
month-end clipping), interest due on that day of each following month, principal at maturity;
interest = principal × rate × days / 360 rounded half up to the fen, in integer arithmetic.
Repayments: one row per interest due plus one principal row at maturity (13 for a loan that
ran its course), only those paid by LEDGER_END. No schedule file is written (the engine
generates R-SCHED). decisions.csv has its header and no rows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from demo.ids import INDUSTRIES, PATENT_WEIGHTS, TRADE_NAMES, USCC_ALPHABET
from demo.story import APPRAISERS, BANKS, GUARANTORS, load_lpr

START_MONTH = np.datetime64("2022-01", "M")
MONTHS = 48  # disbursements 2022-01 .. 2025-12
LEDGER_END = np.datetime64("2025-12-31", "D")
SIZES_WAN = np.array([50, 80, 100, 120, 150, 200, 250, 300, 350, 400, 500, 600, 800])
SIZE_P = np.array([6, 7, 10, 8, 10, 12, 8, 10, 6, 8, 7, 5, 3], float)
SPREADS_BP = np.array([0, 10, 15, 20, 25, 30, 35, 40, 45, 50])
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
ORG_W = np.array([3, 7, 9, 10, 5, 8, 4, 2])
KINDS = ("compensation_notice", "compensation", "write_off")
PARTIES = ("guarantor", "appraiser", "bank")
IP_TYPES = ("invention_patent", "utility_model", "trademark", "geographical_indication")


def _fen_to_money(fen: np.ndarray) -> pa.Array:
    """Integer fen -> decimal128(.., 2) yuan, exact."""
    return pc.multiply(pa.array(fen, pa.int64()).cast(pa.decimal128(20, 0)),
                       pa.scalar(Decimal("0.01"), pa.decimal128(3, 2)))


def _pick(values, indices: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """values[indices] as a pyarrow string array (null where mask is True), without Python loops."""
    return pa.array(list(values), pa.string()).take(pa.array(indices, pa.int64(), mask=mask))


def _numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """prefix + zero-padded numbers, e.g. SC0000042."""
    text = pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, text, "")


def _credit_codes(rng: np.random.Generator, count: int) -> pa.Array:
    """`count` distinct valid credit codes 91 360123 MA + 6 chars + org check + USCC check."""
    body = np.unique(rng.integers(0, 31**6, int(count * 1.2) + 10))
    body = rng.permutation(body)[:count]
    alpha = np.frombuffer(USCC_ALPHABET.encode(), np.uint8)
    digits = np.stack([(body // 31**k) % 31 for k in range(5, -1, -1)], axis=1)  # USCC alphabet indices
    chars = np.empty((count, 18), np.uint8)
    chars[:, :8] = np.frombuffer(b"91360123", np.uint8)
    chars[:, 8:10] = np.frombuffer(b"MA", np.uint8)
    chars[:, 10:16] = alpha[digits]
    # organisation code check (GB 11714): values 0-9, A=10 … Z=35
    c = chars[:, 8:16].astype(np.int64)
    val = np.where(c <= ord("9"), c - ord("0"), c - ord("A") + 10)
    check = 11 - (val @ ORG_W) % 11
    chars[:, 16] = np.where(check == 10, ord("X"), np.where(check == 11, ord("0"), check + ord("0")))
    # USCC check over 17 characters (index in the USCC alphabet)
    lookup = np.full(128, -1, np.int64)
    lookup[alpha] = np.arange(31)
    total = lookup[chars[:, :17]] @ USCC_WEIGHTS
    chars[:, 17] = alpha[(31 - total % 31) % 31]
    return pa.array(chars.view("S18").ravel(), pa.binary(18)).cast(pa.string())


def _names(rng: np.random.Generator, count: int) -> tuple[pa.Array, np.ndarray]:
    """Distinct enterprise names (江西 + two trade names + an industry suffix) and industry indices."""
    suffixes = [(i, s) for i in INDUSTRIES for s in INDUSTRIES[i]]
    t = len(TRADE_NAMES)
    space = t * t * len(suffixes)
    pick = rng.permutation(space)[:count] if count <= space else rng.integers(0, space, count)
    a, rest = pick % t, pick // t
    b_, s = rest % t, rest // t
    parts = ["江西", _pick(TRADE_NAMES, a), _pick(TRADE_NAMES, b_), _pick([x[1] for x in suffixes], s)]
    if count > space:  # beyond the name space: number them
        parts.append(_numbered("", np.arange(count), 1))
    industry = np.array([list(INDUSTRIES).index(x[0]) for x in suffixes])[s]
    return pc.binary_join_element_wise(*parts, ""), industry


def _patent_numbers(year: np.ndarray, kind: np.ndarray, serial: np.ndarray) -> pa.Array:
    """ZL + year + type digit + 7-digit serial + . + check digit, vectorised."""
    digits = np.concatenate([
        np.stack([(year // 10**k) % 10 for k in (3, 2, 1, 0)], 1), kind[:, None],
        np.stack([(serial // 10**k) % 10 for k in range(6, -1, -1)], 1)], axis=1)
    check = (digits @ np.array(PATENT_WEIGHTS)) % 11
    return pc.binary_join_element_wise(
        "ZL", _numbered("", year, 4), _numbered("", kind, 1), _numbered("", serial, 7), ".",
        _pick("0123456789X", check), "")


def _add_years(d: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Same month and day `years` later (days are <= 28, so always valid)."""
    month = d.astype("datetime64[M]")
    day = (d - month.astype("datetime64[D]")).astype(np.int64)
    return (month + 12 * years).astype("datetime64[D]") + day


def _write(table: pa.Table, path: Path) -> None:
    pcsv.write_csv(table, path, pcsv.WriteOptions(quoting_style="needed"))


def generate_scale(out_dir, loans: int, seed: int) -> dict[str, Path]:
    """Write a canonical CSV portfolio of `loans` loans into out_dir; returns {kind: path}."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = int(loans)
    idx = np.arange(n)

    # ---- loans
    month = START_MONTH + rng.integers(0, MONTHS, n)
    day0 = rng.integers(0, 28, n)  # day of month - 1
    disb = month.astype("datetime64[D]") + day0
    dues = (month[:, None] + np.arange(1, 13)).astype("datetime64[D]") + day0[:, None]  # (n, 12)
    matures = dues[:, -1]
    period_days = np.diff(np.concatenate([disb[:, None], dues], axis=1), axis=1).astype(np.int64)
    principal = SIZES_WAN[rng.choice(len(SIZES_WAN), n, p=SIZE_P / SIZE_P.sum())] * 10_000  # yuan
    lpr = load_lpr()
    lpr_days = np.array([d for d, _ in lpr], "datetime64[D]")
    lpr_bp = np.array([int(r * 10000) for _, r in lpr])
    rate_bp = lpr_bp[np.searchsorted(lpr_days, disb, side="right") - 1] + SPREADS_BP[rng.integers(0, 10, n)]
    num = principal[:, None] * rate_bp[:, None] * period_days  # interest in fen = num / 36000
    interest_fen = (2 * num + 36000) // 72000  # half up
    indirect = rng.random(n) < 0.6
    n_firms = max(1, int(n * 0.6))
    codes = _credit_codes(rng, n_firms)
    names, industries = _names(rng, n_firms)
    firm = rng.integers(0, n_firms, n)
    bank = rng.integers(0, len(BANKS), n)
    guarantor = rng.integers(0, len(GUARANTORS), n)
    appraiser = rng.integers(0, len(APPRAISERS), n)
    pledge_pct = rng.choice(np.array([30, 35, 40, 45, 50, 55]), n)
    appraised_fen = principal * 100 * 100 // pledge_pct
    loan_ids = _numbered("SC", idx, 7)

    # ---- behaviour (R-DPD shares)
    u = rng.random(n)
    stopped = u < 0.05
    late = (u >= 0.05) & (u < 0.10)
    stop_at = np.where(stopped, rng.integers(2, 12, n), 99)
    late_at = np.where(late, rng.integers(0, 11, n), 99)
    k = np.arange(12)[None, :]
    early = rng.choice(np.array([0, 0, 0, 0, 1, 2, 3]), (n, 12))
    lateness = np.where(k == late_at[:, None], rng.integers(1, 31, (n, 1)), 0)
    paid_on = dues - early + lateness
    paid = (k < stop_at[:, None]) & (paid_on <= LEDGER_END)

    # ---- repayments: interest rows, then the principal rows at maturity
    rows_i, cols_i = np.nonzero(paid)
    final = paid[:, -1]
    rep_loan = np.concatenate([rows_i, idx[final]])
    rep_date = np.concatenate([paid_on[rows_i, cols_i], paid_on[final, -1]])
    rep_p = np.concatenate([np.zeros(len(rows_i), np.int64), principal[final] * 100])
    rep_i = np.concatenate([interest_fen[rows_i, cols_i], np.zeros(int(final.sum()), np.int64)])
    order = np.lexsort((rep_loan, rep_date))
    repayments = pa.table({
        "txn_id": _numbered("T", np.arange(len(order)), 9),
        "loan_id": loan_ids.take(rep_loan[order]),
        "paid_on": pa.array(rep_date[order]),
        "principal_paid": _fen_to_money(rep_p[order]),
        "interest_paid": _fen_to_money(rep_i[order]),
    })

    # ---- events: compensation for a third of the stopped indirect loans, write-off for the rest
    first_missed = dues[idx, np.minimum(stop_at, 11)]
    comp = stopped & indirect & (rng.random(n) < 1 / 3)
    notice = first_missed + rng.integers(60, 71, n)
    g_day = notice + rng.integers(5, 25, n)
    a_day = notice + rng.integers(5, 25, n)
    w_day = notice + rng.integers(30, 91, n)
    bank_wo = first_missed + rng.integers(120, 301, n)
    parts = [  # (mask, date, kind, party, amount in fen)
        (comp, notice, "compensation_notice", None, None),
        (comp, g_day, "compensation", "guarantor", principal * 70),
        (comp, a_day, "compensation", "appraiser", principal * 10),
        (comp, w_day, "write_off", "bank", principal * 20),
        (stopped & ~comp, bank_wo, "write_off", "bank", principal * 100),
    ]
    ev_loan, ev_date, ev_kind, ev_party, ev_amt = [], [], [], [], []
    for mask, when, kind, party, amount in parts:
        sel = mask & (when <= LEDGER_END)
        ev_loan.append(idx[sel])
        ev_date.append(when[sel])
        ev_kind.append(np.full(int(sel.sum()), KINDS.index(kind)))
        ev_party.append(np.full(int(sel.sum()), -1 if party is None else PARTIES.index(party)))
        ev_amt.append(np.full(int(sel.sum()), -1, np.int64) if amount is None else amount[sel])
    ev_loan, ev_date = np.concatenate(ev_loan), np.concatenate(ev_date)
    ev_amt = np.concatenate(ev_amt)
    order = np.lexsort((ev_loan, ev_date))
    amounts = _fen_to_money(ev_amt[order])
    events = pa.table({
        "loan_id": loan_ids.take(ev_loan[order]),
        "event_on": pa.array(ev_date[order]),
        "kind": _pick(KINDS, np.concatenate(ev_kind)[order]),
        "party": _pick(PARTIES, np.concatenate(ev_party)[order], np.concatenate(ev_party)[order] < 0),
        "amount": pc.if_else(pc.less(amounts, pa.scalar(Decimal(0), amounts.type)), None, amounts),
    })

    # ---- collateral: one IP right per loan, a second for 30 %
    two = rng.random(n) < 0.3
    c_loan = np.concatenate([idx, idx[two]])
    m = len(c_loan)
    kind_pick = rng.choice(4, m, p=[0.45, 0.35, 0.17, 0.03])
    c_disb = disb[c_loan]
    disb_year = c_disb.astype("datetime64[Y]").astype(np.int64) + 1970
    back = np.where(kind_pick == 0, rng.integers(2, 13, m), rng.integers(1, 6, m))
    filed = (np.array((disb_year - back) - 1970, "datetime64[Y]").astype("datetime64[M]")
             + rng.integers(0, 12, m)).astype("datetime64[D]") + rng.integers(0, 28, m)
    life = np.select([kind_pick == 0, kind_pick == 1], [20, 10], 10)
    expires = _add_years(filed, life) - np.timedelta64(1, "D")
    # distinct 7-digit serials without a 10-million permutation: i -> (a·i + b) mod 10^7 is a bijection
    # when a is coprime with 10 (a = 7,654,321)
    serial = (7_654_321 * np.arange(m, dtype=np.int64) + int(rng.integers(0, 10_000_000))) % 10_000_000
    patent = _patent_numbers(disb_year - back, np.where(kind_pick == 0, 1, 2), serial)
    mark = _numbered("", 10_000_000 + serial * 5 + kind_pick, 8)
    ip_number = pc.if_else(pa.array(kind_pick <= 1), patent, mark)
    share = np.where(np.isin(c_loan, idx[two]), 2, 1)
    collateral = pa.table({
        "loan_id": loan_ids.take(c_loan),
        "ip_type": _pick(IP_TYPES, kind_pick),
        "ip_number": ip_number,
        "ip_expires_on": pa.array(expires),
        "appraised_value": _fen_to_money(appraised_fen[c_loan] // share // 100 * 100),
    })

    loans_t = pa.table({
        "loan_id": loan_ids,
        "enterprise_name": names.take(firm),
        "credit_code": codes.take(firm),
        "bank": _pick(BANKS, bank),
        "pledge_mode": _pick(("direct", "indirect"), indirect.astype(np.int64)),
        "guarantor": _pick(GUARANTORS, guarantor, ~indirect),
        "appraiser": _pick(APPRAISERS, appraiser),
        "principal": _fen_to_money(principal * 100),
        "annual_rate": pc.multiply(pa.array(rate_bp, pa.int64()).cast(pa.decimal128(20, 0)),
                                   pa.scalar(Decimal("0.0001"), pa.decimal128(5, 4))),
        "disbursed_on": pa.array(disb),
        "matures_on": pa.array(matures),
        "appraised_value": _fen_to_money(appraised_fen),
        "guarantee_fee": pc.if_else(pa.array(indirect), _fen_to_money(principal * 8 // 10),
                                    None),
        "appraisal_fee": _fen_to_money(principal * 50 // 100),
        "industry": _pick(INDUSTRIES, industries[firm]),
    })
    decisions = pa.table({"decided_on": pa.array([], pa.date32()), "kind": pa.array([], pa.string()),
                          "note": pa.array([], pa.string())})
    paths = {kind: out / f"{kind}.csv" for kind in ("loans", "collateral", "repayments", "events", "decisions")}
    for kind, table in (("loans", loans_t), ("collateral", collateral), ("repayments", repayments),
                        ("events", events), ("decisions", decisions)):
        _write(table, paths[kind])
    return paths
