"""Page state in the URL: every view is a link that can be shared, reloaded and walked with
Back/Forward (issue 12, defects 1–3).

Widgets hold stable codes (a bucket '90+', a basis 'month', a date) and show labels through
format_func; the URL holds the same codes, never a translated label, so a link made in English
opens the same view in Chinese. Streamlit 1.67's own ``bind="query-params"`` is not used: it
stores the *formatted* option (the translated label) in the URL, which a language switch then
invalidates — the very defect this module removes.

How a run resolves a widget's value (``bind``, called just before the widget is created):

1. the URL changed since this session last wrote it (a shared link, a reload, Back/Forward) and
   it is a URL the app wrote (it carries ``lang``): the URL is the whole state — a key it lacks
   was at its default;
2. else the value the session holds (the widget's own state, or, for a page left and come back
   to, the copy kept in ``SHADOW``);
3. else the default.

Before all of these: a widget the user has just changed (its value differs from the one this session
last assigned) keeps the user's value — a click can arrive while the browser still shows the URL of
the run before, which would otherwise look like a Back.

The value is assigned to ``st.session_state[key]`` before the widget is made, which also keeps it
valid when the language changes (Streamlit deserialises a widget's value through its labels) and
across st.switch_page. ``finish`` (app.py, after the page ran) writes the run's codes back to the
URL in one update, so one view is one history entry.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import streamlit as st

SHADOW = "pw_url_shadow"  # key -> last value, kept across pages (widget states are dropped on leaving)
LAST = "pw_url_last"  # the query params this session last wrote
RUN = "pw_url_run"  # this run: the URL as it came, which keys were bound, invalid URL values
GLOBAL_PARAMS = ("lang", "profile", "asof")  # the sidebar's: on every page's URL
# The session's, not the view's: the sign-in token (dashboard/auth.py TOKEN_PARAM) rides along on
# every URL the app writes, so a reload, a drill-down or a loan link opened in a new tab stays
# signed in (the token only works from the same browser and address).
SESSION_PARAMS = ("s",)
_MISSING = object()


@dataclass(frozen=True)
class Codec:
    """How a value becomes URL text (a list of strings, repeated key) and back (ValueError if not)."""

    encode: Callable[[object], list[str]]
    decode: Callable[[list[str]], object]


def _one(parse):
    def decode(values: list[str]):
        if len(values) != 1:
            raise ValueError(values)
        return parse(values[0])
    return decode


def _pair(parse):
    def decode(values: list[str]):
        if len(values) != 2:
            raise ValueError(values)
        return tuple(parse(v) for v in values)
    return decode


def _month_end(text: str) -> date:
    year, month = (int(p) for p in text.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


TEXT = Codec(lambda v: [str(v)], _one(str))
LIST = Codec(lambda v: [str(x) for x in v], lambda vs: list(vs))
DATE = Codec(lambda v: [v.isoformat()], _one(date.fromisoformat))
MONTH = Codec(lambda v: [f"{v.year}-{v.month:02d}"], _one(_month_end))  # a month as its last day
INT = Codec(lambda v: [str(int(v))], _one(int))
INT_RANGE = Codec(lambda v: [str(int(x)) for x in v], _pair(int))
FLOAT_RANGE = Codec(lambda v: [f"{float(x):g}" for x in v], _pair(float))


def start() -> None:
    """Record the URL this run came with (app.py, before any widget)."""
    qp = {k: st.query_params.get_all(k) for k in st.query_params}
    external = qp != st.session_state.get(LAST)
    st.session_state[RUN] = {"qp": qp, "external": external, "full": external and "lang" in qp,
                             "bound": {}, "invalid": {}, "switching": False}


def _run() -> dict:
    if RUN not in st.session_state:
        start()
    return st.session_state[RUN]


def bind(key: str, default, codec: Codec = TEXT, param: str | None = None,
         valid: Callable[[object], bool] | None = None):
    """Resolve widget ``key``'s value (URL, session, default — see the module docstring), assign it to
    st.session_state[key] and register it for the URL as ``param`` (default: the key). ``valid``
    rejects a value that no longer fits (an option gone, a date outside the data): the default is
    used and, for a URL value, ``invalid(key)`` reports what was asked for. Returns the value."""
    run, param = _run(), param or key
    ok = valid or (lambda _v: True)
    shadow = st.session_state.setdefault(SHADOW, {})
    live = key in st.session_state
    value = _MISSING
    if live and key in shadow and _encoded(codec, st.session_state[key]) != _encoded(codec, shadow[key]):
        value = st.session_state[key]  # the user just changed this widget: that wins over a URL not yet rewritten
    elif run["external"] and param in run["qp"]:
        try:
            asked = codec.decode(run["qp"][param])
        except (ValueError, TypeError):
            asked = _MISSING
        if asked is not _MISSING and ok(asked):
            value = asked
        else:
            run["invalid"][key] = run["qp"][param]
    elif run["full"]:
        value = default
    if value is _MISSING:
        value = st.session_state[key] if live else shadow.get(key, default)
    if value is not default and not _safe(ok, value):
        value = default
    st.session_state[key] = value
    shadow[key] = value  # what this run assigned: a later difference is the user's doing
    run["bound"][key] = (param, codec, default)
    return value


def _encoded(codec: Codec, value):
    try:
        return None if value is None else codec.encode(value)
    except (TypeError, ValueError):
        return repr(value)


def _safe(ok, value) -> bool:
    try:
        return bool(ok(value))
    except (TypeError, ValueError):
        return False


def invalid(key: str) -> list[str] | None:
    """The URL's value for ``key`` when it was refused by ``valid`` (e.g. an unknown loan id), else None."""
    return _run()["invalid"].get(key)


def params(**extra) -> dict[str, list[str]]:
    """The query params of the current view: the bound keys away from their default, plus ``extra``
    (param -> text or None to drop)."""
    run = _run()
    out: dict[str, list[str]] = {}
    for key, (param, codec, default) in run["bound"].items():
        value = st.session_state.get(key, default)
        if param in GLOBAL_PARAMS or (value != default and value is not None):
            out[param] = codec.encode(value)
        elif key in run["invalid"] and value == default:
            out[param] = run["invalid"][key]  # keep what was asked for, so a reload says it again
    for param, value in extra.items():
        if value is None:
            out.pop(param, None)
        else:
            out[param] = [str(value)]
    return _with_session(out)


def _with_session(out: dict[str, list[str]]) -> dict[str, list[str]]:
    """``out`` plus the session's params as the URL holds them now (SESSION_PARAMS)."""
    for param in SESSION_PARAMS:
        if param in st.query_params and param not in out:
            out[param] = st.query_params.get_all(param)
    return out


def global_params(**extra) -> dict[str, list[str]]:
    """Only the sidebar's params (language, profile, as-of) plus ``extra``: a link to another page."""
    run = _run()
    out = {p: codec.encode(st.session_state.get(k, d)) for k, (p, codec, d) in run["bound"].items()
           if p in GLOBAL_PARAMS}
    out.update({p: [str(v)] for p, v in extra.items() if v is not None})
    return _with_session(out)


def link(url_path: str, **extra) -> str:
    """A relative link to page ``url_path`` with the sidebar's state and ``extra`` (for LinkColumn)."""
    from urllib.parse import urlencode

    return f"{url_path}?{urlencode(global_params(**extra), doseq=True)}"


def switch(page: str, **extra) -> None:
    """st.switch_page to ``page`` carrying the sidebar's state and ``extra`` params (a drill-down);
    the page left keeps its own state in its URL, so Back returns to it as it was."""
    _run()["switching"] = True
    keep()
    st.switch_page(page, query_params=global_params(**extra))


def keep() -> None:
    """Copy the bound values into SHADOW, so a page left and come back to (through the navigation,
    which clears the URL) shows what it showed."""
    shadow = dict(st.session_state.get(SHADOW, {}))
    for key in _run()["bound"]:
        if key in st.session_state:
            shadow[key] = st.session_state[key]
    st.session_state[SHADOW] = shadow


def finish() -> None:
    """Write the run's codes to the URL in one update (app.py, after the page ran)."""
    run = _run()
    if run["switching"]:
        return
    keep()
    wanted = params()
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if wanted != current:
        st.query_params.from_dict(wanted)
    st.session_state[LAST] = wanted
