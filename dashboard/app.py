"""Minimal placeholder until the dashboard issue lands: shows the loaded tables."""

import streamlit as st

from pipelines import store

st.set_page_config(page_title="PledgeWatch", layout="wide")
st.title("PledgeWatch 知识产权质押贷款风险监测")
with store.read_connection() as con:
    counts = con.execute(
        "select 'loans', count(*) from loans union all select 'repayments', count(*) from repayments"
    ).fetchall()
st.table({name: [n] for name, n in counts})
