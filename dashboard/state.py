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
    # The signed-in account (R-SCOPE). scope: the account's filter as sorted (key, value) pairs,
    # () = every loan (bureau); dashboard.data reads it itself, so a page cannot ask for more.
    username: str | None = None
    role: str | None = None
    organisation: str | None = None
    scope: tuple = ()


def set_current(ctx: Ctx) -> None:
    st.session_state[KEY] = ctx


def current() -> Ctx:
    """The context set by app.py for this run."""
    return st.session_state[KEY]


def scope() -> tuple:
    """The signed-in account's scope as hashable (key, value) pairs; () when every loan."""
    ctx = st.session_state.get(KEY)
    return ctx.scope if ctx is not None else ()


def page_with_loans(title_key: str) -> Ctx:
    """Start a page that needs loans: its title (i18n key ``title_key``), then the context; on a
    store without loans the page says so in the current language and stops here."""
    from dashboard.i18n import t

    ctx = current()
    st.title(t(title_key))
    if not ctx.has_loans:
        st.info(t("no_data"))
        st.stop()
    return ctx
