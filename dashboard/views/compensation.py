"""代偿与损失 Compensation: claims with deadline, expected and received per party and status (R-COMP);
loss sharing with recoveries (R-LOSS); enterprises banned until their end date (R-BAN)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, fmt, state
from dashboard.i18n import t

ctx = state.page_with_loans("page_compensation")

d = data.compensation(ctx.db, ctx.profile, ctx.as_of, ctx.batch)
claims, loss, bans = d["claims"], d["loss"], d["bans"]

counts = d["counts"]
c = st.columns(4)
c[0].metric(t("m_claims_pending"), fmt.count(counts["pending"]), border=True)
c[1].metric(t("m_claims_late"), fmt.count(counts["late"]), border=True)
c[2].metric(t("m_claims_settled"), fmt.count(counts["settled"]), border=True)
c[3].metric(t("m_banned"), fmt.count(d["bans_in_force"]), border=True, help=t("bans"))

MONEY_CLAIMS = ["outstanding_at_notice", "expected_guarantor", "received_guarantor", "expected_appraiser",
                "received_appraiser"]
# What a risk officer acts on first: loan, enterprise, status, days left, bank; the amounts follow.
st.subheader(t("claims"))
if len(claims):
    cols = ["loan_id", "enterprise_name", "status", "days_left", "deadline", "bank", "guarantor", "notice_on",
            *MONEY_CLAIMS, "dpd_at_notice", "premature", "settled_on"]
    fmt.labelled_table(claims, cols, "claims_table", codes={"status": "claim_status", "guarantor": "guarantor"},
                       label_as={"status": "claim_status"},
                       texts={"days_left": fmt.days_left_texts(claims["days_left"])}, export="claims")
else:
    st.caption(t("no_rows"))

st.subheader(t("loss_sharing"))
if len(loss):
    cols = ["loan_id", "enterprise_name", "party", "party_name", "net_loss", "notice_on", "loss_share",
            "principal_loss", "loss_part", "recovered", "recovery_part"]
    fmt.labelled_table(loss, cols, "loss_table", codes={"party": "party"}, export="loss_sharing")
else:
    st.caption(t("no_rows"))

st.subheader(t("bans"))
if len(bans):
    fmt.labelled_table(bans, ["credit_code", "enterprise_name", "notice_on", "ban_until", "active", "loan_ids"],
                       "bans_table", label_as={"active": "ban_active"}, export="bans")
else:
    st.caption(t("no_rows"))
