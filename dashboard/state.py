"""What the sidebar chose, handed from the router (app.py) to the pages.

app.py reads the sidebar widgets once per run and stores a ``Ctx`` in session state;
every page reads it with ``current()``. The context carries the cache key of every
query: database path, profile name, as-of date and the latest batch id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

KEY = "pw_ctx"


@dataclass(frozen=True)
class Ctx:
    """The sidebar's choices plus the data version (latest ingest batch id)."""

    db: str
    profile: str
    as_of: date
    batch: int
    lang: str
    has_loans: bool


def set_current(ctx: Ctx) -> None:
    st.session_state[KEY] = ctx


def current() -> Ctx:
    """The context set by app.py for this run."""
    return st.session_state[KEY]
