"""Display names of columns and coded values (bank-neutral codes such as 'invention_patent',
'late', 'C4', '60-89') in the current language.

Column headers come from ``queries.labels`` (shared with the report files) when it knows the
column; the few dashboard-only columns are in ``_COLUMNS`` here.
"""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import lang

try:  # written alongside by the report helper; the dashboard falls back to its own table
    from queries import labels as _shared
except ImportError:  # pragma: no cover - only before queries/labels.py lands
    _shared = None

_COLUMNS: dict[str, tuple[str, str]] = {
    "loan_id": ("借据号", "Loan ID"),
    "enterprise_name": ("企业名称", "Enterprise"),
    "credit_code": ("统一社会信用代码", "Credit code"),
    "bank": ("贷款银行", "Bank"),
    "pledge_mode": ("质押方式", "Pledge mode"),
    "guarantor": ("担保公司", "Guarantor"),
    "appraiser": ("评估机构", "Appraiser"),
    "principal": ("贷款金额", "Principal"),
    "annual_rate": ("执行年利率", "Annual rate"),
    "disbursed_on": ("发放日期", "Disbursed on"),
    "matures_on": ("到期日期", "Matures on"),
    "appraised_value": ("评估价值", "Appraised value"),
    "fair_value": ("公允价值", "Fair value"),
    "guarantee_fee": ("担保费", "Guarantee fee"),
    "appraisal_fee": ("评估费", "Appraisal fee"),
    "renewed_from": ("续贷原借据号", "Renews loan"),
    "industry": ("所属行业", "Industry"),
    "outstanding": ("贷款余额", "Outstanding"),
    "dpd": ("逾期天数", "Days past due"),
    "dpd_principal": ("本金逾期天数", "Principal DPD"),
    "dpd_interest": ("利息逾期天数", "Interest DPD"),
    "oldest_unpaid_due": ("最早未还应还日", "Oldest unpaid due"),
    "alert_since": ("预警起始日", "Alert since"),
    "bucket": ("逾期账龄", "Ageing bucket"),
    "risk_class": ("五级分类", "Risk class"),
    "claim_status": ("代偿状态", "Claim status"),
    "deadline": ("代偿截止日", "Claim deadline"),
    "days_left": ("距截止（天）", "Days left"),
    "notice_on": ("代偿通知日", "Notice date"),
    "status": ("状态", "Status"),
    "expected_guarantor": ("担保公司应代偿", "Guarantor expected"),
    "expected_appraiser": ("评估机构应代偿", "Appraiser expected"),
    "received_guarantor": ("担保公司已代偿", "Guarantor received"),
    "received_appraiser": ("评估机构已代偿", "Appraiser received"),
    "outstanding_at_notice": ("通知日余额", "Outstanding at notice"),
    "dpd_at_notice": ("通知日逾期天数", "DPD at notice"),
    "premature": ("提前通知", "Premature notice"),
    "settled_on": ("结清日", "Settled on"),
    "party": ("承担方", "Party"),
    "share": ("分担比例", "Share"),
    "loss_share": ("分担比例", "Loss share"),
    "party_name": ("承担机构", "Institution"),
    "recovered": ("追偿回收", "Recovered"),
    "principal_loss": ("本金损失", "Principal loss"),
    "loss_part": ("分担损失", "Loss share"),
    "recovery_part": ("分得追偿", "Recovery share"),
    "net_loss": ("净损失", "Net loss"),
    "ban_until": ("禁入截止日", "Banned until"),
    "active": ("生效中", "In force"),
    "loan_ids": ("相关借据", "Loans"),
    "rule": ("规则", "Rule"),
    "description": ("规则说明", "Rule"),
    "loans": ("借据笔数", "Loans"),
    "rows": ("违规记录", "Exceptions"),
    "item": ("对象", "Item"),
    "actual_value": ("实际值", "Actual"),
    "limit_value": ("上限/要求", "Limit"),
    "actual_on": ("实际日期", "Actual date"),
    "limit_on": ("要求日期", "Required date"),
    "detail": ("违规数据", "Values"),
    "ip_type": ("知识产权类型", "IP type"),
    "ip_number": ("专利号/注册号", "IP number"),
    "ip_expires_on": ("有效期至", "Expires on"),
    "due_on": ("应还日期", "Due on"),
    "principal_due": ("应还本金", "Principal due"),
    "interest_due": ("应还利息", "Interest due"),
    "principal_settled_on": ("本金还清日", "Principal settled on"),
    "interest_settled_on": ("利息还清日", "Interest settled on"),
    "paid_on": ("还款日期", "Paid on"),
    "principal_paid": ("实还本金", "Principal paid"),
    "interest_paid": ("实还利息", "Interest paid"),
    "kind": ("类型", "Kind"),
    "event_on": ("日期", "Date"),
    "amount": ("金额", "Amount"),
    "year": ("年度", "Year"),
    "eligible": ("应补贴", "Eligible"),
    "paid": ("已发放", "Paid"),
    "difference": ("差额", "Difference"),
    "confirmed": ("政策已确认", "Rules confirmed"),
    "position": ("续贷序号", "Position"),
    "chain_length": ("续贷链长度", "Chain length"),
    "batch_id": ("批次", "Batch"),
    "file_name": ("文件名", "File"),
    "sheet": ("工作表", "Sheet"),
    "rows_read": ("读取行数", "Rows read"),
    "rows_loaded": ("导入行数", "Rows loaded"),
    "rows_unchanged": ("未变行数", "Rows unchanged"),
    "rows_rejected": ("拒收行数", "Rows rejected"),
    "outcome": ("结果", "Outcome"),
    "started_at": ("时间", "Time"),
    "message": ("说明", "Message"),
    "row_number": ("行号", "Row"),
    "column_name": ("列", "Column"),
    "raw_value": ("原始值", "Raw value"),
    "reason": ("原因", "Reason"),
    "npl_ratio": ("不良率", "NPL ratio"),
    "active_balance": ("在贷余额", "Active balance"),
    "overdue_balance": ("逾期余额", "Overdue balance"),
    "active_loans": ("在贷笔数", "Active loans"),
    "overdue_loans": ("逾期笔数", "Overdue loans"),
    "balance": ("余额", "Balance"),
    "balance_share": ("余额占比", "Share of balance"),
}

_VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "ip_type": {"invention_patent": ("发明专利", "Invention patent"), "utility_model": ("实用新型", "Utility model"),
                "trademark": ("商标", "Trademark"), "geographical_indication": ("地理标志", "Geographical indication"),
                "unknown": ("未登记", "Not recorded")},
    "industry": {"unknown": ("未填写", "Not recorded")},
    "guarantor": {None: ("（直接质押）", "(direct pledge)")},
    "pledge_mode": {"direct": ("直接质押", "Direct"), "indirect": ("间接质押", "Indirect")},
    "claim_status": {"settled": ("已代偿", "Settled"), "pending": ("待代偿", "Pending"), "late": ("逾期未代偿", "Late"),
                     "bank_disposal": ("银行自行处置", "Bank disposal"), None: ("未发起", "Not opened")},
    "bucket": {"current": ("未逾期", "Current"), "1-29": ("1-29天", "1-29 days"), "30-59": ("30-59天", "30-59 days"),
               "60-89": ("60-89天", "60-89 days"), "90+": ("90天以上", "90+ days")},
    "risk_class": {"normal": ("正常", "Normal"), "special_mention": ("关注", "Special mention"),
                   "substandard": ("次级", "Substandard"), "doubtful": ("可疑", "Doubtful"), "loss": ("损失", "Loss")},
    "party": {"guarantor": ("担保公司", "Guarantor"), "appraiser": ("评估机构", "Appraiser"), "bank": ("银行", "Bank")},
    "kind": {"compensation_notice": ("代偿通知", "Compensation notice"), "compensation": ("代偿", "Compensation"),
             "recovery": ("追偿回收", "Recovery"), "write_off": ("核销", "Write-off"), "repayment": ("还款", "Repayment"),
             "interest": ("贴息", "Interest subsidy"), "appraisal_fee": ("评估费补贴", "Appraisal fee subsidy"),
             "guarantee_fee": ("担保费补贴", "Guarantee fee subsidy"),
             "patent_pledge": ("专利质押补助", "Patent pledge grant"),
             "resume": ("恢复业务", "Resume"), "halt": ("暂停业务", "Halt")},
    "outcome": {"loaded": ("已导入", "Loaded"), "unchanged": ("无变化", "Unchanged"), "refused": ("拒收", "Refused")},
    "bool": {True: ("是", "Yes"), False: ("否", "No")},
}


def _pick(pair: tuple[str, str]) -> str:
    return pair[0] if lang() == "zh" else pair[1]


def column(name: str) -> str:
    """The header of a column in the current language (queries.labels first, then the dashboard's)."""
    if _shared is not None:
        try:
            text = _shared.label(name, lang())
        except (KeyError, AttributeError, TypeError):
            text = None
        if text and text != name:
            return text
    pair = _COLUMNS.get(name)
    return _pick(pair) if pair else name


def segment(dimension: str, value) -> str:
    """A coded value of ``dimension`` (ip_type, bucket, claim_status …) in the current language."""
    key = None if value is None or (isinstance(value, float) and pd.isna(value)) else value
    table = _VALUES.get(dimension, {})
    if key in table:
        return _pick(table[key])
    return "" if key is None else str(key)


def translate(frame: pd.DataFrame, dimensions: dict[str, str]) -> pd.DataFrame:
    """A copy with the coded columns (column -> dimension) replaced by their display names."""
    out = frame.copy()
    for col, dim in dimensions.items():
        if col in out.columns:
            out[col] = [segment(dim, v) for v in out[col]]
    return out
