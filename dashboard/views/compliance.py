"""合规检查 Compliance: exceptions by rule C1–C11 — counts, the loans, and the values that broke
each rule (queries.compliance)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import bilingual, column
from queries.compliance import DESCRIPTIONS, RULES

ctx = state.page_with_loans("page_compliance")

d = data.compliance_data(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
exc, summary, head = d["exceptions"], d["summary"], d["headline"]

c = st.columns(2)
c[0].metric(t("m_exceptions"), fmt.count(head["exceptions"]), border=True)
c[1].metric(t("m_loans_flagged"), fmt.count(head["loans_flagged"]), border=True)

table = summary.assign(description=[bilingual(zh, en) for zh, en in zip(summary["description_zh"],
                                                                         summary["description_en"], strict=True)])
table = table[["rule", "loans", "rows", "description"]]
left, right = st.columns([3, 2])
with left:
    fmt.labelled_table(table, ["rule", "loans", "rows", "description"], "rules_table", export="compliance_rules",
                       height=fmt.table_height(len(table)))
with right:
    charts.show(charts.bar_chart(table, "rule", "loans", t("m_loans_flagged"), y_title=column("loans"),
                                 x_title=column("rule"), counts=True), key="rules_chart")

# option labels captured as data: AppTest calls format_func outside the run (overdue.py does the same)
RULE_LABELS = {r: f"{r} · {bilingual(*DESCRIPTIONS[r])}" for r in RULES}
urlstate.bind("rule_pick", head["first_rule"], param="rule", valid=lambda v: v in RULES)
rule = st.selectbox(t("choose_rule"), RULES, key="rule_pick", format_func=RULE_LABELS.get,
                    filter_mode=None)
rows = exc[exc["rule"] == rule]
cols = ["loan_id", "enterprise_name", "bank", "disbursed_on", "item", "actual_value", "limit_value",
        "actual_on", "limit_on", "detail", "credit_code"]
fmt.labelled_table(rows, cols, "exceptions_table", export=f"compliance_{rule}",
                   texts={"actual_value": fmt.rule_value_texts(rule, rows["actual_value"]),
                          "limit_value": fmt.rule_value_texts(rule, rows["limit_value"]),
                          "detail": fmt.detail_texts(rows["detail"])})
