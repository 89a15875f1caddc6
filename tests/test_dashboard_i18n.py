"""The dashboard's zh / en tables: same keys, every key used in the code exists, formats as specified."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard import fmt, i18n

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"


def test_both_languages_have_the_same_keys():
    assert set(i18n.ZH) == set(i18n.EN)
    assert all(i18n.ZH[k].strip() and i18n.EN[k].strip() for k in i18n.ZH)


def test_every_key_used_in_the_dashboard_is_translated():
    used = set()
    for path in DASHBOARD.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']""", path.read_text(encoding="utf-8")))
        used |= {f"page_{k}" for k in re.findall(r'"page_([a-z]+)"', path.read_text(encoding="utf-8"))}
    missing = sorted(k for k in used if k not in i18n.ZH)
    assert not missing
    # keys built at run time: statuses and ledger kinds
    for status in ("normal", "warning", "halted"):
        assert f"status_{status}" in i18n.ZH
    from pipelines.store import LOAD_ORDER

    assert all(f"kind_{k}" in i18n.ZH for k in LOAD_ORDER)


@pytest.mark.parametrize("lang, amount, expected", [
    ("zh", Decimal("12345678.90"), "1,234.57 万元"),    # 12,345,678.90 / 10,000 = 1,234.56789 -> 1,234.57
    ("zh", Decimal("50000.00"), "5.00 万元"),
    ("en", Decimal("-4250000.00"), "-425.00 10k CNY"),  # negative headroom stays negative
    ("zh", Decimal("149.99"), "0.01 万元"),              # 0.014999 rounds half-up at the fen of 万元 -> 0.01
])
def test_amounts_in_wan(monkeypatch, lang, amount, expected):
    monkeypatch.setattr(i18n, "lang", lambda: lang)
    assert fmt.wan(amount) == expected


def test_ratios_and_dates(monkeypatch):
    from datetime import date

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    assert fmt.pct(Decimal("0.0500000")) == "5.00%"
    assert fmt.pct(Decimal("0.050049")) == "5.00%"      # 5.0049 % -> 5.00 %
    assert fmt.pct(Decimal("0.050050")) == "5.01%"      # half-up on the exact decimal, not a float
    assert fmt.pct(Decimal("0.0081"), signed=True) == "+0.81%"
    assert fmt.pct(None) == "—"
    assert fmt.day(date(2025, 6, 30)) == "2025-06-30"
