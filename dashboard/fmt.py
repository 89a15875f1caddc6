"""Formatting and table helpers shared by every page (the charts and their palette: dashboard/charts.py).

Amounts are shown in 万元 (yuan / 10,000) with thousands separators and two decimals,
ratios as percentages with two decimals, dates as ISO ``2025-06-30``. Formatting takes exact
``Decimal`` values; the display copies of tables (``to_wan``, ``to_pct``) and the charts get
floats (display only, never a boundary).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.labels import column, segment, translate
from queries import labels

# Streamlit's badge accepts only named colours; the three meanings of charts.PALETTE.
BADGE_COLOURS = {"normal": "green", "warning": "orange", "halted": "red"}
WAN = Decimal(10000)
CENT = Decimal("0.01")


_MD_PUNCT = re.compile(r"([!-/:-@\\[-`{-~])")


def _dec(value) -> Decimal | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def md_text(value) -> str:
    """``value`` (data: a name, an id, a file or sheet name, a message quoting them) as literal text
    inside Markdown, which st.subheader / st.error / st.info render: every ASCII punctuation mark is
    backslash-escaped (CommonMark allows it for all of them, and it also stops Streamlit's
    ``:color[...]`` and ``:material/...:`` directives), line breaks become spaces. So a name like
    ``[请点此核验](http://…)`` shows as those characters, never as a link."""
    return _MD_PUNCT.sub(r"\\\1", " ".join(str(value).splitlines()))


def wan_number(amount) -> str:
    """Yuan as 万元 with thousands separators: 12345678.9 -> '1,234.57'; None -> '—'."""
    d = _dec(amount)
    if d is None:
        return t("none")
    return f"{(d / WAN).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def wan(amount) -> str:
    """Yuan as '1,234.57 万元' (or '1,234.57 10k CNY' in English)."""
    text = wan_number(amount)
    return text if text == t("none") else f"{text} {t('unit_wan')}"


def wan_label(label: str) -> str:
    """A metric label carrying the unit, so the value itself stays short: '在贷余额（万元）'."""
    return f"{label}（{t('unit_wan')}）" if t("unit_wan") == "万元" else f"{label} ({t('unit_wan')})"


def pct(ratio, signed: bool = False) -> str:
    """A fraction as a percentage with two decimals: 0.04235 -> '4.24%'; None -> '—'."""
    d = _dec(ratio)
    if d is None:
        return t("none")
    q = (d * 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{q:+.2f}%" if signed else f"{q:.2f}%"


def points(delta) -> str:
    """A change of a ratio in percentage points, signed: 0.0081 -> '+0.81' (the unit word is the
    caller's: '个百分点' / 'pp'); a percentage sign would read as a relative change."""
    d = _dec(delta)
    if d is None:
        return t("none")
    return f"{(d * 100).quantize(CENT, rounding=ROUND_HALF_UP):+.2f}"


def count(n) -> str:
    """An integer with thousands separators."""
    return t("none") if n is None else f"{int(n):,}"


def day(value) -> str:
    """A date as ISO text; None -> '—'."""
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return t("none")
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return value.isoformat()


def status_text(status: str) -> str:
    """The translated name of a program status (normal / warning / halted)."""
    return t(f"status_{status}")


def status_badge(status: str, halted_since=None) -> None:
    """A coloured badge for the program status, with the halt start when halted."""
    label = status_text(status)
    if status == "halted" and halted_since is not None:
        label = f"{label} · {t('halted_since', date=day(halted_since))}"
    st.badge(label, color=BADGE_COLOURS.get(status, "gray"))


def money_column(label: str, help: str | None = None, width=None):
    """A NumberColumn for an amount already divided into 万元 (``width``: st.column_config's)."""
    return st.column_config.NumberColumn(wan_label(label), format="%,.2f", help=help, width=width)


def yuan_column(label: str, width=None):
    """A NumberColumn for an amount in 元 (one loan's dues, payments and events)."""
    unit = "元" if t("unit_wan") == "万元" else "CNY"
    return st.column_config.NumberColumn(f"{label}（{unit}）" if unit == "元" else f"{label} ({unit})",
                                         format="%,.2f", width=width)


def to_yuan(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A display copy with the given exact yuan columns as floats (display only)."""
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            out[c] = floats(out[c])
    return out


def ratio_column(label: str, help: str | None = None):
    """A NumberColumn for a ratio already multiplied by 100."""
    return st.column_config.NumberColumn(label, format="%.2f%%", help=help)


def as_dates(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A display copy with date columns as datetime64, so missing dates show empty, not 'None'."""
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            out[c] = pd.to_datetime(out[c], errors="coerce")
    return out


def date_column(label: str, width=None):
    """A DateColumn shown as 2025-06-30 (``width``: st.column_config's)."""
    return st.column_config.DateColumn(label, format="YYYY-MM-DD", width=width)


def int_column(label: str):
    return st.column_config.NumberColumn(label, format="%,d")


def floats(series: pd.Series) -> pd.Series:
    """A numeric column (Decimal objects, None) as float64 with NaN: for charts and display only."""
    return pd.to_numeric(series.map(lambda v: None if v is None else float(v)), errors="coerce")


def wan_float(amount) -> float:
    """Yuan as a float of 万元, for a chart axis or a slider (display only; never a boundary)."""
    d = _dec(amount)
    return float("nan") if d is None else float(d) / 10000


def yuan(wan_value: float) -> Decimal:
    """A 万元 figure picked on a slider (two decimals) as exact yuan, for a Decimal comparison."""
    return Decimal(str(round(wan_value, 2))) * WAN


def wan_slider_max(amount) -> float:
    """The top of a 万元 slider holding ``amount`` yuan (None: 1 万元): a cent of 万元 above it, at
    least 0.01."""
    top = wan_float(amount) if _dec(amount) is not None else 1.0
    return max(round(top + 0.01, 2), 0.01)


def pct_float(ratio) -> float:
    """A fraction as a float of percent (0.05 -> 5.0), for a chart axis (display only)."""
    d = _dec(ratio)
    return float("nan") if d is None else float(d) * 100


def to_wan(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A display copy of ``frame`` with the given yuan columns divided into 万元 (floats: display only)."""
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            out[c] = floats(out[c]) / float(WAN)
    return out


def to_pct(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A display copy with the given fraction columns multiplied by 100."""
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            out[c] = floats(out[c]) * 100
    return out


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string: backslashes, quotes and line breaks escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css() -> str:
    """The app's style sheet, written on every page (st.html of a <style> takes no space).

    Streamlit 1.67 writes some words of its own in English whatever the page's language, and has
    no option for them: the uploader's "Upload" button and "200MB per file" line, and a selectbox's
    "No results" when the typed search matches nothing, are replaced here by our translated words
    (CSS ``content``; the limit is the server's own maxUploadSize), and the
    data grid's hover toolbar (English tooltips; its CSV download has internal column names — the
    "export this view" buttons replace it) is hidden. Dates in the calendar follow the browser's
    language (react-aria's zh-CN), so a Chinese browser sees a Chinese calendar."""
    mb = int(st.get_option("server.maxUploadSize"))
    zone = '[data-testid="stFileUploaderDropzone"]'
    hint = '[data-testid="stFileUploaderDropzoneInstructions"]'
    empty = '[data-testid="stSelectboxVirtualDropdown"] [role="listbox"][data-empty="true"]'
    return "\n".join((
        f"{zone} button [data-testid='stMarkdownContainer'] {{ display: none; }}",
        f"{zone} button [data-has-shortcut]::after {{ content: {_css_string(t('upload_button'))}; }}",
        f"{hint} > * {{ display: none; }}",
        f"{hint}::after {{ content: {_css_string(t('upload_limit', mb=mb))}; font-size: 0.875rem; opacity: 0.6; }}",
        '[data-testid="stElementToolbar"] { display: none; }',
        ".st-key-pw_plotly_preload { display: none; }",  # charts.preload on the sign-in page
        # a typed search that matches nothing ("No results" in the loan pickers)
        f"{empty} span {{ font-size: 0; }}",
        f"{empty} span::after {{ content: {_css_string(t('no_match'))}; font-size: 0.875rem; }}",
    ))


def audit_source(value) -> str:
    """An audit row's source code in words: 'app' 网页, 'oidc' 统一身份认证, 'cli:<OS user>'
    命令行（<OS user>）; anything else (a test's own label) as it is."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return t("none")
    value = str(value)
    if value in ("app", "oidc"):
        return t(f"audit_src_{value}")
    if value.startswith("cli:"):
        return t("audit_src_cli", user=value.removeprefix("cli:"))
    return value


def days(n) -> str:
    """A number of days: '12 天' / '12 days'; None -> '—'."""
    return t("none") if n is None else f"{int(n)} {t('unit_days')}"


def days_left_texts(values) -> dict:
    """Days left to a deadline as words, for a table column: 12 -> '剩 12 天', -39 -> '逾期 39 天'
    (a negative count is days past the deadline, never shown as '−39'), None -> '—'."""
    out = {}
    for v in values:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            continue
        n = int(v)
        out[v] = t("days_left_n", n=n) if n >= 0 else t("days_late_n", n=-n)
    return out


def kind_text(name: str, value) -> str:
    """One value by its label kind as text: money '400.00 万元', ratio '4.25%', date ISO, bool 是/否."""
    k = labels.kind(name)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return t("none")
    if k == labels.MONEY:
        return wan(value)
    if k == labels.RATIO:
        return pct(value)
    if k == labels.BOOL:
        return t("yes") if value else t("no")
    if name in labels.VALUES:
        return segment(name, value)
    return day(value) if k == labels.DATE and isinstance(value, date) else str(value)


# C1–C11: what actual_value / limit_value hold (money for caps and fees, a rate for C4)
RULE_VALUE_AS = {"C1": "principal", "C3": "principal", "C5": "principal", "C6": "principal", "C7": "principal",
                 "C4": "annual_rate"}


def rule_value_texts(rule: str, values) -> dict:
    """A compliance rule's actual or limit values as text in the unit of the rest of the screen."""
    as_name = RULE_VALUE_AS.get(rule)
    return {v: kind_text(as_name, v) if as_name else exact_text(v) for v in values if v is not None}


def detail_texts(values) -> dict:
    """A compliance exception's detail (JSON from the rule's SQL) as 'label: value; …' text."""
    import json

    out = {}
    for v in values:
        if isinstance(v, str) and v.startswith("{"):
            fields = json.loads(v)
            out[v] = "；".join(f"{column(k)}: {kind_text(k, x)}" for k, x in fields.items())
    return out


def page_words(message: str) -> str:
    """An ingest message as the import page says it: the CLI's ``--kind`` flag becomes the page's own
    ledger-kind box (a clerk has no command line)."""
    box = t("kind_override")
    return (message.replace("或用 --kind 指定", f"或在“{box}”中选择")
            .replace("or pass --kind", f"or choose it under '{box}'"))


def preview_counts(good: pd.DataFrame) -> str:
    """What a load of a previewed sheet would do: rows new or changed, and rows already stored as they
    are (the preview's action column), e.g. '将导入 3 行（另有 8 行与库中相同，不变）'."""
    same = int((good["action"] == "same").sum()) if "action" in good.columns else 0
    text = t("will_load", n=len(good) - same)
    return f"{text} {t('same_rows', n=same)}" if same else text


def uploader_key(renew: bool = False) -> str:
    """The import page's uploader key; ``renew`` after a load gives a new one, so the uploader (and
    its confirm button) empty themselves instead of offering the loaded file again."""
    n = st.session_state.get("pw_uploads", 0) + (1 if renew else 0)
    st.session_state["pw_uploads"] = n
    return f"upload_{n}"


def column_name_texts(values) -> dict:
    """A reject's column names ('loan_id, kind, paid_on') as their labels ('借据号, 类型, 还款日期')."""
    return {v: ", ".join(column(n.strip()) for n in v.split(",")) for v in values if isinstance(v, str)}


def coded_columns(columns) -> dict:
    """The columns of a ledger preview whose values are codes, each to its value dimension."""
    return {c: c for c in columns if c in labels.VALUES}


def loan_state_cards(now: pd.DataFrame, closure: dict) -> list[tuple[str, str, str | None]]:
    """The loan page's state cards (label, value, help): loan state, DPD and five-category class.
    Open: today's DPD and class. Closed: the closure and its date, and the DPD and class of the last
    active day (the DPD stops there). Not yet disbursed at the as-of date: '—'."""
    if not len(now):
        return [(column("closure"), t("not_disbursed"), None), (column("dpd"), t("none"), None),
                (column("risk_class"), t("none"), None)]
    if closure["closure"] is None:
        return [(column("closure"), segment("closure", None), None),
                (column("dpd"), days(now["dpd"].iloc[0]), None),
                (column("risk_class"), segment("risk_class", now["risk_class"].iloc[0]), None)]
    on = day(closure["closed_on"])
    return [(column("closure"), segment("closure", closure["closure"]), t("closed_on_help", date=on)),
            (t("dpd_at_closure"), days(closure["dpd"]), t("closed_at_help", date=on)),
            (t("class_at_closure"), segment("risk_class", closure["risk_class"]) if closure["risk_class"] else t("none"),
             t("closed_at_help", date=on)),
            (column("closed_on"), on, None)]


def month(value: date) -> str:
    """The month of a date as '2025-06'."""
    return f"{value.year}-{value.month:02d}"


def exact_text(value) -> str | None:
    """An exact decimal as text: two decimals with separators when it is money-like, else as is."""
    if value is None:
        return None
    d = Decimal(str(value))
    if d == d.quantize(CENT):
        return f"{d.quantize(CENT):,}"
    return format(d.normalize(), "f")


def exact_texts(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A display copy with the given columns as exact text (yuan, rates or counts, compliance values)."""
    out = frame.copy()
    for c in columns:
        out[c] = [exact_text(v) for v in out[c]]
    return out


def flag_texts(frame: pd.DataFrame, col: str, yes_key: str, no_key: str) -> pd.DataFrame:
    """A display copy with a boolean column as the texts of two i18n keys."""
    out = frame.copy()
    out[col] = [t(yes_key) if v else t(no_key) for v in out[col]]
    return out


def table_height(rows: int) -> int:
    """The pixel height showing ``rows`` table rows and the header without a scrollbar."""
    return 35 * (rows + 1) + 3


def field_text(name: str, value) -> str:
    """One field of a record as text by its label kind: money in 万元, dates ISO, coded values
    (pledge mode, guarantor) by their labels, missing as '—'."""
    if labels.kind(name) == labels.MONEY:
        return wan(value)
    if labels.kind(name) == labels.DATE:
        return day(value)
    if name in ("pledge_mode", "guarantor", "industry"):
        return segment(name, value)
    return t("none") if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def fields_frame(record: dict, fields) -> pd.DataFrame:
    """A two-column (field label, value text) frame of a record's fields, for a vertical table."""
    return pd.DataFrame({"field": [column(f) for f in fields], "value": [field_text(f, record.get(f)) for f in fields]})


# A late deadline or claim (days past it, status "late") is drawn in this red, the words say it too.
LATE_CSS = "color: #c62828; font-weight: 600"
# A Styler writes one CSS id per styled cell and pandas refuses beyond 262,144 cells: a longer table
# (a 500k-loan book's overdue list) keeps the words ("逾期 39 天") without the red.
LATE_MAX_ROWS = 2_000


def late_cells(frame: pd.DataFrame, columns, codes: dict | None = None) -> dict:
    """{column: [bool per row]}: the cells of ``columns`` that say a deadline is missed, drawn in red
    by ``table`` — days_left below zero, and a claim_status code 'late' (a coded column of that
    dimension, under any name). Decided on the raw values, before any text replaces them."""
    codes = codes or {}
    out = {}
    for c in columns:
        if c == "days_left":
            out[c] = [v is not None and not pd.isna(v) and int(v) < 0 for v in frame[c]]
        elif codes.get(c) == "claim_status":
            out[c] = [v == "late" for v in frame[c]]
    return {c: flags for c, flags in out.items() if any(flags)}


def table(frame: pd.DataFrame, late: dict | None = None, **kwargs):
    """st.dataframe with the date columns (DateColumn in column_config) turned into datetime64 first,
    so a missing date shows as an empty cell instead of 'None'; ``late`` ({column: [bool per row]},
    from late_cells) draws those cells in red through a pandas Styler (Streamlit keeps the column
    configs). Returns st.dataframe's result."""
    config = kwargs.get("column_config") or {}
    dated = [c for c, cfg in config.items()
             if isinstance(cfg, dict) and (cfg.get("type_config") or {}).get("type") == "date"]
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", t("none"))  # missing values show as '—', not 'None'
    shown = as_dates(frame, dated) if dated else frame
    if late and len(shown) <= LATE_MAX_ROWS:
        styles = pd.DataFrame("", index=shown.index, columns=shown.columns)
        for c, flags in late.items():
            styles.loc[[bool(f) for f in flags], c] = LATE_CSS
        shown = shown.style.apply(lambda _: styles, axis=None)
    return st.dataframe(shown, **kwargs)


def labelled_table(frame: pd.DataFrame, columns, key: str, codes: dict | None = None, label_as: dict | None = None,
                   config: dict | None = None, texts: dict | None = None, link_loans: bool = True,
                   export: str | None = None, unit: str = "wan", **kwargs):
    """``columns`` of ``frame`` as a table headed from the label table, each column configured by its
    label kind (money in 万元, ratios in percent, dates as dates, booleans as checkboxes); ``codes``
    maps a coded column to its value dimension (shown by label), ``label_as`` a column to the label of
    another name, ``texts`` a column to {value: text} the page words itself, ``config`` overrides a
    column's config (widths, a progress bar). A loan_id links to the loan's page (?loan=ID). ``unit``:
    money in 万元 ("wan", the book's tables) or 元 ("yuan", one loan's dues and payments).

    Under the table, "export this view" (CSV and XLSX, file name ``export`` or ``key``): exactly these
    rows and columns with the screen's headers and units (dashboard.exports.View)."""
    from dashboard import exports, urlstate
    from dashboard.i18n import lang

    columns = list(columns)
    label_as, codes, texts = label_as or {}, codes or {}, texts or {}
    late = late_cells(frame, columns, codes)
    shown = translate(frame[columns], codes)
    for c, words in texts.items():
        shown[c] = [words.get(v, v) for v in frame[c]]
    money = [c for c in columns if labels.kind(c) == labels.MONEY and c not in texts]
    ratios = [c for c in columns if labels.kind(c) == labels.RATIO and c not in texts]
    cfg = {}
    for c in columns:
        head = column(label_as.get(c, c))
        kind = labels.kind(c) if c not in codes and c not in texts else labels.TEXT
        cfg[c] = ((money_column(head) if unit == "wan" else yuan_column(head)) if kind == labels.MONEY else ratio_column(head) if kind == labels.RATIO
                  else date_column(head) if kind == labels.DATE
                  else st.column_config.NumberColumn(head, format="%d") if c in ("year", "batch_id")  # no "2,024"
                  else int_column(head) if kind == labels.INT
                  else st.column_config.CheckboxColumn(head) if kind == labels.BOOL else head)
    if link_loans and "loan_id" in columns and len(shown):
        shown["loan_id"] = [urlstate.link("loan", loan=v) for v in frame["loan_id"]]
        cfg["loan_id"] = st.column_config.LinkColumn(column(label_as.get("loan_id", "loan_id")),
                                                     display_text=r"[?&]loan=([^&]*)")
    cfg.update(config or {})
    shown = to_wan(shown, money) if unit == "wan" else to_yuan(shown, money)
    event = table(to_pct(shown, ratios), late=late, hide_index=True, key=key, column_config=cfg, **kwargs)
    view = exports.View(frame, tuple(columns), codes, label_as, lang(), texts, unit)
    export_buttons(view, export or key)
    return event


def export_buttons(view, name: str) -> None:
    """The "export this view" buttons under a table: CSV and XLSX made on click (deferred, so a page
    of tables costs nothing until one is asked for). Registered in session state for the tests."""
    from dashboard import auth, exports, state

    ctx = state.current()
    stem = f"{name}_{ctx.as_of.isoformat()}"
    st.session_state.setdefault("pw_exports", {})[name] = view
    # a right-aligned row sized to its buttons: in a half-width column the labels stay whole
    with st.container(horizontal=True, horizontal_alignment="right"):
        st.download_button(t("export_csv"), auth.audited(lambda: exports.view_csv(view), f"{name}_csv", ctx.as_of), file_name=f"{stem}.csv", mime="text/csv",
                           key=f"exp_csv_{name}", on_click="ignore", icon=":material/download:", type="tertiary",
                           help=t("export_help"), width="content")
        st.download_button(t("export_xlsx"), auth.audited(lambda: exports.view_xlsx(view, name), f"{name}_xlsx", ctx.as_of),
                           file_name=f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"exp_xlsx_{name}", on_click="ignore", icon=":material/download:", type="tertiary",
                           help=t("export_help"), width="content")


# ---- outlook (R-PROJ, R-WALL, R-ROLL) ----

def days_text(days) -> str:
    """days_to_breach as words: 0 -> 'already above', None -> 'not within 90 days', n -> 'in n days'."""
    if days is None:
        return t("ol_not_within")
    if int(days) == 0:
        return t("ol_already")
    return t("ol_in_days", n=int(days))


def roll_rates(matrix: pd.DataFrame, label) -> pd.DataFrame:
    """One row per opening bucket (not new) with its roll rate as text: from_bucket (labelled), roll_rate."""
    rates = matrix.drop_duplicates("from_bucket")[["from_bucket", "roll_rate"]]
    rates = rates[rates["from_bucket"] != "new"].copy()
    rates["from_bucket"] = [label(v) for v in rates["from_bucket"]]
    rates["roll_rate"] = [pct(v) for v in rates["roll_rate"]]
    return rates


def hhi_text(v) -> str:
    """An HHI to four decimals (it is an index, not a percentage); None -> '—'."""
    return t("none") if v is None or (isinstance(v, float) and pd.isna(v)) else f"{v:.4f}"


def hhi_rows(frame: pd.DataFrame, label) -> pd.DataFrame:
    """The HHI table as text: dimension (labelled), hhi to 4 decimals, top_share as a percentage."""
    out = frame.copy()
    out["dimension"] = [label(v) for v in out["dimension"]]
    out["hhi"] = [t("none") if v is None else f"{v:.4f}" for v in out["hhi"]]
    out["top_share"] = [pct(v) for v in out["top_share"]]
    return out
