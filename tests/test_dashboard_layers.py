"""Pages only render (README "Layout": dashboard → queries → pipelines), checked statically.

A page module in dashboard/views/ gets its data from dashboard.data, its formatting and charts from
dashboard.fmt / dashboard.charts and its labels from dashboard.labels; it computes nothing. The rule,
stated precisely enough for a machine:

- at most MAX_LINES lines;
- no ``.sql(`` or ``.execute(`` anywhere in the text (no SQL run by a page);
- no ``import duckdb`` and nothing imported from ``pipelines``;
- from ``queries`` only ``queries.labels`` (anything) or UPPER_CASE names of another queries module
  (constants such as compliance.RULES); no queries function, no ``import queries.x``;
- no arithmetic with a number literal (``x / 10000``, ``ratio * 100``, ``35 * (n + 1) + 3``): units
  and sizes are fmt's (fmt.to_wan, fmt.table_height …);
- no call of a pandas computing method (DATA_METHODS: sums, merges, sorts, reshaping) on anything
  but the dashboard's helper modules (HELPERS: fmt.count formats a number) — the numbers come from
  queries, through dashboard.data.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

VIEWS = Path(__file__).resolve().parent.parent / "dashboard" / "views"
MAX_LINES = 120
DATA_METHODS = frozenset({
    "sum", "mean", "median", "max", "min", "cumsum", "cumprod", "diff", "count", "nunique", "value_counts",
    "merge", "join", "groupby", "pivot", "pivot_table", "melt", "agg", "aggregate", "sort_values", "resample",
    "rolling", "apply", "round", "div", "mul", "add", "sub",
})
HELPERS = frozenset({"fmt", "charts", "data", "labels", "st"})  # fmt.count() formats, it does not count
ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


def _is_number(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool))


def problems(source: str, name: str = "<page>") -> list[str]:
    """Every way ``source`` (a page module's text) breaks the rule above, as readable lines."""
    out = []
    lines = source.count("\n") + (0 if source.endswith("\n") else 1)
    if lines > MAX_LINES:
        out.append(f"{name}: {lines} lines (at most {MAX_LINES})")
    for needle in (".sql(", ".execute("):
        if needle in source:
            out.append(f"{name}: runs SQL ({needle!r})")
    for node in ast.walk(ast.parse(source)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in ("duckdb", "pipelines") or (root == "queries" and alias.name != "queries.labels"):
                    out.append(f"{where}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            if root in ("duckdb", "pipelines"):
                out.append(f"{where}: from {node.module} import …")
            elif node.module == "queries":
                out += [f"{where}: from queries import {a.name}" for a in node.names if a.name != "labels"]
            elif root == "queries" and node.module != "queries.labels":
                out += [f"{where}: from {node.module} import {a.name} (not a constant)"
                        for a in node.names if not a.name.isupper()]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ARITHMETIC) and (
                _is_number(node.left) or _is_number(node.right)):
            out.append(f"{where}: arithmetic with a number literal ({ast.unparse(node)})")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in DATA_METHODS
              and not (isinstance(node.func.value, ast.Name) and node.func.value.id in HELPERS)):
            out.append(f"{where}: computes on data (.{node.func.attr}())")
    return out


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda p: p.name)
def test_page_only_renders(path: Path):
    assert problems(path.read_text(encoding="utf-8"), path.name) == []


GOOD = '''
import streamlit as st

from dashboard import charts, data, fmt
from dashboard.labels import column
from queries import labels
from queries.compliance import DESCRIPTIONS, RULES

d = data.overview("db", "anyi", None, 1)
st.metric(column("active_balance"), fmt.wan_number(d["summary"]["active_balance"]))
shown = d["list"][d["list"]["bucket"] != "current"]
charts.show(charts.bar_chart(fmt.to_wan(shown, ["balance"]), "bucket", "balance", "t"), key="x")
'''

BAD = '''
import duckdb
import queries.ratio
from pipelines import store
from queries import dpd, labels
from queries.compliance import RULES, summary

con = duckdb.connect()
rows = con.execute("select 1").fetchall()
frame = con.sql("select 1").df()
wan = frame["outstanding"].map(float) / 10000
height = 35 * (len(frame) + 1) + 3
total = frame["outstanding"].sum()
table = frame.merge(frame, on="loan_id").sort_values("dpd")
'''


def test_the_checker_passes_a_page_that_only_renders():
    assert problems(GOOD) == []


def test_the_checker_names_every_breach_of_a_bad_page():
    found = problems(BAD)
    text = "\n".join(found)
    for expected in ("import duckdb", "import queries.ratio", "from pipelines import", "from queries import dpd",
                     "queries.compliance import summary (not a constant)", "runs SQL ('.sql(')",
                     "runs SQL ('.execute(')", "frame['outstanding'].map(float) / 10000", "35 * (len(frame) + 1)",
                     ".sum()", ".merge()", ".sort_values()"):
        assert expected in text, (expected, found)
    assert not any("RULES" in f or "labels" in f for f in found)  # constants and labels are allowed


def test_the_checker_counts_lines():
    assert problems("x = 1\n" * (MAX_LINES + 1)) == [f"<page>: {MAX_LINES + 1} lines (at most {MAX_LINES})"]
    assert problems("x = 1\n" * MAX_LINES) == []
