"""Formatting, the colour palette and the plotly chart helpers shared by every page.

Amounts are shown in 万元 (yuan / 10,000) with thousands separators and two decimals,
ratios as percentages with two decimals, dates as ISO ``2025-06-30``. The status colours
(normal / warning / halted) are defined here once and used by every badge and chart.
Formatting takes exact ``Decimal`` values where it can; charts get floats (display only).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.i18n import t

# The palette: one place for the status colours (Evidence.dev keeps them in one config file).
PALETTE = {
    "normal": "#2e7d32",
    "warning": "#ef6c00",
    "halted": "#c62828",
    "primary": "#1f5fa8",
    "muted": "#9e9e9e",
    "halt_band": "rgba(198, 40, 40, 0.12)",
}
# Streamlit's badge accepts only named colours; the same three meanings.
BADGE_COLOURS = {"normal": "green", "warning": "orange", "halted": "red"}
SERIES = ["#1f5fa8", "#ef6c00", "#2e7d32", "#8e24aa", "#00838f", "#6d4c41", "#c0ca33", "#d81b60",
          "#5e35b1", "#546e7a"]
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"

WAN = Decimal(10000)
CENT = Decimal("0.01")


def _dec(value) -> Decimal | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


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


def to_wan(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A display copy of ``frame`` with the given yuan columns divided into 万元 (floats: display only)."""
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            out[c] = pd.to_numeric(out[c].map(lambda v: None if v is None else float(v)),
                                   errors="coerce") / 10000
    return out


def to_pct(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A display copy with the given fraction columns multiplied by 100."""
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            out[c] = pd.to_numeric(out[c].map(lambda v: None if v is None else float(v)),
                                   errors="coerce") * 100
    return out


# ---- charts -------------------------------------------------------------------------------------------

def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(title=title, height=height, margin=dict(l=10, r=10, t=50, b=10),
                      font=dict(family=FONT), legend=dict(orientation="h", y=-0.22, yanchor="top"),
                      colorway=SERIES, hovermode="x unified")
    return fig


def npl_chart(series: pd.DataFrame, episodes: list[dict], warning, halt, title: str) -> go.Figure:
    """The daily NPL ratio with the warning and halt lines and the halt periods shaded.

    series: columns day, npl_ratio (fractions); episodes: dicts with start and end (None = ongoing).
    """
    fig = go.Figure()
    y = pd.to_numeric(series["npl_ratio"].map(lambda v: None if v is None else float(v)), errors="coerce") * 100
    fig.add_trace(go.Scatter(x=series["day"], y=y, mode="lines", name=t("ch_npl_ratio"),
                             line=dict(color=PALETTE["primary"], width=2),
                             hovertemplate="%{y:.2f}%<extra></extra>"))
    for value, colour, key in ((warning, PALETTE["warning"], "ch_warning_line"),
                               (halt, PALETTE["halted"], "ch_halt_line")):
        fig.add_hline(y=float(value) * 100, line=dict(color=colour, dash="dash", width=1.5),
                      annotation_text=t(key, pct=pct(value)), annotation_position="top left")
    last = series["day"].max() if len(series) else None
    for ep in episodes:
        end = ep.get("end") or last
        if ep.get("start") is None or end is None:
            continue
        fig.add_vrect(x0=ep["start"], x1=end, fillcolor=PALETTE["halt_band"], line_width=0,
                      annotation_text=t("ch_halt_period"), annotation_position="top left")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return _layout(fig, title)


def bar_chart(frame: pd.DataFrame, x: str, y: str, title: str, colour: str | None = None,
              y_title: str = "", x_title: str = "", stacked: bool = True, horizontal: bool = False,
              y_suffix: str = "", hlines: tuple = ()) -> go.Figure:
    """A (stacked) bar chart of ``y`` by ``x``, one trace per value of ``colour``."""
    fig = go.Figure()
    groups = [(None, frame)] if colour is None else list(frame.groupby(colour, sort=True))
    for name, part in groups:
        kwargs = dict(x=part[y], y=part[x], orientation="h") if horizontal else dict(x=part[x], y=part[y])
        fig.add_trace(go.Bar(name=str(name) if name is not None else y_title, **kwargs))
    fig.update_layout(barmode="stack" if stacked else "group", showlegend=colour is not None)
    for value, colour_key, label in hlines:
        fig.add_hline(y=value, line=dict(color=PALETTE[colour_key], dash="dash", width=1.5),
                      annotation_text=label, annotation_position="top left")
    if horizontal:
        fig.update_xaxes(title=y_title, ticksuffix=y_suffix)
        fig.update_yaxes(title=x_title, autorange="reversed")
    else:
        fig.update_yaxes(title=y_title, ticksuffix=y_suffix)
        fig.update_xaxes(title=x_title)
    return _layout(fig, title)


def line_chart(frame: pd.DataFrame, x: str, ys: dict[str, str], title: str, shape: str = "linear",
               y_title: str = "") -> go.Figure:
    """Lines of the columns in ``ys`` (column -> legend label) against ``x``."""
    fig = go.Figure()
    for col, label in ys.items():
        fig.add_trace(go.Scatter(x=frame[x], y=frame[col], mode="lines", name=label, line_shape=shape))
    fig.update_yaxes(title=y_title, rangemode="tozero")
    return _layout(fig, title)


def pie_chart(frame: pd.DataFrame, names: str, values: str, title: str) -> go.Figure:
    """A donut of ``values`` by ``names``."""
    fig = go.Figure(go.Pie(labels=frame[names], values=frame[values], hole=0.45, sort=False,
                           textinfo="label+percent"))
    fig.update_layout(showlegend=False)
    return _layout(fig, title)


def show(fig: go.Figure, key: str | None = None) -> None:
    """Render a figure full width."""
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def table(frame: pd.DataFrame, **kwargs):
    """st.dataframe with the date columns (DateColumn in column_config) turned into datetime64 first,
    so a missing date shows as an empty cell instead of 'None'. Returns st.dataframe's result."""
    config = kwargs.get("column_config") or {}
    dated = [c for c, cfg in config.items()
             if isinstance(cfg, dict) and (cfg.get("type_config") or {}).get("type") == "date"]
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("placeholder", t("none"))  # missing values show as '—', not 'None'
    return st.dataframe(as_dates(frame, dated) if dated else frame, **kwargs)


# ---- outlook (R-PROJ, R-WALL, R-ROLL) -----------------------------------------------------------------

def days_text(days) -> str:
    """days_to_breach as words: 0 -> 'already above', None -> 'not within 90 days', n -> 'in n days'."""
    if days is None:
        return t("ol_not_within")
    if int(days) == 0:
        return t("ol_already")
    return t("ol_in_days", n=int(days))


def projection_chart(series: pd.DataFrame, warning, halt, title: str) -> go.Figure:
    """The projected ratio (base and stress) for each day of the next 90, with the warning and halt
    lines. series: outlook.projection's columns day, base_npl_ratio, stress_npl_ratio (fractions)."""
    fig = go.Figure()
    for col, key, colour, dash in (("base_npl_ratio", "ch_proj_base", PALETTE["primary"], "solid"),
                                   ("stress_npl_ratio", "ch_proj_stress", PALETTE["halted"], "dot")):
        fig.add_trace(go.Scatter(x=series["day"], y=floats(series[col]) * 100, mode="lines", name=t(key),
                                 line=dict(color=colour, width=2, dash=dash),
                                 hovertemplate="%{y:.2f}%<extra></extra>"))
    for value, colour, key in ((warning, PALETTE["warning"], "ch_warning_line"),
                               (halt, PALETTE["halted"], "ch_halt_line")):
        fig.add_hline(y=float(value) * 100, line=dict(color=colour, dash="dash", width=1.5),
                      annotation_text=t(key, pct=pct(value)), annotation_position="top left")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return _layout(fig, title)


def wall_chart(frame: pd.DataFrame, title: str) -> go.Figure:
    """Principal due by bank, stacked current vs late (万元). frame: bank, principal_current, principal_late."""
    fig = go.Figure()
    for col, key, colour in (("principal_current", "ch_wall_current", PALETTE["primary"]),
                             ("principal_late", "ch_wall_late", PALETTE["halted"])):
        fig.add_trace(go.Bar(x=frame["bank"], y=floats(frame[col]) / 10000, name=t(key), marker_color=colour))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t("ch_amount_wan"))
    return _layout(fig, title)


def roll_heatmap(matrix: pd.DataFrame, rows: list, cols: list, row_label, col_label, title: str) -> go.Figure:
    """The roll matrix as a heatmap: colour = loans, text = loans and balance (万元). ``rows`` / ``cols``
    are the stable bucket codes in order, ``row_label`` / ``col_label`` map a code to its label."""
    cells = {(r.from_bucket, r.to_bucket): (int(r.loans), r.balance) for r in matrix.itertuples()}
    z = [[cells.get((f, to), (0, None))[0] for to in cols] for f in rows]
    text = [[(f"{cells[(f, to)][0]} ({wan_number(cells[(f, to)][1])})" if (f, to) in cells else "")
             for to in cols] for f in rows]
    fig = go.Figure(go.Heatmap(z=z, x=[col_label(c) for c in cols], y=[row_label(r) for r in rows], text=text,
                               texttemplate="%{text}", colorscale="Blues", showscale=False,
                               hovertemplate="%{y} → %{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=t("ch_roll_from"))
    fig.update_xaxes(title=t("ch_roll_to"), side="top")
    return _layout(fig, title, height=380)


def roll_rates(matrix: pd.DataFrame, label) -> pd.DataFrame:
    """One row per opening bucket (not new) with its roll rate as text: from_bucket (labelled), roll_rate."""
    rates = matrix.drop_duplicates("from_bucket")[["from_bucket", "roll_rate"]]
    rates = rates[rates["from_bucket"] != "new"].copy()
    rates["from_bucket"] = [label(v) for v in rates["from_bucket"]]
    rates["roll_rate"] = [pct(v) for v in rates["roll_rate"]]
    return rates


def hhi_rows(frame: pd.DataFrame, label) -> pd.DataFrame:
    """The HHI table as text: dimension (labelled), hhi to 4 decimals, top_share as a percentage."""
    out = frame.copy()
    out["dimension"] = [label(v) for v in out["dimension"]]
    out["hhi"] = [t("none") if v is None else f"{v:.4f}" for v in out["hhi"]]
    out["top_share"] = [pct(v) for v in out["top_share"]]
    return out
