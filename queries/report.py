"""The report CLI (LEDGER.md "Command-line interface"): the program's position at one date.

    python -m queries.report --db PATH --as-of YYYY-MM-DD --format json|csv|xlsx [--out FILE]
                             [--profile NAME] [--scope bank:NAME | guarantor:NAME | appraiser:NAME]

``build_report`` is the one function behind the CLI and the dashboard's downloads. It returns
the LEDGER.md keys with exact Python values (Decimal, date); ``to_json`` / ``write_csv`` /
``write_xlsx`` format them: money rounded half-up to 0.01, ratios unrounded (the engine's exact
DECIMAL(38,18), trailing zeros dropped), dates ISO, lists sorted by loan_id.

With a scope (R-SCOPE, a party's own pack) every loan-level section lists that party's loans only;
the program-wide figures (the summary: balances, ratio, status, halted_since, headroom, and the
outlook's loans_to_breach, days_to_breach, hhi) are those of the whole program, and one more object,
``scope``, names the party and gives its own book's balances and ratio (not the trigger ratio).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import io
import itertools
import json
import operator
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pipelines import profile as profile_mod
from pipelines import store
from queries import (
    alert60,
    cells,
    claims,
    collateral,
    compliance,
    dpd,
    freshness,
    labels,
    outlook,
    portfolio,
    ratio,
    runner,
    subsidies,
)

# later keys are appended (LEDGER.md: a consumer ignores keys it does not know)
REPORT_KEYS = ("as_of", "active_balance", "overdue_balance", "npl_ratio", "status", "halted_since", "headroom",
               "loans", "alerts_60d", "compensations", "compliance", "subsidies",
               "collateral", "coverage", "coverage_totals", "outlook", "stale_banks")
LIST_SECTIONS = ("loans", "alerts_60d", "compensations", "compliance", "subsidies", "collateral", "coverage")
# R-FRESH's list, written after the outlook tables (later keys go last in the files too)
LATER_SECTIONS = ("stale_banks",)
# sections that are one object: written as a vertical (key, labels, value) table like the summary
OBJECT_SECTIONS = ("coverage_totals",)
# a scoped report's extra object (R-SCOPE): the party and its own book, after the LEDGER.md keys
SCOPE_SECTION = "scope"
VERTICAL = ("summary", *OBJECT_SECTIONS, SCOPE_SECTION)
# the outlook object (R-PROJ, R-BREAK, R-WALL, R-HHI) as tables: CSV files / XLSX sheets after the lists
OUTLOOK_SECTIONS = ("outlook", "outlook_breach_loans", "outlook_wall", "outlook_hhi")
CENT = Decimal("0.01")
# the as-of dates a report may be asked for: the range every ledger date must lie in (ingest)
FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


# ---------------------------------------------------------------- building the report

def _records(frame, columns) -> list[dict]:
    """Rows of a DataFrame (or list of dicts) restricted to ``columns``, NaN/NaT as None."""
    rows = frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)
    out = []
    for row in rows:
        out.append({c: _clean(row.get(c)) for c in columns})
    return out


def _clean(value):
    if value is None:
        return None
    try:
        if value != value:  # NaN / NaT
            return None
    except TypeError:
        pass
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if hasattr(value, "item") and not isinstance(value, (Decimal, str)):
        return value.item()  # numpy scalar
    return value


def obligation_sections(con, as_of, profile, scope=None) -> dict:
    """compensations, compliance and subsidies (R-COMP, C1–C11, R-SUB): one call each into
    queries.claims / compliance / subsidies. subsidies.by_enterprise is subsidies.eligible summed
    per (year, credit_code, kind), the shape of the report's list. Over the loans in ``scope``.
    """
    claim_rows = claims.claims(con, as_of, profile, scope)
    exceptions = compliance.exceptions(con, as_of, profile, scope=scope)
    pairs = _records(exceptions, ("loan_id", "rule"))
    rule_order = {f"C{i}": i for i in range(1, 12)}
    unique = sorted({(r["loan_id"], r["rule"]) for r in pairs}, key=lambda r: (r[0], rule_order.get(r[1], 99)))
    # one row per (year, credit_code, kind), sorted by them in Arrow: UTF-8 byte order is code point
    # order, so this is the order Python's sort of the same tuples gives
    eligible = subsidies.by_enterprise_table(con, as_of, profile, scope).select(list(labels.SECTIONS["subsidies"]))
    eligible = eligible.sort_by([("year", "ascending"), ("credit_code", "ascending"), ("kind", "ascending")])
    return {
        "compensations": _records(claim_rows, labels.SECTIONS["compensations"]),
        "compliance": [{"loan_id": loan_id, "rule": rule} for loan_id, rule in unique],
        "subsidies": runner.pylist(eligible),
    }


def build_report(con, as_of, profile, scope=None) -> dict:
    """The report of LEDGER.md at the end of ``as_of``: exactly REPORT_KEYS, exact values.

    ``scope`` (R-SCOPE, e.g. {"bank": NAME}) restricts every loan-level section to that party's
    loans; the summary figures stay program-wide, and the key SCOPE_SECTION is added after
    REPORT_KEYS (the party and its own book's active_balance, overdue_balance and npl_ratio)."""
    as_of = runner.as_date(as_of)
    head = ratio.summary(con, as_of, profile)  # program-wide (R-NPL, R-HALT): the same for everyone
    loans = dpd.snapshot_rows(con, as_of, profile, scope, columns=labels.SECTIONS["loans"], active_only=True)
    alerts = alert60.alerts(con, as_of, profile, scope)
    report = {
        "as_of": as_of,
        "active_balance": head["active_balance"],
        "overdue_balance": head["overdue_balance"],
        "npl_ratio": head["npl_ratio"],
        "status": head["status"],
        "halted_since": head["halted_since"],
        "headroom": head["headroom"],
        "loans": loans,
        "alerts_60d": _records(alerts, labels.SECTIONS["alerts_60d"]),
    }
    report.update(obligation_sections(con, as_of, profile, scope))
    report.update(collateral.report_sections(con, as_of, profile, scope))  # R-IPSTAT, R-COVER
    for key in ("loans", "alerts_60d", "compensations", "compliance"):
        report[key] = sorted(report[key], key=lambda r: r["loan_id"])
    report["outlook"] = outlook.report_section(con, as_of, profile, scope)
    report["stale_banks"] = freshness.report_section(con, as_of, profile, scope)  # R-FRESH, by bank
    out = {k: report[k] for k in REPORT_KEYS}
    if runner.is_scoped(runner.scope_params(scope)):
        own = ratio.summary(con, as_of, profile, scope)
        (role, organisation), = ((k, v) for k, v in scope.items() if v)
        out[SCOPE_SECTION] = {"scope_role": role, "scope_organisation": organisation,
                              "own_active_balance": own["active_balance"],
                              "own_overdue_balance": own["overdue_balance"], "own_npl_ratio": own["npl_ratio"]}
    return out


def parse_scope(text: str) -> dict:
    """``bank:NAME`` | ``guarantor:NAME`` | ``appraiser:NAME`` (LEDGER.md --scope) as a scope dict;
    ValueError with a bilingual message otherwise."""
    key, sep, name = text.partition(":")
    key, name = key.strip(), name.strip()
    if not sep or key not in runner.SCOPE_KEYS or not name:
        raise ValueError(f"--scope 应为 bank:名称、guarantor:名称 或 appraiser:名称：{text}\n"
                         f"--scope must be bank:NAME, guarantor:NAME or appraiser:NAME: {text}")
    return {key: name}


def check_scope(con, scope: dict) -> None:
    """ValueError (bilingual) when the scope names an organisation the loans ledger does not know in
    that role: a typo must not produce an empty pack that looks like a party without loans."""
    known = portfolio.institutions(con)
    for key, name in scope.items():
        if not ((known["dimension"] == key) & (known["name"] == name)).any():
            zh_role = {"bank": "银行", "guarantor": "担保公司", "appraiser": "评估机构"}[key]
            raise ValueError(f"贷款台账中没有此{zh_role}：{name}\nNo {key} of that name in the loans ledger: {name}")


# ---------------------------------------------------------------- formatting

# json.dumps builds an encoder per call; its C string encoder (what dumps uses with
# ensure_ascii=False) is ~10x faster, and a 100k-loan report writes about a million values
_json_string = json.encoder.encode_basestring


def _json_value(column: str, value) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return _json_string(value.isoformat())
    if isinstance(value, Decimal) or (isinstance(value, float) and labels.kind(column) in (labels.MONEY,
                                                                                          labels.RATIO)):
        return _number(column, value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


@functools.cache
def _json_key(key: str) -> str:
    return json.dumps(key)


def _number(column: str, value) -> str:
    """Money half-up to 0.01; ratios and others exact, trailing zeros dropped (a JSON number)."""
    d = value if isinstance(value, Decimal) else Decimal(repr(value))
    if labels.kind(column) == labels.MONEY:
        return _money_text(d)
    text = format(d.normalize(), "f")
    return text


def _money_text(value: Decimal) -> str:
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def _money_texts(values: list) -> list[str]:
    """_money_text of many Decimals. A Decimal with exactly two decimal places (what DECIMAL(18,2)
    money arrives as) prints as that very text, so str() serves where its text ends in .dd; the
    length bound keeps it to amounts quantize accepts in the default 28-digit context."""
    texts = list(map(str, values))
    return [t if t[-3:-2] == "." and len(t) < 28 else _money_text(v) for t, v in zip(texts, values, strict=True)]


def _date_text(value: dt.date) -> str:
    return _json_string(value.isoformat())


def _json_column(column: str, values: list) -> list[str]:
    """_json_value of every value of one column: a column of one Python type (plus None) maps one
    formatter over it, the same text _json_value writes for that type; anything else goes value by
    value through _json_value."""
    types = set(map(type, values))
    nullable = type(None) in types
    types.discard(type(None))
    fmt = None
    if types == {str}:
        fmt = _json_string
    elif types == {int}:
        fmt = int.__repr__
    elif types == {dt.date}:
        fmt = _date_text
    elif types == {Decimal} and labels.kind(column) == labels.MONEY:
        fmt = _money_text
    if fmt is None:
        return [_json_value(column, v) for v in values]
    if fmt is _money_text and not nullable:
        return _money_texts(values)
    if nullable:
        return ["null" if v is None else fmt(v) for v in values]
    return list(map(fmt, values))


def _json_rows(rows: list, prefix: str) -> list[str]:
    """Each row of a list section as ``prefix`` + one-line JSON object. A report list has the same
    keys in the same order in every row, so it is formatted column by column (a 100k-loan report
    has about half a million values); rows that differ fall back to one object at a time."""
    keys = tuple(rows[0]) if isinstance(rows[0], dict) else ()
    if not (keys and all(map(isinstance, rows, itertools.repeat(dict))) and all(map(keys.__eq__, map(tuple, rows)))):
        return [prefix + _json_object(r) for r in rows]
    columns = [_json_column(k, list(map(operator.itemgetter(k), rows))) for k in keys]
    template = prefix.replace("%", "%%") + "{" + ", ".join(
        _json_key(k).replace("%", "%%") + ": %s" for k in keys) + "}"
    return [template % texts for texts in zip(*columns, strict=True)]


def _json_object(row: dict) -> str:
    return "{" + ", ".join(f"{_json_key(k)}: {_json_value(k, v)}" for k, v in row.items()) + "}"


def _json_member(key: str, value, pad: str, level: int) -> str:
    """One ``"key": value`` line at nesting ``level``: a list of rows one row a line, a dict (the
    outlook object) one member a line, a list of plain values (breach_loans) and anything else inline."""
    here = pad * level
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        items = ",\n".join(_json_rows(value, pad * (level + 1)))
        return f"{here}{json.dumps(key)}: [\n{items}\n{here}]"
    if isinstance(value, list):
        return f"{here}{json.dumps(key)}: [" + ", ".join(_json_value(key, v) for v in value) + "]"
    if isinstance(value, dict) and any(isinstance(v, (list, dict)) for v in value.values()):
        members = ",\n".join(_json_member(k, v, pad, level + 1) for k, v in value.items())
        return f"{here}{json.dumps(key)}: {{\n{members}\n{here}}}"
    if isinstance(value, dict):
        return f"{here}{json.dumps(key)}: {_json_object(value)}"
    return f"{here}{json.dumps(key)}: {_json_value(key, value)}"


def to_json(report: dict, indent: int = 2) -> str:
    """The report as one JSON object (numbers written from their exact decimal text)."""
    pad = " " * indent
    lines = [_json_member(key, report[key], pad, 1) for key in report]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def tables(report: dict) -> dict[str, tuple[tuple[str, ...], list[list]]]:
    """The report as tables: section -> (columns, rows). summary is vertical (key, labels, value)."""
    head = []
    for key in labels.SECTIONS["summary"]:
        head.append([key, labels.label(key, "zh"), labels.label(key, "en"), report[key]])
    out = {"summary": (("key", "label_zh", "label_en", "value"), head)}
    for section in LIST_SECTIONS:
        cols = labels.SECTIONS[section]
        out[section] = (cols, [[r.get(c) for c in cols] for r in report[section]])
    for section in OBJECT_SECTIONS + ((SCOPE_SECTION,) if SCOPE_SECTION in report else ()):
        obj = report[section]
        out[section] = (("key", "label_zh", "label_en", "value"),
                        [[k, labels.label(k, "zh"), labels.label(k, "en"), obj[k]] for k in labels.SECTIONS[section]])
    if "outlook" in report:
        out.update(outlook_tables(report["outlook"]))
    for section in LATER_SECTIONS:
        if section in report:
            cols = labels.SECTIONS[section]
            out[section] = (cols, [[r.get(c) for c in cols] for r in report[section]])
    return out


def outlook_tables(section: dict) -> dict[str, tuple[tuple[str, ...], list[list]]]:
    """The outlook object as OUTLOOK_SECTIONS tables: its figures in one row, breach loans in R-BREAK
    order with their rank, the wall and the HHI rows."""
    days = section["days_to_breach"]
    rows = {
        "outlook": [[section["loans_to_breach"], days["base"], days["stress"]]],
        "outlook_breach_loans": [[n, loan_id] for n, loan_id in enumerate(section["breach_loans"], start=1)],
        "outlook_wall": [[r[c] for c in labels.SECTIONS["outlook_wall"]] for r in section["wall"]],
        "outlook_hhi": [[r[c] for c in labels.SECTIONS["outlook_hhi"]] for r in section["hhi"]],
    }
    return {name: (labels.SECTIONS[name], rows[name]) for name in OUTLOOK_SECTIONS}


def _cell_text(column: str, value) -> str:
    return cells.csv_cell(value, lambda v: str(v) if isinstance(v, int) else _number(column, v))


def write_csv(report: dict, out_dir) -> list[Path]:
    """One UTF-8-with-BOM CSV per section into directory ``out_dir``: summary.csv, loans.csv,
    alerts_60d.csv, compensations.csv, compliance.csv, subsidies.csv, collateral.csv, coverage.csv,
    coverage_totals.csv. Header cells read
    "中文 (key)" so people and scripts both find their column. Returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for section, (cols, rows) in tables(report).items():
        path = out_dir / f"{section}.csv"
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        # the unit in the label, the key unchanged: '贷款余额（元） (outstanding)' (issue 12 item 5)
        writer.writerow([f"{labels.header(c, 'zh', 'yuan')} ({c})" for c in cols])
        for row in rows:
            if section in VERTICAL:
                key = row[0]
                writer.writerow([row[0], row[1], row[2], _cell_text(key, row[3])])
            else:
                writer.writerow([_cell_text(c, v) for c, v in zip(cols, row, strict=True)])
        path.write_text(buf.getvalue(), encoding="utf-8-sig")
        written.append(path)
    return written


def write_xlsx(report: dict, out) -> None:
    """An XLSX workbook, one sheet per section (sheet name = section key): header rows in Chinese
    (row 1) and English (row 2), frozen; money '#,##0.00', ratios as percent, dates as dates.
    ``out`` is a path or a binary file object (the dashboard's download button)."""
    from openpyxl import Workbook

    from queries import xlsx_style

    wb = Workbook()
    wb.remove(wb.active)
    for section, (cols, rows) in tables(report).items():
        ws = xlsx_style.header_sheet(wb, section, [labels.header(c, "zh", "yuan") for c in cols],
                                     [labels.header(c, "en", "yuan") for c in cols])
        for row in rows:
            ws.append([_xlsx_value(c, v) for c, v in zip(cols, row, strict=True)])
        for r in range(3, ws.max_row + 1):
            for i, c in enumerate(cols, start=1):
                column_kind = labels.kind(c)
                if section in VERTICAL and c == "value":
                    column_kind = labels.kind(rows[r - 3][0])
                cell = ws.cell(row=r, column=i)
                if section in VERTICAL and c == "value":
                    cell.value = _xlsx_value(rows[r - 3][0], rows[r - 3][3])
                if column_kind == labels.MONEY:
                    cell.number_format = xlsx_style.MONEY_FORMAT
                elif column_kind == labels.RATIO:
                    cell.number_format = "0.0000%"  # the report keeps rates to the basis point
                elif column_kind == labels.DATE:
                    cell.number_format = xlsx_style.DATE_FORMAT
        for i, c in enumerate(cols, start=1):
            texts = [labels.label(c, "zh"), labels.label(c, "en")] + [_cell_text(c, row[i - 1]) for row in rows]
            xlsx_style.fit_width(ws, i, texts, 8, 50)
        cells.as_text(ws)  # text from the ledgers: string cells, never formulas
    wb.save(out)


def _xlsx_value(column: str, value):
    if isinstance(value, Decimal) and labels.kind(column) == labels.MONEY:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value


# ---------------------------------------------------------------- CLI

def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m queries.report",
        description="项目风险报告（某日终了时点）/ Program risk report at the end of a date (LEDGER.md).",
        epilog="json: 一个对象写到标准输出或 --out / one object to stdout or --out. "
               "csv: --out 为目录（默认 report_<日期>），每节一个 UTF-8 BOM 文件 / --out is a directory "
               "(default report_<as-of>) with one UTF-8-with-BOM file per section: summary, loans, alerts_60d, "
               "compensations, compliance, subsidies, collateral, coverage, coverage_totals. xlsx: --out 文件（默认 report_<日期>.xlsx），每节一个工作表 / "
               "--out file (default report_<as-of>.xlsx), one sheet per section.",
    )
    ap.add_argument("--db", help="数据库路径 / database path (default $PLEDGEWATCH_DB or data/portfolio.duckdb)")
    ap.add_argument("--as-of", required=True, help="统计日期 YYYY-MM-DD / as-of date")
    ap.add_argument("--format", choices=("json", "csv", "xlsx"), default="json", help="输出格式 / output format")
    ap.add_argument("--out", help="输出文件或目录 / output file (json, xlsx) or directory (csv)")
    ap.add_argument("--profile", help="项目参数 / program profile name (default $PLEDGEWATCH_PROFILE or anyi)")
    ap.add_argument("--scope", help="只含该机构的贷款 / only that party's loans (R-SCOPE): "
                                    "bank:NAME | guarantor:NAME | appraiser:NAME")
    return ap


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        as_of = dt.date.fromisoformat(args.as_of)
    except ValueError:
        print(f"日期格式应为 YYYY-MM-DD：{args.as_of}\nDate must be YYYY-MM-DD: {args.as_of}", file=sys.stderr)
        return 2
    if not FIRST_DAY <= as_of <= LAST_DAY:  # the ledgers' own date range: no figure exists outside it
        print(f"统计日期须在 {FIRST_DAY} 至 {LAST_DAY} 之间：{as_of}\n"
              f"The as-of date must lie from {FIRST_DAY} to {LAST_DAY}: {as_of}", file=sys.stderr)
        return 2
    try:
        scope = parse_scope(args.scope) if args.scope is not None else None
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    db = store.resolve_db(args.db)
    if not db.exists():
        print(f"找不到数据库 {db}\nDatabase {db} not found", file=sys.stderr)
        return 2
    try:
        prof = profile_mod.load(args.profile)
    except (FileNotFoundError, ValueError) as exc:  # a missing or broken profile: its own bilingual text
        print(str(exc), file=sys.stderr)
        return 2
    try:
        with store.read_connection(db) as con:
            if scope is not None:
                try:
                    check_scope(con, scope)
                except ValueError as exc:  # an organisation the ledgers do not know
                    print(str(exc), file=sys.stderr)
                    return 2
            report = build_report(con, as_of, prof, scope)
    except store.StoreLocked as exc:
        print(f"{exc.message_zh}\n{exc.message_en}", file=sys.stderr)
        return 3
    if args.format == "json":
        text = to_json(report)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    elif args.format == "csv":
        written = write_csv(report, args.out or f"report_{as_of.isoformat()}")
        # stdout stays free for json; say where the files went so a default folder is no surprise
        print(f"已写入 / written: {', '.join(str(p) for p in written)}", file=sys.stderr)
    else:
        out = args.out or f"report_{as_of.isoformat()}.xlsx"
        write_xlsx(report, out)
        print(f"已写入 / written: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
