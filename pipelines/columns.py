"""Ledger kinds, their canonical columns, the Chinese/English header aliases banks use, and enumerations.

This module is the data behind LEDGER.md: which columns each kind of ledger has, which are
required, what type their values are, and the names banks really write in their headers. The
canonical column names are the stable interface (they are the table columns of schema.sql).

Header cells are compared after ``normalise_header``: NFKC (full-width to half-width), lower
case, no spaces, no ``*`` marks, no bracketed notes such as ``(万元)`` or ``（%）``. The unit
a header states is read by ``header_unit`` before the brackets are removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipelines.store import LEDGER_KEYS, LOAD_ORDER

# Value types; each has a parser macro in sql/macros.sql.
TEXT, MONEY, RATE, DATE, CREDIT_CODE, IP_NUMBER = "text", "money", "rate", "date", "credit_code", "ip_number"


@dataclass(frozen=True)
class Column:
    """One canonical column of a ledger kind."""

    name: str
    type: str  # TEXT, MONEY, RATE, DATE, CREDIT_CODE, IP_NUMBER or "enum:<domain>"
    required: bool
    aliases: tuple[str, ...]  # header names accepted besides the canonical name itself
    # header names taken only when the header has none of the aliases: a near-synonym that a bank
    # also writes beside the real column (合同编号 beside 借据号: one contract may hold several loans),
    # where it is an unknown extra column, not a second loan_id
    fallbacks: tuple[str, ...] = ()

    @property
    def label_zh(self) -> str:
        """The first Chinese alias, for messages."""
        return self.aliases[0] if self.aliases else self.name


def _c(name: str, type_: str, required: bool, *aliases: str, fallbacks: tuple[str, ...] = ()) -> Column:
    return Column(name, type_, required, aliases, fallbacks)


# The aliases are the headers of the Chinese bank, guarantor and appraiser exports the program
# receives (issue 11 item 11): core-banking loan ledgers (借据台账: 借据号, 贷款账号, 放款日期, 执行利率),
# repayment journals (还款流水: 交易日期, 实还本金, 实收利息, 交易流水号), the guarantors' compensation
# records (代偿登记: 代偿日期, 代偿方), the appraisers' pledge lists (质押物清单: 知识产权类型,
# 专利号, 商标注册号, 评估价值) and the patent office's legal-status records (法律状态, 法律状态公告日).
LOAN_ID = _c("loan_id", TEXT, True, "借据号", "借据编号", "贷款编号", "借据号码", "贷款借据号", "借款借据号",
             "业务编号", "贷款账号", "借据流水号", "借据编码", "贷款借据编号", "借款编号", "贷款号", "借据id",
             "loan_no", "loan_number", "loan_id_no",
             fallbacks=("合同编号", "合同号", "借款合同编号", "借款合同号", "贷款合同编号", "贷款合同号"))
IP_NUMBER_COLUMN = _c("ip_number", IP_NUMBER, True, "专利号", "注册号", "专利号/注册号", "专利号或注册号",
                      "知识产权编号", "商标注册号", "专利(商标)号", "专利申请号", "申请号/专利号", "申请号",
                      "注册证号", "商标注册证号", "地理标志注册号", "知识产权号", "number",
                      "patent_no")

KINDS: dict[str, tuple[Column, ...]] = {
    "loans": (
        LOAN_ID,
        _c("enterprise_name", TEXT, True, "企业名称", "借款人", "借款企业", "借款人名称", "借款企业名称", "客户名称",
           "借款单位", "企业", "客户名", "借款人全称", "借款主体", "企业全称", "融资企业", "融资主体", "出质人",
           "出质人名称", "申请企业", "borrower", "enterprise"),
        _c("credit_code", CREDIT_CODE, True, "统一社会信用代码", "社会信用代码", "信用代码", "统一代码",
           "企业统一社会信用代码", "统一社会信用代码证号", "借款人统一社会信用代码", "uscc",
           fallbacks=("证件号码", "客户证件号码", "借款人证件号码")),
        _c("bank", TEXT, True, "贷款银行", "放款银行", "经办银行", "合作银行", "贷款机构", "银行", "贷款行", "放款行",
           "经办行", "发放银行", "放款机构", "承贷银行", "授信银行", "贷款银行名称", "合作银行名称", "金融机构",
           "金融机构名称", "lender"),
        _c("pledge_mode", "enum:pledge_mode", True, "质押方式", "质押模式", "质押类型", "融资方式", "融资模式",
           "业务模式", "mode"),
        _c("guarantor", TEXT, False, "担保公司", "担保机构", "担保人", "担保单位", "担保公司名称", "担保机构名称",
           "担保方", "融资担保公司", "合作担保公司", "担保单位名称", fallbacks=("保证人",)),
        _c("appraiser", TEXT, True, "评估机构", "评估公司", "资产评估机构", "评估机构名称", "评估公司名称",
           "评估单位", "资产评估公司", "评估方", "合作评估机构"),
        _c("principal", MONEY, True, "贷款金额", "放款金额", "贷款本金", "借款金额", "发放金额", "借据金额",
           "贷款发放金额", "实际放款金额", "实际发放金额", "放款本金", "借款本金", "融资金额", "借据本金", "amount",
           fallbacks=("合同金额", "借款合同金额")),
        _c("annual_rate", RATE, True, "执行年利率", "年利率", "利率", "贷款利率", "执行利率", "贷款年利率",
           "合同利率", "贷款执行利率", "年化利率", "借款利率", "执行年化利率", "rate"),
        _c("disbursed_on", DATE, True, "发放日期", "放款日期", "起息日", "起息日期", "贷款发放日", "借款日期",
           "贷款起始日", "起始日期", "发放日", "放款日", "借款起始日", "贷款起始日期", "借据起始日", "借据起始日期",
           "贷款发放日期", "放款时间", "起贷日", "disbursed", "disbursement_date", fallbacks=("合同起始日",)),
        _c("matures_on", DATE, True, "到期日期", "到期日", "贷款到期日", "终止日期", "借据到期日", "贷款到期日期",
           "借款到期日", "到期时间", "终止日", "maturity", "maturity_date", fallbacks=("合同到期日",)),
        _c("appraised_value", MONEY, True, "评估价值", "评估值", "评估金额", "质押物评估价值", "知识产权评估价值",
           "评估总价", "评估总值", "评估结果"),
        _c("fair_value", MONEY, False, "公允价值", "市场价值", "市场公允价值", "公允值"),
        _c("guarantee_fee", MONEY, False, "担保费", "担保费用", "担保费金额"),
        _c("appraisal_fee", MONEY, False, "评估费", "评估费用", "评估费金额"),
        _c("renewed_from", TEXT, False, "续贷原借据号", "原借据号", "续贷借据号", "原贷款借据号", "续贷前借据号",
           "原借据编号"),
        _c("industry", TEXT, False, "所属行业", "行业", "行业分类", "行业类别", "国民经济行业", "所属产业"),
    ),
    "collateral": (
        LOAN_ID,
        _c("ip_type", "enum:ip_type", True, "知识产权类型", "质押物类型", "权利类型", "专利类型", "类型",
           "知识产权类别", "质押物类别", "权利类别", "知识产权种类", "质物类型", "type"),
        IP_NUMBER_COLUMN,
        _c("ip_expires_on", DATE, False, "有效期至", "专利权期限届满日", "有效期截止日", "到期日", "届满日",
           "有效期", "保护期至", "专利权到期日", "权利到期日", "注册有效期至", "有效期限至", "expires_on"),
        _c("appraised_value", MONEY, False, "评估价值", "评估值", "评估金额", "单项评估价值", "质押物评估价值"),
        _c("filed_on", DATE, False, "申请日", "申请日期", "专利申请日", "注册申请日", "filing_date"),
    ),
    "ip_status": (
        IP_NUMBER_COLUMN,
        _c("status_on", DATE, True, "状态日期", "法律状态公告日", "法律状态日期", "公告日", "公告日期",
           "事务数据公告日", "法律状态生效日", "变更日期", "status_date"),
        _c("status", "enum:ip_status", True, "法律状态", "状态", "权利状态", "当前法律状态", "法律状态信息",
           "案件状态", "legal_status"),
        _c("fee_paid_until", DATE, False, "年费缴至", "下次年费缴纳日", "年费缴纳至", "年费有效期至",
           "年费缴纳截止日", "年费截止日", "下一年度年费缴纳期限", "paid_until"),
    ),
    "schedule": (
        LOAN_ID,
        _c("due_on", DATE, True, "应还日期", "计划还款日期", "应还款日期", "应还款日", "计划还款日", "应还日",
           "到期还款日", "还款计划日期", "due_date"),
        _c("principal_due", MONEY, True, "应还本金", "计划还本金额", "应还本金金额", "计划还款本金", "应收本金",
           "计划本金", "当期应还本金"),
        _c("interest_due", MONEY, True, "应还利息", "计划还息金额", "应还利息金额", "计划还款利息", "应收利息",
           "计划利息", "当期应还利息"),
    ),
    "repayments": (
        LOAN_ID,
        _c("paid_on", DATE, True, "还款日期", "实还日期", "实际还款日期", "交易日期", "还款日", "入账日期",
           "还款时间", "实际还款日", "记账日期", "交易时间", "实还日", "payment_date"),
        _c("principal_paid", MONEY, True, "实还本金", "本金", "归还本金", "还款本金", "实还本金金额", "实收本金",
           "已还本金", "还本金额", "偿还本金", "principal"),
        _c("interest_paid", MONEY, True, "实还利息", "利息", "归还利息", "还款利息", "实还利息金额", "实收利息",
           "已还利息", "还息金额", "偿还利息", "interest"),
        _c("txn_id", TEXT, False, "交易流水号", "流水号", "交易编号", "交易序号", "还款流水号", "核心流水号",
           "业务流水号", "流水编号", "transaction_id"),
    ),
    "events": (
        LOAN_ID,
        _c("event_on", DATE, True, "日期", "事件日期", "发生日期", "事件发生日期", "发生日", "登记日期", "date"),
        _c("kind", "enum:event_kind", True, "事件类型", "事件", "类型", "事项", "风险事件类型", "事件类别"),
        _c("amount", MONEY, False, "金额", "发生金额", "代偿金额", "追偿金额", "回收金额", "核销金额", "事件金额"),
        _c("party", "enum:party", False, "承担方", "当事方", "机构类型", "责任方", "代偿方", "代偿机构", "出资方",
           "责任机构", "代偿主体", "分担方", "承担机构", "party"),
    ),
    "decisions": (
        _c("decided_on", DATE, True, "日期", "决定日期", "决议日期", "会议日期", "date"),
        _c("kind", "enum:decision_kind", True, "决定类型", "决定", "类型", "事项", "决定事项", "决议事项"),
        _c("note", TEXT, False, "说明", "备注", "决定内容", "决议内容", "事由"),
    ),
    "subsidies": (
        LOAN_ID,
        _c("kind", "enum:subsidy_kind", True, "补贴类型", "补助类型", "类型", "补贴项目", "补助项目", "补贴种类"),
        _c("amount", MONEY, True, "金额", "补贴金额", "补助金额", "发放金额", "拨付金额", "贴息金额", "补助资金"),
        _c("paid_on", DATE, True, "发放日期", "支付日期", "拨付日期", "补贴发放日期", "到账日期", "补贴拨付日期"),
    ),
    "lpr": (
        _c("effective_on", DATE, True, "生效日期", "日期", "公布日期", "报价日期", "发布日期", "date"),
        _c("rate", RATE, True, "一年期lpr", "1年期lpr", "lpr", "一年期贷款市场报价利率", "利率", "1年期贷款市场报价利率"),
    ),
}

KIND_LABELS = {
    "loans": ("借据台账", "loans"),
    "collateral": ("质押物清单", "collateral"),
    "schedule": ("还款计划", "repayment schedule"),
    "repayments": ("还款流水", "repayments"),
    "events": ("风险事件", "risk events"),
    "decisions": ("业务决定", "program decisions"),
    "subsidies": ("补贴发放", "subsidy payments"),
    "lpr": ("LPR 利率表", "LPR table"),
    "ip_status": ("知识产权法律状态", "IP legal status"),
}

# Enumerations: canonical value -> accepted spellings (compared lower-case, without spaces).
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "pledge_mode": {
        "direct": ("直接质押", "直接", "银行直接质押"),
        "indirect": ("间接质押", "间接", "担保公司间接质押"),
    },
    "ip_type": {
        "invention_patent": ("发明专利", "发明", "invention"),
        "utility_model": ("实用新型", "实用新型专利", "utility"),
        "trademark": ("商标", "注册商标"),
        "geographical_indication": ("地理标志", "地理标志证明商标", "地理标志商标"),
    },
    "event_kind": {
        "compensation_notice": ("代偿通知", "代偿通知书", "notice"),
        "compensation": ("代偿",),
        "recovery": ("追偿回收", "追偿", "回收"),
        "write_off": ("核销", "writeoff", "write-off"),
    },
    "party": {
        "guarantor": ("担保公司", "担保机构"),
        "appraiser": ("评估机构", "评估公司"),
        "bank": ("银行", "贷款银行"),
    },
    "decision_kind": {
        "resume": ("恢复业务", "恢复"),
        "halt": ("暂停业务", "暂停"),
    },
    "ip_status": {  # R-IPSTAT, in its same-day precedence order
        "valid": ("有效", "专利权维持", "权利维持", "在保护期"),
        "fee_paid": ("年费已缴", "已缴年费", "缴费", "年费缴纳"),
        "restored": ("恢复", "权利恢复", "专利权恢复"),
        "fee_overdue": ("未缴年费", "年费逾期", "欠费", "fee_unpaid"),
        "invalidation_requested": ("无效宣告请求", "请求宣告无效", "无效请求"),
        "partially_invalidated": ("部分无效", "部分无效宣告"),
        "terminated": ("终止", "专利权终止", "未缴年费终止", "权利终止"),
        "invalidated": ("全部无效", "宣告无效", "全部无效宣告"),
        "expired": ("届满", "期限届满", "专利权届满", "到期"),
        "pledge_released": ("质押注销", "质押登记注销", "解除质押", "质押解除"),
        "pledge_registered": ("质押登记", "质押登记生效", "出质登记", "质押"),
    },
    "subsidy_kind": {
        "interest": ("贴息", "利息补贴", "贷款贴息"),
        "appraisal_fee": ("评估费补贴", "评估费"),
        "guarantee_fee": ("担保费补贴", "担保费"),
        "patent_pledge": ("专利质押补助", "专利质押补贴", "质押补助"),
    },
}

_BRACKETS = re.compile(r"[(\[【{].*?[)\]】}]")
_SPACES = re.compile(r"\s+")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def normalise_header(cell: object) -> str:
    """A header cell as compared with aliases: NFKC, lower case, no spaces, marks or bracketed notes."""
    if cell is None:
        return ""
    text = _SPACES.sub("", _nfkc(str(cell)).lower())
    text = _BRACKETS.sub("", text).strip("*:：")
    for unit in ("/万元", "万元", "/元", "/%"):  # 贷款金额/万元, 贷款金额万元
        if text.endswith(unit) and len(text) > len(unit):
            text = text[: -len(unit)]
            break
    return text


def header_unit(cell: object) -> str | None:
    """The unit a header cell states: 'wan' (万元), 'yuan' (元) or 'pct' (%), else None."""
    if cell is None:
        return None
    text = _SPACES.sub("", _nfkc(str(cell)))
    notes = "".join(_BRACKETS.findall(text))
    if "万元" in notes or text.endswith("万元"):
        return "wan"
    if "%" in notes or text.endswith("%"):
        return "pct"
    if "元" in notes or text.endswith("/元"):
        return "yuan"
    return None


def is_wan_unit_line(cells: list) -> bool:
    """True for a title line such as '单位：万元' that puts the money columns below it in 万元."""
    text = _SPACES.sub("", _nfkc("".join(str(c) for c in cells if c is not None)))
    return re.search(r"单位[:]?(人民币)?万元", text) is not None


def _alias_map(kind: str, fallbacks: bool) -> dict[str, str]:
    names: dict[str, str] = {}
    for col in KINDS[kind]:
        for alias in (col.fallbacks if fallbacks else (col.name, *col.aliases)):
            key = normalise_header(alias)
            # one header name is one column of a kind: a clash here would map a header by list order
            assert names.get(key, col.name) == col.name, (kind, alias, names[key], col.name)
            names[key] = col.name
    return names


PRIMARY: dict[str, dict[str, str]] = {kind: _alias_map(kind, False) for kind in KINDS}
FALLBACK: dict[str, dict[str, str]] = {kind: _alias_map(kind, True) for kind in KINDS}
ALIASES: dict[str, dict[str, str]] = {kind: {**FALLBACK[kind], **PRIMARY[kind]} for kind in KINDS}
assert all(not set(PRIMARY[k]) & set(FALLBACK[k]) for k in KINDS), "a name is an alias or a fallback, not both"


def map_header(kind: str, header: list) -> dict[str, int]:
    """Canonical column -> position in the header, for one kind (first matching cell wins); a
    fallback name (Column.fallbacks) is taken only for a column that no alias names."""
    found: dict[str, int] = {}
    keys = [normalise_header(cell) for cell in header]
    for table in (PRIMARY[kind], FALLBACK[kind]):
        for pos, key in enumerate(keys):
            name = table.get(key)
            if name and name not in found:
                found[name] = pos
    return found


def header_clash(kind: str, header: list) -> tuple[int, int, str] | None:
    """(first position, second position, column) of two header cells that name one column: two
    aliases (贷款金额 and 放款金额), the same unknown header twice, or two fallbacks when no alias is
    there (合同编号 and 合同号). A fallback beside an alias is no clash: it stays an extra column."""
    keys = [normalise_header(cell) for cell in header]
    has_alias = {PRIMARY[kind][k] for k in keys if k in PRIMARY[kind]}
    seen: dict[str, int] = {}
    for pos, (cell, key) in enumerate(zip(header, keys, strict=True)):
        name = PRIMARY[kind].get(key)
        if name is None and key in FALLBACK[kind] and FALLBACK[kind][key] not in has_alias:
            name = FALLBACK[kind][key]
        name = name or ("" if cell is None else str(cell))
        if not name:
            continue
        if name in seen:
            return seen[name], pos, name
        seen[name] = pos
    return None


HINT_SAMPLE_ROWS = 1000  # data rows whose values a hint looks at (the first ones of the sheet)
_MIN_CONTAINED = 3      # an alias shorter than this (企业, 银行, 类型) is in too many headers to hint


@dataclass(frozen=True)
class Hint:
    """An unknown header cell that may be a column the header lacks (issue 11 item 11): its name
    contains an alias of the column, or every value of it is a valid value of the column."""

    position: int        # 0-based position in the header
    header: str          # the header cell as written
    column: Column
    alias: str | None    # the alias its name contains, or None when its values fit


def _enum_spellings(domain: str) -> set[str]:
    return {s for d, s, _ in enum_aliases() if d == domain}


# The common written forms of macros.sql's pw_date and pw_money, for hints only (a value they do not
# match gives no hint; the SQL parsers still decide every loaded value).
_DATE_FORM = re.compile(r"(19|20|21)\d\d([-/.年])\d{1,2}([-/.月])\d{1,2}日?([ t]\d{1,2}:\d\d(:\d\d)?)?|(19|20|21)\d{6}")
_MONEY_FORM = re.compile(r"[¥￥]?-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(万元|万|元)?")


def _values_fit(col: Column, values: list[str]) -> bool:
    """Every value is a valid value of the column, for types whose values say what they are:
    enumerations and credit codes; dates and amounts only for a required column (the sheet is then
    refused, and a column of dates is most likely the missing date). Any text fits a text column."""
    if not values:
        return False
    if col.required and col.type in (DATE, MONEY):
        form = _DATE_FORM if col.type == DATE else _MONEY_FORM
        return all(form.fullmatch(_nfkc(v).lower()) for v in values)
    if col.type.startswith("enum:"):
        spellings = _enum_spellings(col.type[5:])
        return all(v.replace(" ", "").replace("\u3000", "").lower() in spellings for v in values)
    if col.type == CREDIT_CODE:
        from stdnum.cn import uscc

        return all(uscc.is_valid(v) for v in values)
    return False


def _hint_names(kind: str) -> dict[str, list[tuple[str, str]]]:
    """Column -> (name as written, normalised) of its names long enough to hint by containment."""
    return {c.name: [(a, normalise_header(a)) for a in (c.name, *c.aliases, *c.fallbacks)
                     if len(normalise_header(a)) >= _MIN_CONTAINED] for c in KINDS[kind]}


_NAMES = {kind: _hint_names(kind) for kind in KINDS}


def header_hints(kind: str, header: list, mapping: dict[str, int], rows: list[list]) -> list[Hint]:
    """Unknown header cells that may be a column the header lacks, with the first data rows
    ``rows`` (at most HINT_SAMPLE_ROWS are read): one hint per cell, by name before by values."""
    used = set(mapping.values())
    missing = [c for c in KINDS[kind] if c.name not in mapping]
    hints = []
    for pos, cell in enumerate(header):
        if pos in used:
            continue
        key = normalise_header(cell)
        found = None
        if key:
            contained = [(len(norm), a, c) for c in missing for a, norm in _NAMES[kind][c.name] if norm in key]
            if contained:
                _, alias, col = max(contained, key=lambda t: t[0])
                found = Hint(pos, "" if cell is None else str(cell), col, alias)
        if found is None:
            values = [str(r[pos]).strip() for r in rows[:HINT_SAMPLE_ROWS]
                      if pos < len(r) and r[pos] is not None and str(r[pos]).strip()]
            col = next((c for c in missing if _values_fit(c, values)), None)
            if col is not None:
                found = Hint(pos, "" if cell is None else str(cell), col, None)
        if found is not None:
            hints.append(found)
    return hints


def missing_required(kind: str, mapping: dict[str, int]) -> list[Column]:
    """Required columns of the kind that the header lacks."""
    return [c for c in KINDS[kind] if c.required and c.name not in mapping]


def detect_kind(header: list) -> str | None:
    """The kind whose required columns all appear in the header; ties go to the most columns matched."""
    best: tuple[int, int, int] | None = None
    chosen = None
    for order, kind in enumerate(LOAD_ORDER):
        mapping = map_header(kind, header)
        if missing_required(kind, mapping):
            continue
        score = (len(mapping), sum(c.required for c in KINDS[kind]), -order)
        if best is None or score > best:
            best, chosen = score, kind
    return chosen


def closest_kind(header: list) -> str | None:
    """The kind with the most required columns present (for a 'columns missing' message)."""
    scores = []
    for kind in LOAD_ORDER:
        mapping = map_header(kind, header)
        present = sum(1 for c in KINDS[kind] if c.required and c.name in mapping)
        if present:
            scores.append((present / sum(c.required for c in KINDS[kind]), present, kind))
    return max(scores)[2] if scores else None


def enum_aliases() -> list[tuple[str, str, str]]:
    """Rows (domain, spelling, canonical value) with spellings normalised like the SQL side does."""
    rows = []
    for domain, values in ENUMS.items():
        for value, spellings in values.items():
            for s in (value, *spellings):
                rows.append((domain, s.replace(" ", "").replace("\u3000", "").lower(), value))
    return rows


def table_columns(kind: str) -> list[str]:
    """Columns of the kind's table in schema.sql, without batch_id (repayments add row_key)."""
    cols = [c.name for c in KINDS[kind]]
    if kind == "repayments":
        cols = ["row_key", *cols]
    return [*cols, "extras"]


assert set(KINDS) == set(LEDGER_KEYS), "every ledger kind of store.LEDGER_KEYS has its columns here"
