"""登录 Sign-in (R-SCOPE): username and password checked by pipelines.users through dashboard.auth
(argon2id; 5 wrong passwords lock the account for 15 minutes; one generic error whatever went
wrong); with an identity provider configured, also st.login (OIDC)."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, charts, data
from dashboard.i18n import t

st.title(t("page_signin"))
if st.session_state.pop("pw_signed_out_idle", False):
    st.info(t("signin_idle", n=auth.idle_minutes()))
if st.session_state.get("pw_oidc_refused"):
    st.error(t("signin_oidc_refused"))

with st.form("signin", clear_on_submit=True):  # cleared: the password does not stay in the widget
    username = st.text_input(t("signin_user"), key="signin_user", autocomplete="username")
    password = st.text_input(t("signin_password"), type="password", key="signin_password",
                             autocomplete="current-password")
    submitted = st.form_submit_button(t("signin_submit"), type="primary")
if submitted:
    outcome = auth.sign_in(data.db_path(), username, password)
    if outcome == "ok":
        st.rerun()
    st.error(t("signin_failed") if outcome == "failed" else t("signin_busy"))
st.caption(t("signin_lock_note", n=auth.MAX_FAILURES, minutes=auth.LOCK_MINUTES))

if auth.oidc_settings() is not None:
    st.button(t("signin_oidc"), on_click=st.login, key="signin_oidc")

charts.preload()  # plotly.js loads while the password is typed: the overview draws at once after
