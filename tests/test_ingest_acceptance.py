"""The acceptance run of issue 11 (docs/HOSTILE.md): one hostile or broken input per class, each
loaded through the real command line (``ingest.main``, in process), and its outcome checked to be
clean — a refusal (exit 2, one message in Chinese and English naming the file, the database as it
was), a reject of the bad rows (each with its column and a reason in both languages, the good rows
loaded), or a load of exactly the values the file means. Anything else — a traceback, a wrong value
stored, a silent drop — fails the class: a defect.

    pytest -s tests/test_ingest_acceptance.py   # prints the count for HOSTILE.md

The heaviest classes (bombs, 300 MB cells, 2 GB files, kills) have their own tests, measured in a
child process (tests/test_hostile_input.py, tests/test_ingest_delivery.py); HOSTILE.md lists both.
"""

from __future__ import annotations

import codecs
import csv
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from store_fixtures import table_counts
from test_hostile_input import HEADER, csv_text, row, set_dimension, workbook
from test_ingest_rows import patent

from pipelines import ingest, store

REFUSED, REJECTED, LOADED = "clean refusal", "clean reject", "loaded as meant"
CASES: dict[str, tuple[str, object, object]] = {}
OUTCOMES: dict[str, str] = {}


def case(name: str, outcome: str, expect=None):
    """Register a class: build(folder) writes its files and returns them; expect is, for a reject,
    the (row, column) pairs rejected, and for a load, (sql, rows) the database must then hold."""
    def register(build):
        CASES[name] = (outcome, build, expect)
        return build
    return register


def _csv(folder: Path, rows, name="loans.csv", header=HEADER, encoding="utf-8") -> list[Path]:
    path = folder / name
    path.write_bytes(csv_text(rows, header).encode(encoding))
    return [path]


def _loans_and(folder: Path, name: str, header: str, lines: list[str]) -> list[Path]:
    """A loans file with L1 (indirect, guarantor 担保甲) and a second ledger."""
    _csv(folder, [row(1)[:4] + ["间接质押", "担保甲"] + row(1)[6:]])
    (folder / name).write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return [folder]


def _money(raw):
    return lambda folder: _csv(folder, [row(1), row(2, principal=raw)])


def _date(raw, column="disbursed"):
    return lambda folder: _csv(folder, [row(1), row(2, **{column: raw})])


# ---------------------------------------------------------------- encodings and bytes
case("empty file", REFUSED)(lambda f: [_touch(f / "empty.csv", b"")])
case("only blank lines", REFUSED)(lambda f: [_touch(f / "blank.csv", b"\n \r\n\n")])
case("binary garbage named .csv", REFUSED)(lambda f: [_touch(f / "bin.csv", bytes(range(256)) * 40)])
case("UTF-8 with BOM", LOADED, ("select loan_id, bank from loans", [("L1", "安义农商行")]))(
    lambda f: [_touch(f / "bom.csv", codecs.BOM_UTF8 + csv_text([row(1)]).encode())])
case("GBK", LOADED, ("select loan_id, bank from loans", [("L1", "安义农商行")]))(
    lambda f: _csv(f, [row(1)], encoding="gbk"))
case("GB18030 four-byte character", LOADED, ("select enterprise_name from loans", [("𠀀企业",)]))(
    lambda f: _csv(f, [row(1, name="𠀀企业")], encoding="gb18030"))
case("GBK with one undecodable byte", REFUSED)(
    lambda f: [_touch(f / "bad.csv", csv_text([row(1)]).encode("gbk").replace("安义".encode("gbk"), b"\xff\x30", 1))])
case("Shift-JIS", REFUSED)(
    lambda f: [_touch(f / "sjis.csv", "loan_id,enterprise_name\nL1,株式会社テスト\nL2,東京都港区\n".encode("shift_jis"))])
case("Big5", REFUSED)(lambda f: [_touch(f / "big5.csv", "loan_id,enterprise_name\nL1,臺灣積體電路製造\n".encode("big5"))])
case("UTF-16 with BOM", REFUSED)(lambda f: [_touch(f / "u16.csv", csv_text([row(1)]).encode("utf-16"))])
case("UTF-16 without BOM", REFUSED)(lambda f: [_touch(f / "u16le.csv", csv_text([row(1)]).encode("utf-16-le"))])
case("UTF-8 BOM over a GBK body", REFUSED)(
    lambda f: [_touch(f / "bomgbk.csv", codecs.BOM_UTF8 + csv_text([row(1)]).encode("gbk"))])
case("NUL byte after the first 8 KB", REJECTED, [(90, "bank")])(
    lambda f: _csv(f, [row(n) for n in range(1, 89)] + [row(89)[:3] + ["安义\x00农商行"] + row(89)[4:]]))
case("vertical tab in a bank name", REJECTED, [(3, "bank")])(
    lambda f: _csv(f, [row(1), row(2)[:3] + ["农商\x0b行"] + row(2)[4:]]))
case("mixed CRLF and LF line endings", LOADED, ("select count(*) from loans", [(3,)]))(
    lambda f: [_touch(f / "mixed.csv", csv_text([row(1), row(2), row(3)]).replace("\n", "\r\n", 2).encode())])
case("a 3 MB line", REFUSED)(lambda f: _csv(f, [row(1), row(2, name="x" * 3_000_000)]))
case("a row with more cells than the header", REFUSED)(
    lambda f: [_touch(f / "ragged.csv", (csv_text([row(1)]) + ",".join(row(2)) + ",x,y\n").encode())])
case("an unterminated quote", REFUSED)(
    lambda f: [_touch(f / "quote.csv", (csv_text([row(1)]) + '"L2,企业2\n').encode())])
case("a line break inside a quoted cell", LOADED, ("select enterprise_name from loans order by 1", [("企业\n一",)]))(
    lambda f: [_touch(f / "nl.csv", (HEADER + "\n" + ",".join(row(1)).replace("企业1", '"企业\n一"') + "\n").encode())])
case("semicolon delimiter", LOADED, ("select count(*) from loans", [(2,)]))(
    lambda f: [_touch(f / "semi.csv", csv_text([row(1), row(2)]).replace(",", ";").encode())])

# ---------------------------------------------------------------- headers
case("no recognisable header", REFUSED)(lambda f: [_touch(f / "people.csv", "姓名,年龄\n张三,30\n".encode())])
case("a required column missing", REFUSED)(
    lambda f: _csv(f, [row(1)[:2] + row(1)[3:]], header=HEADER.replace("统一社会信用代码,", "")))
case("the same header twice", REFUSED)(lambda f: _csv(f, [row(1) + ["1"]], header=HEADER + ",贷款金额"))
case("two aliases of one column", REFUSED)(lambda f: _csv(f, [row(1) + ["1"]], header=HEADER + ",放款金额"))
case("the header below row 30", REFUSED)(
    lambda f: [_touch(f / "deep.csv", ("说明\n" * 31 + csv_text([row(1)])).encode())])
case("201 columns", REFUSED)(
    lambda f: _csv(f, [row(1) + [""] * 189], header=HEADER + "," + ",".join(f"备注{i}" for i in range(189))))
case("an events party column under an unknown header", REJECTED, [(3, "party"), (4, "party")])(
    lambda f: _loans_and(f, "events.csv", "借据号,日期,事件类型,付款单位,金额",
                         ["L1,2024-06-01,代偿通知,,", "L1,2024-06-20,代偿,担保公司,700000",
                          "L1,2024-06-21,代偿,评估机构,100000"]))
case("a contract number beside the loan id", LOADED, ("select loan_id, extras from loans", [("L1", '{"合同编号":"HT-1"}')]))(
    lambda f: _csv(f, [["HT-1", *row(1)]], header="合同编号," + HEADER))
case("headers in full-width forms with unit notes", LOADED, ("select principal from loans", [(Decimal("800000.00"),)]))(
    lambda f: _csv(f, [row(1, principal="80")], header=HEADER.replace("贷款金额", "贷款金额（万元）").replace("借据号", "借据号＊")))

# ---------------------------------------------------------------- XLSX
case("not a zip archive named .xlsx", REFUSED)(lambda f: [_touch(f / "junk.xlsx", b"PK\x03\x04 not a zip")])
case("a truncated workbook", REFUSED)(lambda f: [_truncated(f)])
case("a password-protected workbook", REFUSED)(lambda f: [_touch(
    f / "locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(900))])
case("an old .xls workbook", REFUSED)(lambda f: [_touch(f / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))])
case("a value in cell XFD1048576", REFUSED)(
    lambda f: [workbook(f / "bomb.xlsx", [row(1)], extra=lambda ws: ws.cell(1048576, 16384, "x"))])
case("a dimension declaring 2,000,001 rows", REFUSED)(lambda f: [_dimension(f, b"A1:L2000001")])
case("a dimension understating the rows", LOADED, ("select count(*) from loans", [(3,)]))(lambda f: [_dimension(f, b"A1:L2")])
case("a workbook with a sheet that is not a ledger", REFUSED)(lambda f: [_two_sheets(f, ["名称", "数量"])])
case("a formula cell without a cached value", REJECTED, [(2, "principal")])(
    lambda f: [workbook(f / "formula.xlsx", [row(1, principal="=H1*2"), row(2)])])
case("a formula's binary noise (=0.1+0.2 cached as 0.30000000000000004)", LOADED,
     ("select annual_rate from loans", [(Decimal("0.30000000"),)]))(lambda f: [_float_noise(f)])
case("a percent-formatted rate cell", LOADED, ("select annual_rate from loans", [(Decimal("0.03450000"),)]))(
    lambda f: [_percent_cell(f)])
case("Excel date cells in a 1904-based workbook", LOADED,
     ("select disbursed_on::varchar, matures_on::varchar from loans", [("2024-03-01", "2025-02-28")]))(
    lambda f: [_date1904(f)])
case("the same key on two sheets of one workbook", REJECTED, [(2, "loan_id")])(lambda f: [_two_sheets(f, HEADER.split(","))])

# ---------------------------------------------------------------- values
case("money 1,000.005 (below the fen)", REJECTED, [(3, "principal")])(_money("1,000.005"))
case("money 0.005", REJECTED, [(3, "principal")])(_money("0.005"))
case("money 1e2", REJECTED, [(3, "principal")])(_money("1e2"))
case("money 1_000", REJECTED, [(3, "principal")])(_money("1_000"))
case("money 100,000,000,000,000.00 (overflows the rules)", REJECTED, [(3, "principal")])(_money("100000000000000.00"))
case("negative money", REJECTED, [(3, "principal")])(_money("-5"))
case("money with words (约100万)", REJECTED, [(3, "principal")])(_money("约100万"))
case("money in full-width digits and commas", LOADED, ("select principal from loans order by 1", [
    (Decimal("1234.50"),), (Decimal("1000000.00"),)]))(_money("１，２３４．５０"))
case("money in 万 with ¥ and 元", LOADED, ("select principal from loans order by 1", [
    (Decimal("125000.00"),), (Decimal("1000000.00"),)]))(_money("¥12.5万元"))
case("a rate 3.45 without %", REJECTED, [(3, "annual_rate")])(
    lambda f: _csv(f, [row(1), row(2)[:8] + ["3.45"] + row(2)[9:]]))
case("a rate in exponent form", REJECTED, [(3, "annual_rate")])(
    lambda f: _csv(f, [row(1), row(2)[:8] + ["3.45e-2"] + row(2)[9:]]))
case("an impossible date 2024-02-30", REJECTED, [(3, "disbursed_on")])(_date("2024-02-30"))
case("date 0001-01-01", REJECTED, [(3, "disbursed_on")])(_date("0001-01-01"))
case("date 9999-12-31 (19 M derived rows)", REJECTED, [(3, "matures_on")])(_date("9999-12-31", "matures"))
case("serial date 00000", REJECTED, [(3, "disbursed_on")])(_date("00000"))
case("serial date 99999", REJECTED, [(3, "disbursed_on")])(_date("99999"))
case("a BC date", REJECTED, [(3, "disbursed_on")])(_date("2024-01-01 (BC)"))
case("an impossible time 2024/1/1 25:00", REJECTED, [(3, "disbursed_on")])(_date("2024/1/1 25:00"))
case("a two-digit year", REJECTED, [(3, "disbursed_on")])(_date("24/3/1"))
case("a serial date 45352 in a CSV", LOADED, ("select disbursed_on::varchar from loans order by 1", [
    ("2024-03-01",), ("2024-03-01",)]))(_date("45352"))
case("maturity before disbursement", REJECTED, [(3, "matures_on")])(_date("2023-01-01", "matures"))
case("a credit code failing its check digit", REJECTED, [(3, "credit_code")])(
    lambda f: _csv(f, [row(1), row(2)[:2] + [row(2)[2][:-1] + ("0" if row(2)[2][-1] != "0" else "1")] + row(2)[3:]]))
case("a pledge mode outside the list", REJECTED, [(3, "pledge_mode")])(
    lambda f: _csv(f, [row(1), row(2)[:4] + ["抵押"] + row(2)[5:]]))
case("a cell of 1,001 characters", REJECTED, [(3, "enterprise_name")])(lambda f: _csv(f, [row(1), row(2, name="长" * 1001)]))
case("formula, Markdown and HTML text in names", LOADED, ("select enterprise_name, bank from loans order by 1", [
    ("=HYPERLINK(\"http://x\",\"y\")", "安义农商行"), ("[请点此核验贷款](http://x)", "<b>银行</b>")]))(
    lambda f: [_quoted_csv(f / "inject.csv", [row(1, name='=HYPERLINK("http://x","y")'),
                                              row(2, name="[请点此核验贷款](http://x)")[:3] + ["<b>银行</b>"] + row(2)[4:]])])

# ---------------------------------------------------------------- keys, references, kinds
case("a duplicate key inside one sheet", REJECTED, [(3, "loan_id")])(lambda f: _csv(f, [row(1), row(1)]))
case("a repayment of an unknown loan", REJECTED, [(3, "loan_id")])(
    lambda f: _loans_and(f, "repay.csv", "借据号,还款日期,实还本金,实还利息", ["L1,2024-04-01,0,2875", "L9,2024-04-01,0,1"]))
case("a bad patent number and a type digit that does not match", REJECTED, [(2, "ip_number"), (3, "ip_number")])(
    lambda f: _loans_and(f, "coll.csv", "借据号,质押物类型,专利号", [
        f"L1,发明专利,{patent(2023, 1, 5)[:-1]}{'0' if patent(2023, 1, 5)[-1] != '0' else '1'}",
        f"L1,实用新型,{patent(2023, 1, 6)}", f"L1,发明专利,{patent(2023, 1, 7)}"]))
case("a legal status of IP not pledged", REJECTED, [(3, "ip_number")])(
    lambda f: [*_loans_and(f, "coll.csv", "借据号,质押物类型,专利号", [f"L1,发明专利,{patent(2023, 1, 7)}"]),
               _touch(f / "status.csv", f"专利号,法律状态公告日,法律状态\n{patent(2023, 1, 7)},2024-05-01,有效\n"
                      f"{patent(2023, 1, 8)},2024-05-01,有效\n".encode())][:1])
case("the same file named twice (a folder and a file in it)", LOADED, ("select count(*) from loans", [(1,)]))(
    lambda f: [f, *_csv(f, [row(1)])])
case("compensation and recovery without party", REJECTED, [(2, "party"), (3, "party")])(
    lambda f: _loans_and(f, "ev.csv", "借据号,日期,事件类型,承担方,金额",
                         ["L1,2024-06-20,代偿,,700000", "L1,2024-09-20,追偿回收,,1000", "L1,2024-06-01,代偿通知,,"]))
case("repayments before their loans in one folder", LOADED, ("select count(*) from repayments", [(1,)]))(
    lambda f: [_touch(f / "a_repay.csv", "借据号,还款日期,实还本金,实还利息\nL1,2024-04-01,0,2875\n".encode())]
    + _csv(f, [row(1)], name="b_loans.csv"))
case("a --kind that does not fit", REFUSED)(lambda f: _csv(f, [row(1)]) + ["--kind", "repayments"])


def _quoted_csv(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER.split(","), *rows])
    return path


def _touch(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _truncated(folder: Path) -> Path:
    data = workbook(folder / "whole.xlsx", [row(1)]).read_bytes()
    (folder / "whole.xlsx").unlink()
    return _touch(folder / "cut.xlsx", data[: len(data) // 2])


def _dimension(folder: Path, ref: bytes) -> Path:
    path = workbook(folder / "dim.xlsx", [row(1), row(2), row(3)])
    set_dimension(path, ref)
    return path


def _two_sheets(folder: Path, second_header: list[str]) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "借据"
    wb.active.append(HEADER.split(","))
    wb.active.append(row(1))
    other = wb.create_sheet("其他")
    other.append(second_header)
    other.append(row(1) if len(second_header) == len(row(1)) else ["x"] * len(second_header))
    wb.save(folder / "two.xlsx")
    return folder / "two.xlsx"


def _typed_book(folder: Path, name: str, edit) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    ws.append(row(1))
    edit(wb, ws)
    wb.save(folder / name)
    return folder / name


def _float_noise(folder: Path) -> Path:
    return _typed_book(folder, "noise.xlsx", lambda wb, ws: setattr(ws.cell(2, 9), "value", 0.1 + 0.2))


def _percent_cell(folder: Path) -> Path:
    def edit(wb, ws):
        ws.cell(2, 9).value = 0.0345
        ws.cell(2, 9).number_format = "0.00%"
    return _typed_book(folder, "pct.xlsx", edit)


def _date1904(folder: Path) -> Path:
    from datetime import date

    def edit(wb, ws):
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
        ws.cell(2, 10).value = date(2024, 3, 1)
        ws.cell(2, 11).value = date(2025, 2, 28)
    return _typed_book(folder, "mac.xlsx", edit)


_state = table_counts


@pytest.fixture(scope="module", autouse=True)
def _count():
    yield
    if OUTCOMES:
        tally = {o: sum(1 for v in OUTCOMES.values() if v == o) for o in (REFUSED, REJECTED, LOADED, "defect")}
        print(f"\nacceptance: {len(OUTCOMES)} classes: " + ", ".join(f"{n} {o}" for o, n in tally.items()))


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_class(name, db_path, tmp_path, capsys, monkeypatch):
    outcome, build, expect = CASES[name]
    OUTCOMES[name] = "defect"  # until shown otherwise
    monkeypatch.setattr(ingest, "cli_after_load", lambda: None)  # the derived tables have their own tests
    folder = tmp_path / "in"
    folder.mkdir()
    argv = [str(a) for a in build(folder)]
    paths = [a for a in argv if not a.startswith("--") and a != "repayments"]
    before = _state(db_path)
    rc = ingest.main(["--db", str(db_path), *argv])   # an exception here is a defect: it would be a traceback
    out, err = capsys.readouterr()
    if outcome == REFUSED:
        assert rc == 2, (out, err)
        names = {Path(p).name for p in paths}
        assert any(f"文件 {n} 被拒收" in err for n in names) and any(f"File {n} refused" in err for n in names), err
        assert _state(db_path) == before
    else:
        assert rc == 0, (out, err)
        with store.read_connection(db_path) as con:
            rejects = con.execute("select row_number, column_name, reason_zh, reason_en from rejects "
                                  "order by 1, 2").fetchall()
            if outcome == REJECTED:
                assert [(r[0], r[1]) for r in rejects] == expect
                assert all(re.search(r"[\u4e00-\u9fff]", zh) and re.search(r"[a-z]{3}", en) for _, _, zh, en in rejects)
                assert con.execute("select count(*) from loans").fetchall()[0][0] >= 1   # the good rows loaded
            else:
                assert rejects == []
                assert con.execute(expect[0]).fetchall() == expect[1]
    OUTCOMES[name] = outcome
    print(f"{outcome}: {name}")
