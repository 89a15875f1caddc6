"""Display names of columns and coded values (bank-neutral codes such as 'invention_patent',
'late', 'C4', '60-89') in the current language.

The labels themselves are in ``queries.labels`` (one table, shared with the report files); this
module only picks the language the page is shown in. The dashboard's own UI strings are in
dashboard/i18n.py.
"""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import lang
from queries import labels as _shared


def column(name: str) -> str:
    """The header of a column in the current language (the name itself when unlabelled)."""
    return _shared.label(name, lang())


def section_title(section: str) -> str:
    """The title of a report section (summary, loans, alerts_60d …) in the current language."""
    zh, en = _shared.SECTION_TITLES[section]
    return zh if lang() == "zh" else en


def bilingual(zh: str, en: str) -> str:
    """Of a text given in both languages (engine descriptions, ingest messages), the current one."""
    return zh if lang() == "zh" else en


def segment(dimension: str, value) -> str:
    """A coded value of ``dimension`` (ip_type, bucket, claim_status …) in the current language."""
    key = None if value is None or (isinstance(value, float) and pd.isna(value)) else value
    table = _shared.VALUES.get(dimension, {})
    if key in table:
        zh, en = table[key]
        return zh if lang() == "zh" else en
    return "" if key is None else str(key)


def translate(frame: pd.DataFrame, dimensions: dict[str, str]) -> pd.DataFrame:
    """A copy with the coded columns (column -> dimension) replaced by their display names."""
    out = frame.copy()
    for col, dim in dimensions.items():
        if col in out.columns:
            out[col] = [segment(dim, v) for v in out[col]]
    return out
