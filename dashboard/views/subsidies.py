"""补贴 Subsidies (R-SUB): eligible against paid by year, kind, bank and enterprise; years whose
policy the bureau has not confirmed are marked (queries.subsidies.comparison)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, fmt, state
from dashboard.i18n import t

ctx = state.page_with_loans("page_subsidies")

d = data.subsidy_data(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
totals, by = d["totals"], d["by"]

c = st.columns(3)
c[0].metric(fmt.wan_label(t("m_eligible")), fmt.wan_number(totals["eligible"]), border=True)
c[1].metric(fmt.wan_label(t("m_paid")), fmt.wan_number(totals["paid"]), border=True)
c[2].metric(fmt.wan_label(t("m_difference")), fmt.wan_number(totals["difference"]), border=True)
if totals["unconfirmed"]:
    st.warning(t("unconfirmed_note"))

MONEY = ["eligible", "paid", "difference"]


def show_table(frame, key_col, key, dimension=None):
    fmt.labelled_table(frame, [key_col, *MONEY, "confirmed"], key, codes={key_col: dimension} if dimension else {},
                       texts={"confirmed": {True: t("confirmed"), False: t("unconfirmed")}}, export=key)


tabs = st.tabs([t("by_year"), t("by_kind"), t("by_bank"), t("by_enterprise")])
with tabs[0]:
    charts.show(charts.side_by_side(by["year"], "year", ["eligible", "paid"], t("by_year")), key="sub_year_chart")
    show_table(by["year"], "year", "sub_year")
with tabs[1]:
    show_table(by["kind"], "kind", "sub_kind", dimension="kind")
with tabs[2]:
    show_table(by["bank"], "bank", "sub_bank")
with tabs[3]:
    show_table(by["enterprise"], "enterprise_name", "sub_enterprise")
