"""R-SCOPE acceptance (issue 13, first "Done when" bullet): for each demo account, an AppTest run of
dashboard/app.py signed in as that account tours every page the account may open, every selectable
state that shows loans (each choice of every picker on the page: each loan of the loan picker, each
compliance rule, each overdue filter, each horizon; the reports page by date and by month) and reads
every download the pages build (CSV as text, XLSX cell by cell with openpyxl). All text shown is
collected: markdown, captions, titles, metrics, widget options, dataframe cells (decoded from the
Arrow payload), chart specs (JSON leaves) and download payloads.

Asserted against the ledgers, read with plain SQL here (not through queries/): no loan id, enterprise
name, credit code or institution name of a loan outside the account's scope appears anywhere (names
and codes that also belong to one of its own loans are allowed: an enterprise may borrow at two
banks); its own loans do appear; the figures shown equal the engine's with the account's scope (and
the program-wide ones the engine's without); pages it may not open are not registered and their URLs
fall back to the default page.

Downloads are found generically: MediaFileManager.add / add_deferred are wrapped to keep what each
download button was given (bytes, or the deferred callable, called here as the browser's request
would), and matched to the buttons in the element tree by URL / deferred file id, so the test does
not depend on the pages' keys.
"""

from __future__ import annotations

import calendar
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
import streamlit as st
from google.protobuf.message import Message
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard import auth
from demo.accounts import DEMO_ACCOUNTS
from pipelines import profile as profiles
from pipelines import store
from queries import alert60, alerts, claims, compliance, derived, dpd, ratio, report, runner
from tests.dashboard_fixtures import APP, pct_text, private_copy, signed_in, unlink

ACCOUNTS = {name: (role, org) for name, role, org in DEMO_ACCOUNTS}
EVERY_PAGE = {"overview", "overdue", "outlook", "loan", "collateral", "compensation", "compliance", "subsidies",
              "reports", "import", "inbox", "audit"}
# R-SCOPE's table, by hand: the pages each role may NOT open (by url_path)
REFUSED = {"bureau_admin": set(), "bureau_viewer": {"import"}, "bank": {"import", "audit"},
           "guarantor": {"import", "audit"}, "appraiser": {"import", "audit"}}
SIDEBAR_KEYS = {"lang", "profile", "as_of"}  # the router's widgets: not a page's state
BUREAU_LOAN_SAMPLE = 4  # every loan is in a bureau account's scope: a few loan pages suffice there
MAX_OPTIONS = 12        # a picker with more (non-loan) options is sampled: first, last and evenly between
# A party's loan pages: every loan where a leak could come from (its enterprise also borrows outside the
# scope, or it is in a renewal chain) plus this many others spread over its book; all of them with
# PLEDGEWATCH_SCOPE_TOUR=full (the machine is slow: a loan page is one full app run).
OTHER_LOANS = 6
FULL = os.environ.get("PLEDGEWATCH_SCOPE_TOUR") == "full"
# Filters whose default ("all") state already shows every row they can show: choosing one only narrows
# (the options themselves are read in every state and checked like any other text).
NARROWING = {"od_bank", "od_guarantor", "od_buckets", "od_pick", "inbox_kind"}


# ---------------------------------------------------------------- the ledgers' own answer (plain SQL)

@dataclass
class LedgerScope:
    """The account's loans and what must not be shown, from the loans ledger alone."""

    own_ids: set
    names: dict    # own loan id -> enterprise name
    focus: set     # own loans that share an enterprise with a loan outside the scope or are in a renewal chain
    foreign: dict  # what -> strings of loans outside the scope that no loan in scope shares
    own_strings: set  # every identifying string of the loans in scope (for substring masking)


def ledger_scope(con, role: str, org: str | None) -> LedgerScope:
    rows = con.execute("select loan_id, enterprise_name, credit_code, bank, guarantor, appraiser, renewed_from "
                       "from loans").fetchall()
    column = {"bank": 3, "guarantor": 4, "appraiser": 5}
    inside = [r for r in rows if org is None or r[column[role]] == org]
    outside = [r for r in rows if not (org is None or r[column[role]] == org)]

    def of(group, *idx):
        return {r[i] for r in group for i in idx if r[i] is not None}

    foreign = {"loan id": of(outside, 0) - of(inside, 0), "enterprise name": of(outside, 1) - of(inside, 1),
               "credit code": of(outside, 2) - of(inside, 2),
               "institution": of(outside, 3, 4, 5) - of(inside, 3, 4, 5)}
    renewal = of(rows, 6) | {r[0] for r in rows if r[6] is not None}
    focus = {r[0] for r in inside if r[2] in of(outside, 2) or r[0] in renewal}
    return LedgerScope({r[0] for r in inside}, {r[0]: r[1] for r in inside}, focus, foreign,
                       of(inside, 0, 1, 2, 3, 4, 5))


# ---------------------------------------------------------------- what the pages show

class Downloads:
    """What every download button was handed in a run: url -> bytes, deferred id -> callable."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.deferred: dict[str, object] = {}
        self.names: dict[str, str] = {}  # url or deferred id -> the file name offered

    def install(self, mp: pytest.MonkeyPatch) -> None:
        add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred
        files, deferred, names = self.files, self.deferred, self.names

        def kept_add(mgr, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
            url = add(mgr, path_or_data, mimetype, coordinates, file_name=file_name,
                      is_for_static_download=is_for_static_download)
            if isinstance(path_or_data, bytes):
                files[url] = path_or_data
                names[url] = file_name or ""
            return url

        def kept_deferred(mgr, data_callable, mimetype, coordinates, file_name=None, **kw):
            file_id = add_deferred(mgr, data_callable, mimetype, coordinates, file_name=file_name, **kw)
            deferred[file_id] = data_callable
            names[file_id] = file_name or ""
            return file_id

        mp.setattr(MediaFileManager, "add", kept_add)
        mp.setattr(MediaFileManager, "add_deferred", kept_deferred)

    def name(self, proto) -> str:
        return self.names.get(proto.deferred_file_id or proto.url, "")

    def payload(self, proto) -> bytes:
        """The file a download button offers (a deferred one is built now, as a click would)."""
        if proto.deferred_file_id:
            data = self.deferred[proto.deferred_file_id]()
            data = data.read() if hasattr(data, "read") else data
            return data.encode("utf-8") if isinstance(data, str) else bytes(data)
        return self.files[proto.url]


def payload_texts(data: bytes) -> list[str]:
    """Every cell of an XLSX (all sheets), or the text of a CSV / other text file."""
    if data[:2] == b"PK":
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
                if v is not None]
    return [data.decode("utf-8-sig")]


def json_leaves(value, out: list) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            out.append(str(k))
            json_leaves(v, out)
    elif isinstance(value, list):
        for v in value:
            json_leaves(v, out)
    elif value is not None:
        out.append(str(value))


def arrow_texts(data: bytes, out: list) -> bool:
    try:
        table = pa.ipc.open_stream(pa.py_buffer(data)).read_all()
    except (pa.ArrowInvalid, OSError):
        return False
    out.extend(table.column_names)
    for col in table.columns:
        out.extend(str(v) for v in col.to_pylist() if v is not None)
    return True


def proto_texts(msg: Message, out: list) -> None:
    """Every string an element's protobuf carries (JSON strings, e.g. chart specs, by their leaves;
    bytes fields decoded when they are an Arrow table)."""
    for _fd, value in msg.ListFields():
        items = [value] if isinstance(value, (Message, str, bytes)) or not hasattr(value, "__iter__") else value
        if hasattr(value, "items") and not isinstance(value, Message):  # a map field
            items = [x for kv in value.items() for x in kv]
        for item in items:
            if isinstance(item, Message):
                proto_texts(item, out)
            elif isinstance(item, str):
                if item[:1] in "{[":
                    try:
                        json_leaves(json.loads(item), out)
                        continue
                    except ValueError:
                        pass
                out.append(item)
            elif isinstance(item, bytes):
                arrow_texts(item, out)


def nodes(tree):
    for child in getattr(tree, "children", {}).values():
        yield child
        yield from nodes(child)


@dataclass
class Shown:
    """One state of one page as the account saw it."""

    page: str
    state: str
    texts: list = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    frames: list = field(default_factory=list)
    downloads: dict = field(default_factory=dict)  # file name offered -> bytes
    options: dict = field(default_factory=dict)    # widget key -> its options as shown


LOAN_PICKERS = ("loan_pick", "od_pick")


def look(at: AppTest, dl: Downloads, page: str, state: str) -> Shown:
    assert not at.exception, (page, state, [e.message for e in at.exception])
    shown = Shown(page, state)
    for node in nodes(at._tree):  # noqa: SLF001 - every element of the run, main area and sidebar
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            proto_texts(proto, shown.texts)
        if getattr(node, "type", None) == "download_button":
            data = dl.payload(node.proto)
            shown.downloads[dl.name(node.proto) or node.key or node.proto.id] = data
            shown.texts.extend(payload_texts(data))
    shown.metrics = {m.label: m.value for m in at.metric}
    shown.frames = [unlink(d.value) for d in at.dataframe]  # loan ids are links to the loan page
    for kind in ("selectbox", "segmented_control", "radio"):
        for w in getattr(at, kind):
            if w.key:
                # a loan picker shows 'id · enterprise · credit code · bank' (the search label)
                shown.options[w.key] = [o.split(" · ", 1)[0] if w.key in LOAN_PICKERS else o for o in w.options]
    return shown


# ---------------------------------------------------------------- the tour

def page_widgets(at: AppTest):
    """The page's own pickers (not the sidebar's): (kind, key, option values)."""
    out = []
    for kind in ("selectbox", "segmented_control", "radio"):
        for w in getattr(at.main, kind):
            if w.key and w.key not in SIDEBAR_KEYS:
                out.append((kind, w.key))
    return out


def sample(values: list, n: int) -> list:
    if len(values) <= n:
        return values
    step = (len(values) - 1) / (n - 1)
    return [values[round(i * step)] for i in range(n)]


def widget(at: AppTest, kind: str, key: str):
    return getattr(at, kind)(key=key)


def loan_choice(values: list, scope: LedgerScope, bureau: bool) -> list:
    """The loan picker's choices to open (see OTHER_LOANS)."""
    if bureau:  # every loan is in scope: nothing to leak, a sample shows the page works
        return sample(values, BUREAU_LOAN_SAMPLE)
    if FULL:
        return values
    rest = [v for v in values if v not in scope.focus]
    return [v for v in values if v in scope.focus or v in sample(rest, OTHER_LOANS)]


def tour(at: AppTest, dl: Downloads, pages: list[str], all_ids: set, pool: list, scope: LedgerScope,
         bureau: bool, month_end) -> list[Shown]:
    seen = []
    for file in pages:
        page = Path(file).stem
        at.switch_page(file).run()
        page_hash = at._finished_page_script_hash  # noqa: SLF001
        seen.append(look(at, dl, page, "default"))
        if page == "reports" and ("radio", "rep_mode") in page_widgets(at):
            at.radio(key="rep_mode").set_value("month").run()
            at.selectbox(key="rep_month").set_value(month_end).run()
            seen.append(look(at, dl, page, f"month {month_end}"))
            at.radio(key="rep_mode").set_value("date").run()
            continue  # every other state of the reports page is another date: the same SQL
        for kind, key in page_widgets(at):
            if key in NARROWING:
                continue
            values = option_values(widget(at, kind, key), pool)
            original = widget(at, kind, key).value
            loan_picker = bool(values) and all(v in all_ids for v in values)
            chosen = loan_choice(values, scope, bureau) if loan_picker else sample(values, MAX_OPTIONS)
            for v in chosen:
                if v == original:
                    continue
                if loan_picker:  # the loan page follows ?loan=ID over the picker (views/loan.py on main)
                    at.query_params["loan"] = v
                widget(at, kind, key).set_value(v).run()
                assert widget(at, kind, key).value == v or not widget_exists(at, kind, key), (page, key, v)
                landed = at._finished_page_script_hash  # noqa: SLF001
                if landed != page_hash:  # a picker that navigates (none on main): look, come back
                    seen.append(look(at, dl, landed, f"{key}={v}"))
                    at.switch_page(file).run()
                    continue
                seen.append(look(at, dl, page, f"{key}={v}"))
            if widget_exists(at, kind, key):
                if loan_picker:
                    at.query_params["loan"] = original
                widget(at, kind, key).set_value(original).run()
    return seen


def widget_exists(at: AppTest, kind: str, key: str) -> bool:
    return any(w.key == key for w in getattr(at, kind))


def option_values(w, pool: list) -> list:
    """The option values of a picker, in its order. AppTest shows the options formatted; the values
    are recovered by formatting every candidate of ``pool`` with the widget's own format_func."""
    labels = list(w.options)
    by_label = {}
    for candidate in pool:
        try:
            by_label.setdefault(str(w.format_func(candidate)), candidate)
        except Exception:  # noqa: BLE001 - a candidate of another picker's type
            continue
    return [by_label[label] for label in labels if label in by_label]


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def world(demo_db, tmp_path_factory):
    """A private copy of the demo database with one alert run at the latest ledger date (so the inbox
    has events), the profile and the date."""
    db = private_copy(demo_db, tmp_path_factory.mktemp("scope_pages") / "scope.duckdb")
    prof = profiles.load("anyi")
    with store.read_connection(db) as con:
        as_of = derived.latest_ledger_date(con)
    alerts.run(db, as_of, prof)
    return {"db": db, "prof": prof, "as_of": as_of}


def candidates(con) -> list:
    """Every value a page's picker may hold: loan ids, institution names, rules, horizons, alert
    kinds, the reports page's modes, and the 'all' sentinels."""
    from queries.compliance import RULES
    from queries.outlook import WALL_HORIZONS

    names = [r[0] for r in con.execute("select loan_id from loans union all select bank from loans union all "
                                       "select guarantor from loans where guarantor is not null").fetchall()]
    return ["", None, *sorted(set(names)), *RULES, *WALL_HORIZONS, 30, 60, 90, *alerts.KINDS, "date", "month"]


@pytest.fixture(scope="module")
def tours(world):
    """username -> (the ledger's scope, every Shown of its tour, registered pages, refusals seen)."""
    db, as_of = world["db"], world["as_of"]
    out = {}
    with store.read_connection(db) as con:
        all_ids = {r[0] for r in con.execute("select loan_id from loans").fetchall()}
        scopes = {name: ledger_scope(con, role, org) for name, (role, org) in ACCOUNTS.items()}
        latest_own = {name: con.execute("select max(disbursed_on) from loans where disbursed_on <= ? and "
                                        "(? is null or case ? when 'bank' then bank when 'guarantor' then guarantor "
                                        "else appraiser end = ?)", [as_of, org, role, org]).fetchone()[0]
                      for name, (role, org) in ACCOUNTS.items()}
        pool = candidates(con)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLEDGEWATCH_DB", str(db))
        mp.delenv("PLEDGEWATCH_PROFILE", raising=False)
        dl = Downloads()
        dl.install(mp)
        st.cache_data.clear()
        for name, (role, org) in ACCOUNTS.items():
            scope = scopes[name]
            at = signed_in(AppTest.from_file(str(APP), default_timeout=120), name, role, org)
            at.run()
            files = {info["url_pathname"] or "overview": "views/" + Path(info["script_path"]).name
                     for info in at._registered_pages.values()}  # noqa: SLF001 - what st.navigation registered
            registered = set(files)
            seen = [look(at, dl, "overview", "default")]
            day = latest_own[name]
            month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
            pages = [p for p in ("overdue", "outlook", "loan", "collateral", "compensation", "compliance",
                                 "subsidies", "reports", "inbox", "audit", "import") if p in registered]
            seen += tour(at, dl, [files[p] for p in pages], all_ids, pool, scope, org is None,
                         month_end)
            refusals = {}
            for path in sorted(EVERY_PAGE - registered):
                at._page_hash = calc_hash(path)  # noqa: SLF001 - the browser asking for /<path>
                at.run()
                refusals[path] = at._finished_page_script_hash  # noqa: SLF001
                seen.append(look(at, dl, path, "refused URL"))
            # a deep link to a loan outside the scope: the picker keeps to the account's own loans
            if scope.foreign["loan id"]:
                other = min(scope.foreign["loan id"])
                at.switch_page("views/loan.py")
                at.query_params["loan"] = other
                at.run()
                seen.append(look(at, dl, "loan", f"?loan={other}"))
            out[name] = (scope, seen, registered, refusals)
        st.cache_data.clear()
    return out


# ---------------------------------------------------------------- the assertions

def masked(text: str, needle_set: set, own: set) -> str:
    """``text`` with every own string that contains a foreign string blanked out (a foreign name
    inside a longer own name is not a leak)."""
    for s in sorted((o for o in own if any(n in o and n != o for n in needle_set)), key=len, reverse=True):
        text = text.replace(s, "\x00")
    return text


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_no_page_state_or_download_shows_anything_of_a_loan_outside_the_scope(tours, username):
    scope, seen, _, _ = tours[username]
    leaks = []
    for shown in seen:
        text = "\n".join(shown.texts)
        # a deep link to a foreign loan is answered "找不到借据 <the id asked for>": that id is the user's
        asked = {shown.state.removeprefix("?loan=")} if shown.state.startswith("?loan=") else set()
        for what, strings in scope.foreign.items():
            strings = strings - asked if what == "loan id" else strings
            body = masked(text, strings, scope.own_strings)
            found = sorted(s for s in strings if s in body)
            if found:
                leaks.append((shown.page, shown.state, what, found[:5]))
    assert not leaks, leaks


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_the_account_sees_its_own_loans(tours, username):
    scope, seen, _, _ = tours[username]
    text = "\n".join(t for s in seen for t in s.texts)
    shown_ids = {i for i in scope.own_ids if i in text}
    loan_pages = [s for s in seen if s.page == "loan" and s.state.startswith("loan_pick=")]
    # the loan picker offers exactly the account's loans (every loan for the bureau)
    [picker] = {tuple(s.options["loan_pick"]) for s in seen if "loan_pick" in s.options}
    assert sorted(picker) == sorted(scope.own_ids)
    # every loan page opened shows that loan
    for s in loan_pages:
        loan_id = s.state.split("=", 1)[1]
        assert scope.names[loan_id] in s.texts or any(scope.names[loan_id] in t and loan_id in t for t in s.texts), \
            s.state
    # the report's loan list is the engine's own-loans list, inside the scope
    loans_csv = report_loans_csv(_state(seen, "reports"))
    listed = {line.split(",")[0] for line in loans_csv.splitlines()[1:] if line}
    assert listed and listed <= scope.own_ids
    assert len(shown_ids) >= min(len(scope.own_ids), 10)


def report_loans_csv(shown: Shown) -> str:
    """The reports page's CSV of the report's loans section (file loans_<date>.csv, LEDGER.md)."""
    [data] = [v for name, v in shown.downloads.items() if name.startswith("loans_") and name.endswith(".csv")]
    return data.decode("utf-8-sig")


def _metric(shown: Shown, label: str):
    assert label in shown.metrics, (shown.page, label, list(shown.metrics))
    return shown.metrics[label]


def _state(seen, page, state="default") -> Shown:
    [one] = [s for s in seen if s.page == page and s.state == state]
    return one


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_the_figures_shown_are_the_engines_with_the_accounts_scope(tours, world, username):
    scope_l, seen, _, _ = tours[username]
    role, org = ACCOUNTS[username]
    sc = runner.scope_for(role, org)
    db, prof, as_of = world["db"], world["prof"], world["as_of"]
    with store.read_connection(db) as con:
        program = ratio.summary(con, as_of, prof)
        own = ratio.summary(con, as_of, prof, sc) if sc else None
        alert_rows = alert60.alerts(con, as_of, prof, sc)
        overdue = alert60.overdue_list(dpd.loan_snapshot(con, as_of, prof, sc), alert_rows,
                                       claims.claims(con, as_of, prof, sc))
        exceptions = compliance.exceptions(con, as_of, prof, scope=sc)
        claim_ids = set(claims.claims(con, as_of, prof, sc)["loan_id"])
        rep = report.build_report(con, as_of, prof, sc)
    overview = _state(seen, "overview")
    assert _metric(overview, "不良率") == pct_text(program["npl_ratio"])  # program-wide for everyone
    if own is None:
        assert "本机构贷款逾期率（非项目触发指标）" not in overview.metrics
    else:
        assert _metric(overview, "本机构贷款逾期率（非项目触发指标）") == pct_text(own["npl_ratio"])
    assert _metric(overview, "逾期60天预警") == f"{len(alert_rows):,}"
    # the overdue list: the engine's rows with this scope, with their DPD
    [table] = [f for f in _state(seen, "overdue").frames if "loan_id" in f.columns and "dpd" in f.columns]
    assert dict(zip(table["loan_id"], table["dpd"].astype(int), strict=True)) == \
        dict(zip(overdue["loan_id"], overdue["dpd"].astype(int), strict=True))
    assert set(overdue["loan_id"]) <= scope_l.own_ids
    # compliance: the headline count and each rule's rows
    comp = _state(seen, "compliance")
    assert _metric(comp, "违规记录") == f"{len(exceptions):,}"
    for s in seen:
        if s.page == "compliance" and s.state.startswith("rule_pick="):
            rule = s.state.split("=", 1)[1]
            [rows] = [f for f in s.frames if "loan_id" in f.columns and "item" in f.columns]
            assert sorted(rows["loan_id"]) == sorted(exceptions.loc[exceptions["rule"] == rule, "loan_id"]), rule
    # compensation claims: the engine's claims of this scope
    claim_frames = [f for f in _state(seen, "compensation").frames if {"loan_id", "notice_on"} <= set(f.columns)]
    assert {i for f in claim_frames[:1] for i in f["loan_id"]} == claim_ids
    # the reports page: program-wide ratio, the engine's scoped loan list in the CSV
    reports = _state(seen, "reports")
    assert _metric(reports, "不良率") == pct_text(program["npl_ratio"])
    loans_csv = report_loans_csv(reports)
    assert sorted(line.split(",")[0] for line in loans_csv.splitlines()[1:] if line) == \
        sorted(r["loan_id"] for r in rep["loans"])


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_pages_the_role_may_not_open_are_absent_and_their_urls_fall_back(tours, username):
    _, _, registered, refusals = tours[username]
    role = ACCOUNTS[username][0]
    assert registered == EVERY_PAGE - REFUSED[role]
    assert set(refusals) == REFUSED[role]
    for path, landed in refusals.items():
        assert landed == calc_hash("overview"), path
        assert not auth.may_open(role, path)
