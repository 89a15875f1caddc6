"""Load ``queries/sql/<name>.sql`` and run it with bound, named parameters.

SQL files use DuckDB's ``$name`` placeholders. DuckDB refuses a parameter dict
with names the query does not use, so the loader passes only the names that
occur in the file: callers can hand every parameter (as-of date, scope filters,
profile values) to every query. Values are bound, never formatted into SQL.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@cache
def sql_text(name: str) -> str:
    """The text of queries/sql/<name>.sql (cached; the files do not change while running)."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def params_for(sql: str, params: dict) -> dict:
    """The subset of ``params`` that ``sql`` names; a missing one is an error, not a silent NULL."""
    names = set(_PARAM.findall(_strip_comments(sql)))
    missing = names - params.keys()
    if missing:
        raise KeyError(f"query needs parameters {sorted(missing)}")
    return {k: params[k] for k in names}


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def execute(con, name: str, params: dict | None = None):
    """Run a named query and return the DuckDB result (fetch it fully: STYLE.md)."""
    sql = sql_text(name)
    return con.execute(sql, params_for(sql, params or {}))


def fetch_df(con, name: str, params: dict | None = None):
    """Run a named query and return a pandas DataFrame (DECIMAL becomes float: display only)."""
    return execute(con, name, params).df()


def fetch_frame(con, name: str, params: dict | None = None):
    """Run a named query and return a pandas DataFrame through Arrow: DECIMAL stays Decimal, DATE stays
    date (exact values for the pages that show them)."""
    sql = sql_text(name)
    return con.sql(sql, params=params_for(sql, params or {})).to_arrow_table().to_pandas()


def fetch_rows(con, name: str, params: dict | None = None) -> list[dict]:
    """Run a named query and return rows as dicts with exact Python values (Decimal, date)."""
    res = execute(con, name, params)
    cols = [d[0] for d in res.description]
    return [dict(zip(cols, row, strict=True)) for row in res.fetchall()]
