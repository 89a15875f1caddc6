"""SQL files and their bound parameters: the machinery under every query of the project.

A query is a ``.sql`` file using DuckDB's ``$name`` placeholders. DuckDB refuses a parameter dict
with names the query does not use, so ``bind`` keeps only the names that occur in the text (outside
``--`` comments): callers hand one dict of every parameter to every query. Values are bound, never
formatted into SQL. ``queries.runner`` (the engine's one runner) and ``pipelines.ingest`` both read
their files through here.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@cache
def read(path: Path) -> str:
    """The text of one SQL file (cached: the files do not change while running)."""
    return Path(path).read_text(encoding="utf-8")


def bind(sql: str, p: dict, strict: bool = True) -> dict:
    """The subset of ``p`` that ``sql`` names. ``strict``: a name missing from ``p`` is an error
    (KeyError), not a silent NULL."""
    names = set(_PARAM.findall(_COMMENT.sub("", sql)))
    missing = names - p.keys()
    if strict and missing:
        raise KeyError(f"query needs parameters {sorted(missing)}")
    return {k: p[k] for k in names if k in p}
