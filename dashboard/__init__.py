"""PledgeWatch Streamlit dashboard."""
