"""合规检查 Compliance: exceptions by rule C1–C11 — counts, the loans, and the values that broke
each rule (queries.compliance)."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from dashboard import data, fmt, state
from dashboard.i18n import lang, t
from dashboard.labels import column
from queries.compliance import DESCRIPTIONS, RULES


def exact_text(value) -> str | None:
    """An exact decimal as text: two decimals with separators when it is money-like, else as is."""
    if value is None:
        return None
    d = Decimal(str(value))
    if d == d.quantize(Decimal("0.01")):
        return f"{d.quantize(Decimal('0.01')):,}"
    return format(d.normalize(), "f")


ctx = state.page_with_loans("page_compliance")

d = data.compliance_data(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
exc, summary = d["exceptions"], d["summary"]
i = 0 if lang() == "zh" else 1

c = st.columns(2)
c[0].metric(t("m_exceptions"), fmt.count(int(summary["rows"].sum())), border=True)
c[1].metric(t("m_loans_flagged"), fmt.count(exc["loan_id"].nunique()), border=True)

table = summary[["rule", "loans", "rows"]].copy()
table.insert(1, "description", [DESCRIPTIONS[r][i] for r in table["rule"]])
table = table[["rule", "loans", "rows", "description"]]
left, right = st.columns([3, 2])
with left:
    fmt.table(table, hide_index=True, key="rules_table", height=35 * (len(table) + 1) + 3, column_config={
        "rule": column("rule"), "description": column("description"),
        "loans": fmt.int_column(column("loans")), "rows": fmt.int_column(column("rows"))})
with right:
    fmt.show(fmt.bar_chart(table, "rule", "loans", t("m_loans_flagged"), y_title=column("loans"),
                           x_title=column("rule")), key="rules_chart")

with_hits = [r for r in RULES if int(summary.loc[summary["rule"] == r, "rows"].iloc[0]) > 0]
rule = st.selectbox(t("choose_rule"), RULES, key="rule_pick",
                    index=RULES.index(with_hits[0]) if with_hits else 0,
                    format_func=lambda r: f"{r} · {DESCRIPTIONS[r][i]}")
rows = exc[exc["rule"] == rule]
cols = ["loan_id", "enterprise_name", "bank", "disbursed_on", "item", "actual_value", "limit_value",
        "actual_on", "limit_on", "detail"]
shown = rows[cols].copy()
for c_ in ("actual_value", "limit_value"):
    shown[c_] = [exact_text(v) for v in shown[c_]]  # exact text: yuan, rates or counts
fmt.table(shown, hide_index=True, key="exceptions_table", column_config={
    **{c_: column(c_) for c_ in cols},
    "disbursed_on": fmt.date_column(column("disbursed_on")),
    "actual_on": fmt.date_column(column("actual_on")), "limit_on": fmt.date_column(column("limit_on"))})
