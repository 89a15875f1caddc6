"""The plotly charts of every page and their palette: one place for the status colours
(normal / warning / halted), used by every chart (Evidence.dev keeps them in one config file).

Charts take the engine's frames as they come (exact Decimal yuan, fractions) and make the display
floats themselves (万元 through fmt.to_wan, percent through fmt.to_pct): floats for the axes only.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import fmt
from dashboard.i18n import lang, t
from dashboard.labels import column, segment

PALETTE = {
    "normal": "#2e7d32",
    "warning": "#ef6c00",
    "halted": "#c62828",
    "primary": "#1f5fa8",
    "muted": "#9e9e9e",
    "halt_band": "rgba(198, 40, 40, 0.12)",
}
SERIES = ["#1f5fa8", "#ef6c00", "#2e7d32", "#8e24aa", "#00838f", "#6d4c41", "#c0ca33", "#d81b60",
          "#5e35b1", "#546e7a"]
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


DAY_MS = 86_400_000
# Dates on a time axis written by the app, not by plotly's English locale ("Jan 2023", "May 15, 2024"):
# Streamlit's bundled plotly.js registers only the en locale and plotly ships no zh-CN file here, so
# config={"locale": "zh-CN"} alone would change nothing. The formats are d3's numeric directives
# (no month names), per zoom level; the hover shows the ISO day.
DATE_TICKS = {
    "zh": [dict(dtickrange=[None, "M1"], value="%-m月%-d日"), dict(dtickrange=["M1", "M12"], value="%Y年%-m月"),
           dict(dtickrange=["M12", None], value="%Y年")],
    "en": [dict(dtickrange=[None, "M1"], value="%Y-%m-%d"), dict(dtickrange=["M1", "M12"], value="%Y-%m"),
           dict(dtickrange=["M12", None], value="%Y")],
}


def layout(fig: go.Figure, title: str, height: int = 360, dates: bool = False) -> go.Figure:
    """The house layout of every figure: title, height, margins, CJK font, legend below, palette;
    ``dates``: the x axis is a time axis, its ticks and hover dates formatted by the app."""
    fig.update_layout(title=title, height=height, margin=dict(l=10, r=10, t=50, b=10),
                      font=dict(family=FONT), legend=dict(orientation="h", y=-0.22, yanchor="top"),
                      colorway=SERIES, hovermode="x unified")
    if dates:
        fig.update_xaxes(type="date", tickformatstops=DATE_TICKS[lang()], hoverformat="%Y-%m-%d")
    return fig


def count_axis(fig: go.Figure, top, axis: str = "y") -> None:
    """A count axis in whole numbers (no 0.5 loans): integer ticks, at most about eight of them."""
    step = max(1, -(-int(top or 0) // 8))
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(tick0=0, dtick=step, tickformat=",d", rangemode="tozero")


def npl_chart(series: pd.DataFrame, episodes: pd.DataFrame, warning, halt, title: str) -> go.Figure:
    """The daily NPL ratio with the warning and halt lines and the halt periods shaded.

    series: columns day, npl_ratio (fractions); episodes: halt.halt_episodes' frame (start_on,
    end_on; end_on None = ongoing).
    """
    fig = go.Figure()
    y = fmt.to_pct(series, ["npl_ratio"])["npl_ratio"]
    fig.add_trace(go.Scatter(x=series["day"], y=y, mode="lines", name=t("ch_npl_ratio"),
                             line=dict(color=PALETTE["primary"], width=2),
                             hovertemplate="%{y:.2f}%<extra></extra>"))
    for value, colour, key in ((warning, PALETTE["warning"], "ch_warning_line"),
                               (halt, PALETTE["halted"], "ch_halt_line")):
        fig.add_hline(y=fmt.pct_float(value), line=dict(color=colour, dash="dash", width=1.5),
                      annotation_text=t(key, pct=fmt.pct(value)), annotation_position="top left")
    last = series["day"].max() if len(series) else None
    for ep in episodes.to_dict("records"):
        end = ep.get("end_on") or last
        if ep.get("start_on") is None or end is None:
            continue
        fig.add_vrect(x0=ep["start_on"], x1=end, fillcolor=PALETTE["halt_band"], line_width=0,
                      annotation_text=t("ch_halt_period"), annotation_position="top left")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return layout(fig, title, dates=True)


def bar_chart(frame: pd.DataFrame, x: str, y: str, title: str, colour: str | None = None,
              y_title: str = "", x_title: str = "", stacked: bool = True, horizontal: bool = False,
              y_suffix: str = "", hlines: tuple = (), dates: bool = False, counts: bool = False) -> go.Figure:
    """A (stacked) bar chart of ``y`` by ``x``, one trace per value of ``colour``; ``dates``: x is a
    time axis (months), ``counts``: y counts whole things (integer ticks)."""
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
    if counts:
        count_axis(fig, frame[y].max() if len(frame) else 0, "x" if horizontal else "y")
    return layout(fig, title, dates=dates)


def line_chart(frame: pd.DataFrame, x: str, ys: dict[str, str], title: str, shape: str = "linear",
               y_title: str = "") -> go.Figure:
    """Lines of the columns in ``ys`` (column -> legend label) against ``x``."""
    fig = go.Figure()
    for col, label in ys.items():
        fig.add_trace(go.Scatter(x=frame[x], y=frame[col], mode="lines", name=label, line_shape=shape))
    fig.update_yaxes(title=y_title, rangemode="tozero")
    return layout(fig, title, dates=True)


def pie_chart(frame: pd.DataFrame, names: str, values: str, title: str) -> go.Figure:
    """A donut of ``values`` by ``names``."""
    fig = go.Figure(go.Pie(labels=frame[names], values=frame[values], hole=0.45, sort=False,
                           textinfo="label+percent"))
    fig.update_layout(showlegend=False)
    return layout(fig, title)


def show(fig: go.Figure, key: str | None = None) -> None:
    """Render a figure full width. In Chinese without plotly's mode bar: its buttons speak English
    only (Streamlit's plotly.js has no zh-CN locale registered)."""
    config = {"displaylogo": False, "locale": "zh-CN" if lang() == "zh" else "en"}
    if lang() == "zh":
        config["displayModeBar"] = False
    st.plotly_chart(fig, width="stretch", key=key, config=config)


def preload() -> None:
    """An empty figure in a hidden container (fmt.page_css hides ``.st-key-pw_plotly_preload``), for
    the sign-in page: the browser fetches and compiles Streamlit's plotly.js (4.7 MB) while the user
    types the password, so the overview's charts draw as soon as its data arrives (issue 12: its
    first render after sign-in). It shows nothing and reads no data."""
    with st.container(key="pw_plotly_preload"):
        st.plotly_chart(go.Figure(), key="pw_plotly_preload_fig", config={"staticPlot": True, "displayModeBar": False})


def warm() -> None:
    """One throwaway figure with every trace and layout feature the overview uses (lines, bars,
    pies, the house layout with date ticks, dashed lines, a band), built and serialised: plotly
    imports and checks them on first use. Run by dashboard.data.warm after the sign-in page; reads
    no data and shows nothing."""
    fig = layout(go.Figure([go.Scatter(x=["2024-01-01"], y=[0.0]), go.Bar(x=["a"], y=[1.0], text=["1"]),
                            go.Pie(labels=["a"], values=[1.0])]), "warm", height=100, dates=True)
    fig.add_hline(y=1.0, line_dash="dash", annotation_text="warm")
    fig.add_vrect(x0="2024-01-01", x1="2024-01-02", fillcolor=PALETTE["halt_band"], line_width=0)
    fig.to_json()


def ratio_bars(frame: pd.DataFrame, name_col: str, title: str, warning, halt) -> go.Figure:
    """The NPL ratio (fractions) per institution as percent bars labelled with their value, each
    institution's share of the overdue balance in the label and the hover (which one drives the
    ratio), and the warning and halt lines named in the legend."""
    from decimal import Decimal

    total = sum((Decimal(str(v)) for v in frame["overdue_balance"] if v is not None), Decimal(0))
    shares = [fmt.pct(Decimal(str(v)) / total) if total and v is not None else t("none")
              for v in frame["overdue_balance"]]
    ratios = [fmt.pct(v) for v in frame["npl_ratio"]]
    fig = go.Figure(go.Bar(
        x=frame[name_col], y=fmt.to_pct(frame, ["npl_ratio"])["npl_ratio"], name=t("ch_npl_ratio"),
        marker_color=PALETTE["primary"], text=[t("ch_bar_label", ratio=r, share=sh) if v else "" for r, sh, v in  # no label on an empty bar
                                     zip(ratios, shares, frame["npl_ratio"], strict=True)],
        textposition="outside", cliponaxis=False, constraintext="none", textfont=dict(size=12),
        customdata=list(zip(ratios, shares, [fmt.wan(v) for v in frame["overdue_balance"]], strict=True)),
        hovertemplate=t("ch_bar_hover") + "<extra></extra>"))
    for value, colour, key in ((warning, "warning", "ch_warning_line"), (halt, "halted", "ch_halt_line")):
        y = fmt.pct_float(value)
        fig.add_hline(y=y, line=dict(color=PALETTE[colour], dash="dash", width=1.5))
        # an empty trace only to name the dashed line in the legend
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=t(key, pct=fmt.pct(value)),
                                 line=dict(color=PALETTE[colour], dash="dash", width=1.5), hoverinfo="skip"))
    fig.update_yaxes(title=t("ch_npl_ratio"), ticksuffix="%", rangemode="tozero")
    fig.update_layout(showlegend=True, hovermode="closest")
    return layout(fig, title, height=400).update_layout(hovermode="closest")


def side_by_side(frame: pd.DataFrame, x: str, sides: list[str], title: str) -> go.Figure:
    """Grouped bars of the yuan columns ``sides`` in 万元 per ``x``: one trace per side in the given
    order with a fixed colour, so the colours do not swap when the labels change language."""
    fig = go.Figure()
    for i, side in enumerate(sides):
        fig.add_trace(go.Bar(x=[str(v) for v in frame[x]], y=fmt.floats(frame[side]) / 10000, name=column(side),
                             marker_color=SERIES[i % len(SERIES)]))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("ch_amount_wan"))
    fig.update_xaxes(type="category")
    return layout(fig, title)


def cumulative_chart(cum: pd.DataFrame) -> go.Figure:
    """Cumulative due against cumulative paid of one loan as steps in 万元 (schedule.cumulative's
    rows: day, side = due | paid, amount in yuan)."""
    fig = go.Figure()
    shown = fmt.to_wan(cum, ["amount"])
    for side, name in (("due", t("ch_cum_due")), ("paid", t("ch_cum_paid"))):
        part = shown[shown["side"] == side]
        if len(part):
            fig.add_trace(go.Scatter(x=part["day"], y=part["amount"], mode="lines+markers", line_shape="hv",
                                     name=name))
    fig.update_yaxes(title=t("ch_amount_wan"))
    return layout(fig, t("ch_cum_title"), dates=True)


def events_chart(events: pd.DataFrame) -> go.Figure:
    """One loan's risk events as labelled markers on a time line (kind on the axis, amount as text;
    labels alternate above and below so events days apart do not print over each other)."""
    positions = ["top center", "bottom center"] * (len(events) // 2 + 1)
    fig = go.Figure(go.Scatter(x=events["event_on"], y=[segment("kind", k) for k in events["kind"]],
                               mode="markers+text", marker=dict(size=12, color=PALETTE["halted"]),
                               text=[fmt.wan(a) if a is not None else "" for a in events["amount"]],
                               textposition=positions[:len(events)], hoverinfo="x+y+text"))
    fig.update_yaxes(automargin=True)
    return layout(fig, t("events"), height=300, dates=True)


# ---- outlook (R-PROJ, R-WALL, R-ROLL) ----

def projection_chart(series: pd.DataFrame, warning, halt, title: str) -> go.Figure:
    """The projected ratio (base and stress) for each day of the next 90, with the warning and halt
    lines. series: outlook.projection's columns day, base_npl_ratio, stress_npl_ratio (fractions)."""
    fig = go.Figure()
    for col, key, colour, dash in (("base_npl_ratio", "ch_proj_base", PALETTE["primary"], "solid"),
                                   ("stress_npl_ratio", "ch_proj_stress", PALETTE["halted"], "dot")):
        fig.add_trace(go.Scatter(x=series["day"], y=fmt.floats(series[col]) * 100, mode="lines", name=t(key),
                                 line=dict(color=colour, width=2, dash=dash),
                                 hovertemplate="%{y:.2f}%<extra></extra>"))
    for value, colour, key in ((warning, PALETTE["warning"], "ch_warning_line"),
                               (halt, PALETTE["halted"], "ch_halt_line")):
        fig.add_hline(y=float(value) * 100, line=dict(color=colour, dash="dash", width=1.5),
                      annotation_text=t(key, pct=fmt.pct(value)), annotation_position="top left")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return layout(fig, title, dates=True)


def wall_chart(frame: pd.DataFrame, title: str) -> go.Figure:
    """Principal due by bank, stacked current vs late (万元). frame: bank, principal_current, principal_late."""
    fig = go.Figure()
    for col, key, colour in (("principal_current", "ch_wall_current", PALETTE["primary"]),
                             ("principal_late", "ch_wall_late", PALETTE["halted"])):
        fig.add_trace(go.Bar(x=frame["bank"], y=fmt.floats(frame[col]) / 10000, name=t(key), marker_color=colour))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t("ch_amount_wan"))
    return layout(fig, title)


def roll_heatmap(matrix: pd.DataFrame, rows: list, cols: list, row_label, col_label, title: str) -> go.Figure:
    """The roll matrix as a heatmap: colour = loans, text = loans and balance (万元). ``rows`` / ``cols``
    are the stable bucket codes in order, ``row_label`` / ``col_label`` map a code to its label."""
    cells = {(r.from_bucket, r.to_bucket): (int(r.loans), r.balance) for r in matrix.itertuples()}
    z = [[cells.get((f, to), (0, None))[0] for to in cols] for f in rows]
    text = [[(f"{cells[(f, to)][0]} ({fmt.wan_number(cells[(f, to)][1])})" if (f, to) in cells else "")
             for to in cols] for f in rows]
    fig = go.Figure(go.Heatmap(z=z, x=[col_label(c) for c in cols], y=[row_label(r) for r in rows], text=text,
                               texttemplate="%{text}", colorscale="Blues", showscale=False,
                               hovertemplate="%{y} → %{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title=t("ch_roll_from"))
    fig.update_xaxes(title=t("ch_roll_to"), side="top")
    return layout(fig, title, height=380)
