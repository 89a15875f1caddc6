"""Headers as banks write them (issue 11 item 11): every alias maps to its canonical column, a
near-synonym (合同编号) is taken only when the real column is absent, two cells for one column refuse
the file, and an unknown header that hides a column is never taken silently — it is named in the
load report, and compensation or recovery rows left without a party are rejected."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from test_ingest_rows import LOANS, code, loan, write

from pipelines import columns, ingest, store
from pipelines.messages import FileRefused


def fetch(db, sql):
    with store.read_connection(db) as con:
        return con.execute(sql).fetchall()


# Headers of real exports, written out by hand with the column each one is (not read from columns.py).
BANK_HEADERS = [
    ("loans", "借据号", "loan_id"), ("loans", "贷款账号", "loan_id"), ("loans", "借据流水号", "loan_id"),
    ("loans", "客户名称", "enterprise_name"), ("loans", "出质人", "enterprise_name"),
    ("loans", "企业统一社会信用代码", "credit_code"), ("loans", "贷款行", "bank"), ("loans", "经办行", "bank"),
    ("loans", "融资方式", "pledge_mode"), ("loans", "担保公司", "guarantor"), ("loans", "担保机构名称", "guarantor"),
    ("loans", "评估机构", "appraiser"), ("loans", "评估机构名称", "appraiser"),
    ("loans", "贷款金额(万元)", "principal"), ("loans", "发放金额", "principal"), ("loans", "实际放款金额", "principal"),
    ("loans", "执行利率", "annual_rate"), ("loans", "年利率(%)", "annual_rate"), ("loans", "合同利率", "annual_rate"),
    ("loans", "放款日期", "disbursed_on"), ("loans", "发放日", "disbursed_on"), ("loans", "借据起始日", "disbursed_on"),
    ("loans", "到期日", "matures_on"), ("loans", "借据到期日", "matures_on"),
    ("loans", "知识产权评估价值", "appraised_value"), ("loans", "担保费金额", "guarantee_fee"),
    ("loans", "原贷款借据号", "renewed_from"), ("loans", "行业分类", "industry"),
    ("collateral", "知识产权类型", "ip_type"), ("collateral", "专利号", "ip_number"),
    ("collateral", "商标注册号", "ip_number"), ("collateral", "专利申请号", "ip_number"),
    ("collateral", "到期日", "ip_expires_on"), ("collateral", "专利权到期日", "ip_expires_on"),
    ("ip_status", "当前法律状态", "status"), ("ip_status", "法律状态公告日", "status_on"),
    ("schedule", "计划还款日", "due_on"), ("schedule", "当期应还本金", "principal_due"),
    ("schedule", "应收利息", "interest_due"),
    ("repayments", "还款日期", "paid_on"), ("repayments", "交易日期", "paid_on"), ("repayments", "入账日期", "paid_on"),
    ("repayments", "实还本金", "principal_paid"), ("repayments", "实收本金", "principal_paid"),
    ("repayments", "实收利息", "interest_paid"), ("repayments", "核心流水号", "txn_id"),
    ("events", "代偿方", "party"), ("events", "追偿金额", "amount"), ("events", "事件发生日期", "event_on"),
    ("subsidies", "拨付金额", "amount"), ("subsidies", "到账日期", "paid_on"),
]


@pytest.mark.parametrize(("kind", "header", "column"), BANK_HEADERS)
def test_bank_headers_map_to_their_column(kind, header, column):
    others = [c.name for c in columns.KINDS[kind] if c.required and c.name != column]
    assert columns.map_header(kind, [*others, header])[column] == len(others)


def _all_aliases():
    for kind, cols in columns.KINDS.items():
        for col in cols:
            for alias in (*col.aliases, *col.fallbacks):
                yield kind, col.name, alias


def test_every_alias_and_fallback_maps_to_its_column_and_keeps_the_kind():
    """Each alias, placed among the canonical names of the kind's other required columns, is read as
    its column, and the header is still recognised as its kind."""
    wrong = []
    for kind, name, alias in _all_aliases():
        others = [c.name for c in columns.KINDS[kind] if c.required and c.name != name]
        header = [*others, alias]
        if columns.map_header(kind, header).get(name) != len(others) or columns.detect_kind(header) != kind:
            wrong.append((kind, name, alias, columns.detect_kind(header)))
    assert wrong == []


def test_no_header_name_is_two_columns_of_one_kind():
    for kind, cols in columns.KINDS.items():
        owner: dict[str, set[str]] = {}
        for col in cols:
            for alias in (col.name, *col.aliases, *col.fallbacks):
                owner.setdefault(columns.normalise_header(alias), set()).add(col.name)
        assert {k: v for k, v in owner.items() if len(v) > 1} == {}, kind


def test_a_bank_style_loans_file_loads_with_its_own_headers(db_path, tmp_path):
    header = "贷款账号,客户名称,统一社会信用代码,经办行,融资方式,担保机构名称,评估机构名称,发放金额(万元),执行利率(%),发放日,到期日,知识产权评估价值(万元)"
    path = write(tmp_path / "台账.csv", header, [f"A001,企业甲,{code(1)},安义农商行,间接质押,担保甲,评估乙,80,3.45,2024/3/1,2025/2/28,150"])
    (res,) = ingest.ingest_paths([path], db=db_path)
    assert (res.kind, res.rows_loaded, res.rows_rejected) == ("loans", 1, 0)
    assert fetch(db_path, "select loan_id, enterprise_name, bank, pledge_mode, guarantor, appraiser, principal, "
                          "annual_rate, disbursed_on::varchar, matures_on::varchar, appraised_value, extras "
                          "from loans") == [
        ("A001", "企业甲", "安义农商行", "indirect", "担保甲", "评估乙", Decimal("800000.00"), Decimal("0.03450000"),
         "2024-03-01", "2025-02-28", Decimal("1500000.00"), None)]


def test_a_repayments_journal_with_transaction_headers_loads(db_path, tmp_path):
    write(tmp_path / "loans.csv", LOANS, [loan("L1", 1)])
    journal = write(tmp_path / "流水.csv", "借据号,交易日期,实收本金,实收利息,核心流水号",
                    ["L1,2024-04-01,0,2875.00,T1", "L1,2024-05-01,1000.00,2875.00,T2"])
    ingest.ingest_paths([tmp_path / "loans.csv", journal], db=db_path)
    assert fetch(db_path, "select txn_id, paid_on::varchar, principal_paid, interest_paid from repayments order by 1") == [
        ("T1", "2024-04-01", Decimal("0.00"), Decimal("2875.00")),
        ("T2", "2024-05-01", Decimal("1000.00"), Decimal("2875.00"))]


def test_a_contract_number_is_the_loan_id_only_when_there_is_no_loan_id_column(db_path, tmp_path):
    alone = write(tmp_path / "a.csv", LOANS.replace("借据号", "合同编号"), [loan("C1", 1)])
    beside = write(tmp_path / "b.csv", "合同编号," + LOANS, ["HT-9," + loan("L2", 2)])
    results = ingest.ingest_paths([alone, beside], db=db_path)
    assert [(r.file_name, r.rows_loaded, r.rows_rejected) for r in results] == [("a.csv", 1, 0), ("b.csv", 1, 0)]
    rows = fetch(db_path, "select loan_id, extras from loans order by 1")
    assert [(r[0], json.loads(r[1]) if r[1] else None) for r in rows] == [("C1", None), ("L2", {"合同编号": "HT-9"})]


@pytest.mark.parametrize(("header", "first", "second", "column"), [
    (LOANS.replace("借据号", "合同编号") + ",合同号", "合同编号", "合同号", "loan_id"),   # two fallbacks, no alias
    (LOANS + ",发放金额", "贷款金额", "发放金额", "principal"),                        # two aliases
    (LOANS.replace("到期日期", "到期日") + ",借据到期日", "到期日", "借据到期日", "matures_on"),
])
def test_two_header_cells_for_one_column_refuse_the_file_naming_both(db_path, tmp_path, header, first, second, column):
    names = header.split(",")
    path = write(tmp_path / "dup.csv", header, [loan("L1", 1) + ",x"])
    (res,) = ingest.ingest_paths([path], db=db_path)
    a, b = names.index(first) + 1, names.index(second) + 1
    assert res.outcome == "refused"
    assert res.message_en == (f"File dup.csv refused: header columns {a} '{first}' and {b} '{second}' are the same "
                              f"column ({column}); remove or rename one of them")
    assert res.message_zh == f"文件 dup.csv 被拒收：表头第 {a} 列“{first}”与第 {b} 列“{second}”是同一列（{column}），请删除或改名其中一列"
    assert fetch(db_path, "select count(*) from loans") == [(0,)]


PARTY_NOTE_EN = ("column 4 '付款单位' is not a known header, but its values are all valid party values (guarantor, "
                 "appraiser, bank): it may be the party column (承担方); if so, name its header '承担方'")
PARTY_NOTE_ZH = ("第 4 列“付款单位”不是可识别的表头，但其值都是承担方的有效值（担保公司、评估机构、银行），"
                 "可能就是承担方（party）列；如是，请把表头改为“承担方”")


def test_events_whose_party_header_is_unknown_do_not_load_without_party(db_path, tmp_path):
    """The issue's case: compensation both parties paid must not load as paid by nobody. The notice and
    the write-off (no party needed) load; compensation and recovery are rejected; the report names
    the column whose values are all parties."""
    write(tmp_path / "loans.csv", LOANS, [loan("L1", 1, mode="间接质押", guarantor="担保甲")])
    events = write(tmp_path / "events.csv", "借据号,日期,事件类型,付款单位,金额", [
        "L1,2024-06-01,代偿通知,,",             # row 2: loads
        "L1,2024-06-20,代偿,担保公司,700000",   # row 3: party unknown to the ingest: rejected
        "L1,2024-06-21,代偿,评估机构,100000",   # row 4: rejected
        "L1,2024-09-01,追偿回收,银行,5000",     # row 5: rejected
        "L1,2024-09-30,核销,,200000",           # row 6: loads
    ])
    results = ingest.ingest_paths([tmp_path / "loans.csv", events], db=db_path)
    ev = results[1]
    assert (ev.rows_read, ev.rows_loaded, ev.rows_rejected) == (5, 2, 3)
    assert ev.message_en == f"events.csv: risk events, read 5, loaded 2, unchanged 0, rejected 3. Note: {PARTY_NOTE_EN}"
    assert ev.message_zh == f"events.csv：风险事件，读取 5 行，载入 2 行，未变 0 行，拒绝 3 行。注意：{PARTY_NOTE_ZH}"
    assert fetch(db_path, "select kind, party from events order by event_on") == [
        ("compensation_notice", None), ("write_off", None)]
    assert fetch(db_path, "select row_number, column_name, reason_en from rejects order by 1") == [
        (n, "party", "a compensation or recovery row must name its party (guarantor, appraiser or bank); if the file "
                     "has such a column, name its header 承担方 (party)") for n in (3, 4, 5)]
    assert fetch(db_path, "select message_en from ingest_batches where file_name = 'events.csv'") == [(ev.message_en,)]
    # the preview shows the same note before anything is written
    (sheet,) = ingest.preview(events, db=db_path)
    assert sheet.notes == [(PARTY_NOTE_ZH, PARTY_NOTE_EN)]


def test_an_unknown_header_naming_a_missing_column_is_reported_and_nothing_is_guessed(db_path, tmp_path):
    path = write(tmp_path / "loans.csv", LOANS.replace("担保公司", "合作担保机构全称"),
                 [loan("L1", 1, mode="间接质押", guarantor="担保甲")])
    (res,) = ingest.ingest_paths([path], db=db_path)
    assert res.message_en.endswith(
        "Note: column 6 '合作担保机构全称' is not a known header, but its name contains '担保机构': it may be the "
        "guarantor column (担保公司); if so, name its header '担保公司'")
    assert fetch(db_path, "select guarantor, extras from loans") == [(None, '{"合作担保机构全称":"担保甲"}')]


def test_a_refusal_for_a_missing_column_names_the_unknown_column_that_may_be_it(db_path, tmp_path):
    events = write(tmp_path / "events.csv", "借据号,发生时间,事件类型,承担方,金额", ["L1,2024/6/1 10:00,代偿通知,,"])
    codes = write(tmp_path / "loans.csv", LOANS.replace("统一社会信用代码", "客户代码"), [loan("L1", 1)])
    got = {}
    for path in (events, codes):
        with pytest.raises(FileRefused) as exc:
            ingest.readers.read_file(path)
        got[path.name] = exc.value.message_en
    assert got == {
        "events.csv": "File events.csv refused: the header looks like risk events but lacks required columns: "
                      "event_on; column 2 '发生时间' is not a known header, but its values are all dates: it may be "
                      "the event_on column (日期); if so, name its header '日期'",
        "loans.csv": "File loans.csv refused: the header looks like loans but lacks required columns: credit_code; "
                     "column 3 '客户代码' is not a known header, but its values are all valid unified social credit "
                     "codes: it may be the credit_code column (统一社会信用代码); if so, name its header '统一社会信用代码'",
    }


def test_an_unknown_column_of_other_values_gives_no_note(db_path, tmp_path):
    """Only values that are all valid values of the missing column make a note: a column of remarks
    beside an events file without party says nothing, and its compensation rows are still rejected."""
    write(tmp_path / "loans.csv", LOANS, [loan("L1", 1)])
    events = write(tmp_path / "events.csv", "借据号,日期,事件类型,备注,金额",
                   ["L1,2024-06-20,代偿,担保公司,700000", "L1,2024-06-21,代偿,已到账,100000"])
    _, ev = ingest.ingest_paths([tmp_path / "loans.csv", events], db=db_path)
    assert (ev.rows_loaded, ev.rows_rejected) == (0, 2)
    assert "Note" not in ev.message_en and "注意" not in ev.message_zh
