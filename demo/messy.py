"""The demo story written out as the messy files banks send (`python -m demo --out data/demo`).

The story (which loans, which dates, which ratios) is in demo/story.py; this module only
writes files. Running it twice with the same seed writes byte-identical files (fixed XLSX
timestamps and zip entry times).

Messy forms written here (LEDGER.md "Values as banks write them"):
- 01_借据台账.xlsx: one sheet per disbursement year, a title row and a 单位：万元 line above the
  header, money in 万元, rates as an 执行年利率(%) number (2022, 2023) or "3.45%" text (2024,
  2025), dates as Excel date cells, extra columns 序号 / 备注;
- 02_质押物清单.csv UTF-8 with BOM, values in 元 with thousands separators;
- 03_还款计划_邮储银行.csv: the schedule 邮储银行 supplies (interest on the 20th);
- 04_还款流水.csv GBK, dates 2024年3月1日, 交易流水号, some amounts with thousands separators;
- 05_风险事件.csv UTF-8, dates 2024/3/1; 06_业务决定.csv GBK, dates 20240322;
  07_补贴发放.csv UTF-8 with BOM, dates 2025.4.15; 08_知识产权法律状态.csv UTF-8, dates 2025/9/18,
  statuses in Chinese, patent numbers without their point.
Planted bad rows (PLANTED_REJECTS) give the rejects report content.

API: write_messy(out_dir, seed) -> {kind: path}.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from demo.ids import break_check_digit, credit_code
from demo.story import SEED, WAN, Portfolio, build_story

FIXED_TIME = datetime(2026, 1, 5, 9, 0, 0)  # XLSX metadata and zip entry times: fixed for identical bytes
TITLE = "安义县“安知贷”知识产权质押贷款借据台账"

FILES = {
    "loans": "01_借据台账.xlsx",
    "collateral": "02_质押物清单.csv",
    "schedule": "03_还款计划_邮储银行.csv",
    "repayments": "04_还款流水.csv",
    "events": "05_风险事件.csv",
    "decisions": "06_业务决定.csv",
    "subsidies": "07_补贴发放.csv",
    "ip_status": "08_知识产权法律状态.csv",
}

# The bad rows written on purpose: (file key, sheet or None, what is wrong). Each is one rejected row.
PLANTED_REJECTS = (
    ("loans", "2025年", "统一社会信用代码校验位错误 / wrong credit-code check digit"),
    ("loans", "2025年", "到期日期早于发放日期 / maturity before disbursement"),
    ("repayments", None, "不存在的日期 2025年2月30日 / impossible date"),
    ("repayments", None, "负数金额(冲正) / negative amount (reversal)"),
    ("repayments", None, "借据号不存在 / repayment for an unknown loan"),
    ("subsidies", None, "重复行 / duplicated row"),
)

ZH = {
    "direct": "直接质押", "indirect": "间接质押",
    "invention_patent": "发明专利", "utility_model": "实用新型", "trademark": "商标",
    "geographical_indication": "地理标志",
    "compensation_notice": "代偿通知", "compensation": "代偿", "recovery": "追偿回收", "write_off": "核销",
    "guarantor": "担保公司", "appraiser": "评估机构", "bank": "银行",
    "halt": "暂停业务", "resume": "恢复业务",
    "interest": "贴息", "appraisal_fee": "评估费补贴", "guarantee_fee": "担保费补贴", "patent_pledge": "专利质押补助",
}


# ---------------------------------------------------------------- value formats

def wan(x: Decimal | None) -> float | None:
    """Yuan as a 万元 number cell (at most 6 decimals, so it converts back to the fen exactly)."""
    return None if x is None else float((x / WAN).normalize())


def money(x: Decimal, grouped: bool = False) -> str:
    """'1234567.89' or '1,234,567.89'."""
    return f"{x:,.2f}" if grouped else f"{x:.2f}"


def cn_date(d: date) -> str:
    """2024年3月1日."""
    return f"{d.year}年{d.month}月{d.day}日"


def slash_date(d: date) -> str:
    """2024/3/1."""
    return f"{d.year}/{d.month}/{d.day}"


def dot_date(d: date) -> str:
    """2024.3.1."""
    return f"{d.year}.{d.month}.{d.day}"


def pct(rate: Decimal) -> str:
    """0.0365 -> '3.65%'."""
    return f"{(rate * 100).normalize():f}%"


# ---------------------------------------------------------------- writers

def write_csv(path: Path, header: list[str], rows: list[list], encoding: str) -> None:
    """A CSV with CRLF line ends (as Excel and bank systems export) in the given encoding."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def loans_xlsx(p: Portfolio, path: Path, seed: int) -> None:
    """The 借据台账 workbook: one sheet per disbursement year, title rows, 万元 money."""
    wb = Workbook()
    wb.remove(wb.active)
    by_year: dict[int, list] = {}
    for loan in p.loans:
        by_year.setdefault(loan.disbursed_on.year, []).append(loan)
    bad = bad_loans(p, seed)
    for year in sorted(by_year):
        ws = wb.create_sheet(f"{year}年")
        pct_header = year <= 2023  # 2022–2023 sheets: 执行年利率(%) numbers; later: "3.65%" text
        header = ["序号", "借据号", "企业名称", "统一社会信用代码", "所属行业", "贷款银行", "质押方式", "担保公司",
                  "评估机构", "贷款金额(万元)", "执行年利率(%)" if pct_header else "执行年利率", "发放日期",
                  "到期日期", "评估价值(万元)", "公允价值(万元)", "担保费(万元)", "评估费(万元)", "续贷原借据号", "备注"]
        ws.append([f"{TITLE}（{year}年度）"])
        ws.append(["单位：万元", None, None, None, None, None, None, None, None, None, None, None,
                   None, None, None, None, "填报日期：2026年1月5日"])
        ws.append(header)
        rows = sorted(by_year[year], key=lambda x: (x.disbursed_on, x.loan_id))
        records = [r.row() | {"note": "无还本续贷" if r.renews else None} for r in rows]
        if year == 2025:
            records += bad
        for k, r in enumerate(records, start=1):
            rate = float((r["annual_rate"] * 100).normalize()) if pct_header else pct(r["annual_rate"])
            ws.append([k, r["loan_id"], r["enterprise_name"], r["credit_code"], r["industry"], r["bank"],
                       ZH[r["pledge_mode"]], r["guarantor"], r["appraiser"], wan(r["principal"]), rate,
                       r["disbursed_on"], r["matures_on"], wan(r["appraised_value"]), wan(r["fair_value"]),
                       wan(r["guarantee_fee"]), wan(r["appraisal_fee"]), r["renewed_from"], r.get("note")])
            for col in (12, 13):
                ws.cell(row=ws.max_row, column=col).number_format = "yyyy-mm-dd" if year % 2 else "yyyy/m/d"
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        for col, width in zip("ABCDEFGHI", (6, 14, 30, 22, 16, 20, 10, 30, 32), strict=True):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A4"
    wb.properties.creator = "PledgeWatch demo"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(fixed_zip(buf.getvalue()))


def fixed_zip(data: bytes) -> bytes:
    """Rewrite an XLSX zip with fixed entry times and a fixed modified stamp (openpyxl sets now)."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, body)
    return out.getvalue()


def bad_loans(p: Portfolio, seed: int) -> list[dict]:
    """Two planted bad loan rows (PLANTED_REJECTS); no other ledger refers to them."""
    rng = random.Random(seed + 1)
    template = p.loans[-1].row()
    wrong_code = template | {
        "loan_id": "GZ2025122201", "enterprise_name": "江西晨光电子科技有限公司",
        "credit_code": break_check_digit(credit_code(rng, "360123")), "industry": "电子元器件",
        "bank": "赣州银行安义支行", "renewed_from": None, "disbursed_on": date(2025, 12, 22),
        "matures_on": date(2026, 12, 22), "note": None}
    backwards = template | {
        "loan_id": "JJ2025122601", "enterprise_name": "安义县润禾米业有限公司",
        "credit_code": credit_code(rng, "360123"), "industry": "农副食品加工", "bank": "九江银行安义支行",
        "renewed_from": None, "disbursed_on": date(2025, 12, 26), "matures_on": date(2025, 6, 26), "note": None}
    return [wrong_code, backwards]


def collateral_csv(p: Portfolio, path: Path) -> None:
    """质押物清单: UTF-8 with BOM, values in 元 with thousands separators."""
    names = {loan.loan_id: loan.enterprise for loan in p.loans}
    rows = [[k, c["loan_id"], names[c["loan_id"]], ZH[c["ip_type"]], c["ip_number"], c["ip_expires_on"].isoformat(),
             money(c["appraised_value"], grouped=True), cn_date(c["filed_on"]) if c.get("filed_on") else ""]
            for k, c in enumerate(p.collateral(), start=1)]
    write_csv(path, ["序号", "借据号", "出质人", "质押物类型", "专利号/注册号", "有效期至", "评估价值(元)", "申请日"],
              rows, "utf-8-sig")


def schedule_csv(p: Portfolio, path: Path) -> None:
    """还款计划 of the schedule bank, UTF-8, ISO dates."""
    rows, period, last = [], 0, None
    for r in p.supplied_schedule():
        period = period + 1 if r["loan_id"] == last else 1
        last = r["loan_id"]
        rows.append([r["loan_id"], period, r["due_on"].isoformat(), money(r["principal_due"]),
                     money(r["interest_due"])])
    write_csv(path, ["借据号", "期次", "应还日期", "应还本金", "应还利息"], rows, "utf-8")


def repayments_csv(p: Portfolio, path: Path) -> None:
    """还款流水: GBK, dates 2024年3月1日, grouped amounts on principal rows, three bad rows."""
    rows = []
    for r in p.repayments:
        grouped = r["principal_paid"] > 0
        rows.append([r["txn_id"], r["loan_id"], r["enterprise"], cn_date(r["paid_on"]),
                     money(r["principal_paid"], grouped), money(r["interest_paid"], grouped),
                     money(r["principal_paid"] + r["interest_paid"], grouped), r["memo"]])
    some = p.repayments[len(p.repayments) // 2]
    rows.insert(40, ["20250230880001", some["loan_id"], some["enterprise"], "2025年2月30日", "0.00", "1,000.00",
                     "1,000.00", "正常还息"])
    rows.insert(400, ["20240611880002", some["loan_id"], some["enterprise"], cn_date(date(2024, 6, 11)), "0.00",
                      "-2,000.00", "-2,000.00", "冲正"])
    rows.insert(900, ["20241105880003", "AY2024110599", "安义县某某商贸有限公司", cn_date(date(2024, 11, 5)),
                      "0.00", "3,250.00", "3,250.00", "正常还息"])
    write_csv(path, ["交易流水号", "借据号", "户名", "还款日期", "实还本金", "实还利息", "还款合计", "摘要"], rows, "gbk")


def events_csv(p: Portfolio, path: Path) -> None:
    """风险事件: UTF-8, dates 2024/3/1, grouped amounts."""
    rows = [[e["loan_id"], slash_date(e["event_on"]), ZH[e["kind"]], ZH.get(e["party"] or "", ""),
             "" if e["amount"] is None else money(e["amount"], grouped=True)] for e in p.events]
    write_csv(path, ["借据号", "日期", "事件类型", "承担方", "金额"], rows, "utf-8")


def decisions_csv(p: Portfolio, path: Path) -> None:
    """业务决定: GBK, dates 20240322."""
    rows = [[f"{d['decided_on']:%Y%m%d}", ZH[d["kind"]], d["note"]] for d in p.decisions]
    write_csv(path, ["日期", "决定类型", "说明"], rows, "gbk")


def subsidies_csv(p: Portfolio, path: Path) -> None:
    """补贴发放: UTF-8 with BOM, dates 2025.4.15, one row entered twice."""
    rows = [[s["loan_id"], ZH[s["kind"]], money(s["amount"], grouped=True), dot_date(s["paid_on"])]
            for s in p.subsidies]
    rows.insert(6, list(rows[5]))  # the same payout keyed in twice
    write_csv(path, ["借据号", "补贴类型", "金额", "发放日期"], rows, "utf-8-sig")


def ip_status_csv(p: Portfolio, path: Path) -> None:
    """知识产权法律状态 (from the patent office's legal-status notices): UTF-8, dates 2024/3/1, statuses
    in Chinese, patent numbers without the point as the notices print them."""
    rows = [[r["ip_number"].replace(".", "") if r["ip_number"].startswith("ZL") else r["ip_number"],
             slash_date(r["status_on"]), ZH_STATUS[r["status"]],
             cn_date(r["fee_paid_until"]) if r["fee_paid_until"] else ""] for r in p.ip_status]
    write_csv(path, ["专利号/注册号", "法律状态公告日", "法律状态", "年费缴至"], rows, "utf-8")


ZH_STATUS = {
    "valid": "有效", "pledge_registered": "质押登记", "fee_paid": "年费已缴", "fee_overdue": "未缴年费",
    "terminated": "专利权终止", "restored": "权利恢复", "invalidation_requested": "无效宣告请求",
    "invalidated": "全部无效", "partially_invalidated": "部分无效", "expired": "期限届满",
    "pledge_released": "质押登记注销",
}


def write_messy(out: Path, seed: int = SEED) -> dict[str, Path]:
    """Write the story's messy files into `out`; returns {kind: path}."""
    out.mkdir(parents=True, exist_ok=True)
    p = build_story(seed)
    paths = {kind: out / name for kind, name in FILES.items()}
    loans_xlsx(p, paths["loans"], seed)
    collateral_csv(p, paths["collateral"])
    schedule_csv(p, paths["schedule"])
    repayments_csv(p, paths["repayments"])
    events_csv(p, paths["events"])
    decisions_csv(p, paths["decisions"])
    subsidies_csv(p, paths["subsidies"])
    ip_status_csv(p, paths["ip_status"])
    return paths

