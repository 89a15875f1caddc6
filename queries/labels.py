"""Chinese and English labels for every output column of the engine and the report.

One table shared by the dashboard, the CSV/XLSX export and the docs: ``COLUMNS`` maps a
canonical column name to (Chinese, English, kind); kind tells exporters how to format it
(money → '#,##0.00', ratio → percent, date, int, bool, text). ``SECTIONS`` lists the columns of
each report/engine section in output order; ``VALUES`` labels the coded values (status, bucket,
risk class …). tests/test_report.py checks that every column the engine returns is labelled.
"""

from __future__ import annotations

MONEY, RATIO, DATE, INT, BOOL, TEXT = "money", "ratio", "date", "int", "bool", "text"

COLUMNS: dict[str, tuple[str, str, str]] = {
    # loans and their state (R-OUT, R-DPD, R-NPL, R-CLASS)
    "loan_id": ("借据号", "Loan ID", TEXT),
    "enterprise_name": ("企业名称", "Enterprise", TEXT),
    "credit_code": ("统一社会信用代码", "Unified credit code", TEXT),
    "bank": ("贷款银行", "Bank", TEXT),
    "guarantor": ("担保公司", "Guarantor", TEXT),
    "appraiser": ("评估机构", "Appraiser", TEXT),
    "pledge_mode": ("质押方式", "Pledge mode", TEXT),
    "principal": ("贷款金额", "Principal", MONEY),
    "disbursed_on": ("发放日期", "Disbursed on", DATE),
    "matures_on": ("到期日期", "Matures on", DATE),
    "outstanding": ("贷款余额", "Outstanding", MONEY),
    "dpd": ("逾期天数", "Days past due", INT),
    "dpd_principal": ("本金逾期天数", "DPD (principal)", INT),
    "dpd_interest": ("利息逾期天数", "DPD (interest)", INT),
    "oldest_unpaid_due": ("最早未还应还日", "Oldest unpaid due", DATE),
    "oldest_unpaid_principal": ("最早未还本金应还日", "Oldest unpaid principal due", DATE),
    "oldest_unpaid_interest": ("最早未还利息应还日", "Oldest unpaid interest due", DATE),
    "active": ("在贷", "Active", BOOL),
    "overdue": ("逾期", "Overdue", BOOL),
    "bucket": ("账龄区间", "Ageing bucket", TEXT),
    "risk_class": ("五级分类（银行口径）", "Five-category class (banks')", TEXT),
    "at": ("日期", "Date", DATE),
    # headline figures (R-NPL, R-HALT, R-CLASS)
    "as_of": ("统计日期", "As of", DATE),
    "active_balance": ("在贷余额", "Active balance", MONEY),
    "overdue_balance": ("逾期贷款余额", "Overdue balance", MONEY),
    "active_loans": ("在贷笔数", "Active loans", INT),
    "overdue_loans": ("逾期笔数", "Overdue loans", INT),
    "npl_ratio": ("不良率（方案口径，逾期贷款余额占比）", "NPL ratio (scheme trigger)", RATIO),
    "status": ("业务状态", "Status", TEXT),
    "halted": ("暂停新业务", "Halted", BOOL),
    "halted_since": ("暂停起始日", "Halted since", DATE),
    "headroom": ("距暂停线余量", "Headroom to halt", MONEY),
    "breach": ("超过暂停线", "Above halt line", BOOL),
    "warning_band": ("预警区间", "Warning band", BOOL),
    "npl_warning_threshold": ("预警线", "Warning threshold", RATIO),
    "npl_halt_threshold": ("暂停线", "Halt threshold", RATIO),
    "bank_npl_balance": ("银行口径不良余额（次级+可疑+损失）", "Banks' NPL balance (5-category)", MONEY),
    "bank_npl_ratio": ("银行口径不良率（五级分类，非方案口径）", "Banks' NPL ratio (5-category, not the trigger)",
                       RATIO),
    "prev_month_end": ("上月末", "Previous month end", DATE),
    "npl_ratio_prev_month_end": ("上月末不良率（方案口径）", "NPL ratio at previous month end", RATIO),
    # daily series and halt (R-HALT)
    "day": ("日期", "Day", DATE),
    "halt_decided": ("暂停决定", "Halt decision", BOOL),
    "resume_decided": ("恢复决定", "Resume decision", BOOL),
    "resume_while_breached": ("恢复时仍超暂停线", "Resumed while above halt line", BOOL),
    "start_on": ("暂停开始日", "Halt started", DATE),
    "resume_on": ("恢复业务日", "Resumed on", DATE),
    "end_on": ("最后暂停日", "Last halted day", DATE),
    "decided_on": ("决定日期", "Decided on", DATE),
    "ended_halt": ("结束了暂停", "Ended a halt", BOOL),
    "still_halted": ("当日终了仍暂停", "Still halted at end of day", BOOL),
    # alerts (R-ALERT60)
    "alert_since": ("逾期满60天日期", "On alert since", DATE),
    "action": ("处置方式", "Action", TEXT),
    # ageing, classification, breakdown
    "min_dpd": ("最少逾期天数", "Min DPD", INT),
    "max_dpd": ("最多逾期天数", "Max DPD", INT),
    "loans": ("笔数", "Loans", INT),
    "balance": ("余额", "Balance", MONEY),
    "balance_share": ("余额占比", "Share of balance", RATIO),
    "non_performing": ("银行口径不良", "Non-performing (banks')", BOOL),
    "name": ("名称", "Name", TEXT),
    "loans_60d": ("逾期60天以上笔数", "Loans 60+ DPD", INT),
    # one loan: dues and payments (R-SCHED, R-DPD, R-OUT)
    "due_on": ("应还日期", "Due on", DATE),
    "principal_due": ("应还本金", "Principal due", MONEY),
    "interest_due": ("应还利息", "Interest due", MONEY),
    "source": ("来源", "Source", TEXT),
    "cum_principal_due": ("累计应还本金", "Cumulative principal due", MONEY),
    "principal_settled_on": ("本金还清日", "Principal paid on", DATE),
    "cum_interest_due": ("累计应还利息", "Cumulative interest due", MONEY),
    "interest_settled_on": ("利息还清日", "Interest paid on", DATE),
    "days_late_principal": ("本金迟还天数", "Principal days late", INT),
    "days_late_interest": ("利息迟还天数", "Interest days late", INT),
    "paid_on": ("还款日期", "Paid on", DATE),
    "kind": ("类型", "Kind", TEXT),
    "party": ("当事方", "Party", TEXT),
    "principal_paid": ("实还本金", "Principal paid", MONEY),
    "interest_paid": ("实还利息", "Interest paid", MONEY),
    "recovered": ("追偿回收", "Recovered", MONEY),
    "txn_id": ("交易流水号", "Transaction ID", TEXT),
    "outstanding_after": ("还款后余额", "Outstanding after", MONEY),
    # report sections from the claims, compliance and subsidy families (R-COMP, C1–C11, R-SUB)
    "notice_on": ("代偿通知日", "Notice date", DATE),
    "deadline": ("代偿截止日", "Deadline", DATE),
    "expected_guarantor": ("担保公司应代偿", "Expected from guarantor", MONEY),
    "expected_appraiser": ("评估机构应代偿", "Expected from appraiser", MONEY),
    "rule": ("规则", "Rule", TEXT),
    "year": ("年度", "Year", INT),
    "amount": ("金额", "Amount", MONEY),
    # summary sheet of the export
    "key": ("字段", "Key", TEXT),
    "label_zh": ("项目", "Item (Chinese)", TEXT),
    "label_en": ("Item", "Item (English)", TEXT),
    "value": ("值", "Value", TEXT),
    # ledger fields and the ingest journal, in downloads too (filing summary, batch rejects)
    "annual_rate": ("执行年利率", "Annual rate", RATIO),
    "appraised_value": ("评估价值", "Appraised value", MONEY),
    "fair_value": ("公允价值", "Fair value", MONEY),
    "guarantee_fee": ("担保费", "Guarantee fee", MONEY),
    "appraisal_fee": ("评估费", "Appraisal fee", MONEY),
    "renewed_from": ("续贷原借据号", "Renews loan", TEXT),
    "industry": ("所属行业", "Industry", TEXT),
    "batch_id": ("批次", "Batch", INT),
    "file_name": ("文件名", "File", TEXT),
    "sheet": ("工作表", "Sheet", TEXT),
    "row_number": ("行号", "Row", INT),
    "column_name": ("列", "Column", TEXT),
    "raw_value": ("原始值", "Raw value", TEXT),
    "reason_zh": ("原因", "Reason (Chinese)", TEXT),
    "reason_en": ("原因（英文）", "Reason", TEXT),
    # outlook (R-PROJ, R-BREAK, R-WALL, R-HHI, R-ROLL)
    "loans_to_breach": ("再有几笔违约即超暂停线", "Loans to breach", INT),
    "days_to_breach_base": ("预计超暂停线天数（基准）", "Days to breach (base)", INT),
    "days_to_breach_stress": ("预计超暂停线天数（压力）", "Days to breach (stress)", INT),
    "breach_rank": ("违约影响排序", "Rank", INT),
    "next_due_on": ("下一应还日", "Next due", DATE),
    "horizon": ("未来天数", "Horizon (days)", INT),
    "principal_current": ("到期本金（未逾期贷款）", "Principal due (current loans)", MONEY),
    "principal_late": ("到期本金（已逾期贷款）", "Principal due (late loans)", MONEY),
    "dimension": ("维度", "Dimension", TEXT),
    "hhi": ("集中度指数 HHI", "HHI", RATIO),
    "top_share": ("最大份额", "Largest share", RATIO),
    "segments": ("分组数", "Segments", INT),
    "days_ahead": ("距统计日天数", "Days ahead", INT),
    "base_active_balance": ("在贷余额（基准）", "Active balance (base)", MONEY),
    "base_overdue_balance": ("逾期贷款余额（基准）", "Overdue balance (base)", MONEY),
    "base_npl_ratio": ("预测不良率（基准）", "Projected NPL ratio (base)", RATIO),
    "base_breach": ("超过暂停线（基准）", "Above halt line (base)", BOOL),
    "stress_active_balance": ("在贷余额（压力）", "Active balance (stress)", MONEY),
    "stress_overdue_balance": ("逾期贷款余额（压力）", "Overdue balance (stress)", MONEY),
    "stress_npl_ratio": ("预测不良率（压力）", "Projected NPL ratio (stress)", RATIO),
    "stress_breach": ("超过暂停线（压力）", "Above halt line (stress)", BOOL),
    "from_bucket": ("月初状态", "From", TEXT),
    "to_bucket": ("月末状态", "To", TEXT),
    "worse": ("恶化", "Worse", BOOL),
    "roll_rate": ("迁徙率", "Roll rate", RATIO),
    "from_rank": ("月初状态序号", "From order", INT),
    "to_rank": ("月末状态序号", "To order", INT),
}

# Columns only the dashboard's pages show (ledger fields, claim detail, ingest log): labels for
# the screen. The exporters do not read this table (label() and kind() see COLUMNS only), so the
# download files keep their headers and formats; screen_label() reads both.
SCREEN_COLUMNS: dict[str, tuple[str, str]] = {
    "claim_status": ("代偿状态", "Claim status"),
    "days_left": ("距截止（天）", "Days left"),
    "received_guarantor": ("担保公司已代偿", "Guarantor received"),
    "received_appraiser": ("评估机构已代偿", "Appraiser received"),
    "outstanding_at_notice": ("通知日余额", "Outstanding at notice"),
    "dpd_at_notice": ("通知日逾期天数", "DPD at notice"),
    "premature": ("提前通知", "Premature notice"),
    "settled_on": ("结清日", "Settled on"),
    "share": ("分担比例", "Share"),
    "loss_share": ("分担比例", "Loss share"),
    "party_name": ("承担机构", "Institution"),
    "principal_loss": ("本金损失", "Principal loss"),
    "loss_part": ("分担损失", "Loss share"),
    "recovery_part": ("分得追偿", "Recovery share"),
    "net_loss": ("净损失", "Net loss"),
    "ban_until": ("禁入截止日", "Banned until"),
    "loan_ids": ("相关借据", "Loans"),
    "description": ("规则说明", "Rule"),
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
    "event_on": ("日期", "Date"),
    "eligible": ("应补贴", "Eligible"),
    "paid": ("已发放", "Paid"),
    "difference": ("差额", "Difference"),
    "confirmed": ("政策已确认", "Rules confirmed"),
    "position": ("续贷序号", "Position"),
    "chain_length": ("续贷链长度", "Chain length"),
    "rows_read": ("读取行数", "Rows read"),
    "rows_loaded": ("导入行数", "Rows loaded"),
    "rows_unchanged": ("未变行数", "Rows unchanged"),
    "rows_rejected": ("拒收行数", "Rows rejected"),
    "outcome": ("结果", "Outcome"),
    "started_at": ("时间", "Time"),
    "message": ("说明", "Message"),
    "reason": ("原因", "Reason"),
}

# Columns of each section, in output order.
SECTIONS: dict[str, tuple[str, ...]] = {
    "summary": ("as_of", "active_balance", "overdue_balance", "npl_ratio", "status", "halted_since", "headroom"),
    "loans": ("loan_id", "bank", "outstanding", "dpd"),
    "alerts_60d": ("loan_id", "dpd", "alert_since"),
    "compensations": ("loan_id", "notice_on", "deadline", "status", "expected_guarantor", "expected_appraiser"),
    "compliance": ("loan_id", "rule"),
    "subsidies": ("year", "credit_code", "kind", "amount"),
    "outlook": ("loans_to_breach", "days_to_breach_base", "days_to_breach_stress"),
    "outlook_breach_loans": ("breach_rank", "loan_id"),
    "outlook_wall": ("horizon", "bank", "principal_current", "principal_late"),
    "outlook_hhi": ("dimension", "hhi", "top_share"),
    "projection": ("day", "days_ahead", "base_active_balance", "base_overdue_balance", "base_npl_ratio",
                   "base_breach", "stress_active_balance", "stress_overdue_balance", "stress_npl_ratio",
                   "stress_breach"),
    "breach_loans": ("breach_rank", "loan_id", "bank", "outstanding", "matures_on", "next_due_on"),
    "wall": ("horizon", "bank", "principal_current", "principal_late"),
    "hhi": ("dimension", "hhi", "top_share", "segments"),
    "roll": ("from_bucket", "to_bucket", "loans", "balance", "worse", "roll_rate", "from_rank", "to_rank"),
    "snapshot": ("loan_id", "enterprise_name", "credit_code", "bank", "guarantor", "appraiser", "pledge_mode",
                 "principal", "disbursed_on", "matures_on", "outstanding", "dpd", "dpd_principal", "dpd_interest",
                 "oldest_unpaid_due", "active", "overdue", "bucket", "risk_class"),
    "series": ("day", "active_balance", "overdue_balance", "active_loans", "overdue_loans", "npl_ratio", "breach",
               "warning_band", "status", "halted", "halted_since"),
    "halt_episodes": ("start_on", "resume_on", "end_on", "resume_while_breached"),
    "resumes": ("decided_on", "npl_ratio", "resume_while_breached", "ended_halt", "still_halted"),
    "ageing": ("bucket", "min_dpd", "max_dpd", "loans", "balance", "balance_share"),
    "classification": ("risk_class", "non_performing", "loans", "balance", "balance_share"),
    "breakdown": ("name", "active_loans", "overdue_loans", "active_balance", "overdue_balance", "npl_ratio",
                  "loans_60d"),
    "alerts": ("loan_id", "enterprise_name", "credit_code", "bank", "guarantor", "appraiser", "pledge_mode",
               "outstanding", "dpd", "oldest_unpaid_due", "alert_since", "action"),
    "dues": ("loan_id", "due_on", "principal_due", "interest_due", "source", "cum_principal_due",
             "principal_settled_on", "cum_interest_due", "interest_settled_on", "days_late_principal",
             "days_late_interest"),
    "payments": ("loan_id", "paid_on", "kind", "party", "principal_paid", "interest_paid", "recovered", "txn_id",
                 "outstanding_after"),
    "loan_history": ("loan_id", "at", "principal", "disbursed_on", "outstanding", "active", "dpd_principal",
                     "dpd_interest", "dpd", "oldest_unpaid_principal", "oldest_unpaid_interest",
                     "oldest_unpaid_due"),
}

# Titles of report sections (sheet titles, CSV file names stay the English keys).
SECTION_TITLES: dict[str, tuple[str, str]] = {
    "summary": ("概览", "Summary"),
    "loans": ("在贷贷款", "Active loans"),
    "alerts_60d": ("逾期60天预警", "60-day overdue alerts"),
    "compensations": ("代偿", "Compensation claims"),
    "compliance": ("合规例外", "Compliance exceptions"),
    "subsidies": ("可申请补贴", "Eligible subsidies"),
    "outlook": ("展望", "Outlook"),
    "outlook_breach_loans": ("违约即超线的贷款", "Loans whose default would breach"),
    "outlook_wall": ("到期墙", "Maturity wall"),
    "outlook_hhi": ("集中度", "Concentration"),
}

# Coded values shown to people.
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "status": {"normal": ("正常", "Normal"), "warning": ("预警", "Warning"), "halted": ("暂停新业务", "Halted"),
               "settled": ("已结清", "Settled"), "pending": ("待代偿", "Pending"), "late": ("逾期未代偿", "Late"),
               "bank_disposal": ("银行自行处置", "Bank disposal")},
    "bucket": {"current": ("未逾期", "Current"), "1-29": ("1-29天", "1-29 days"), "30-59": ("30-59天", "30-59 days"),
               "60-89": ("60-89天", "60-89 days"), "90+": ("90天以上", "90+ days"),
               "new": ("新发放", "New"), "repaid": ("已还清", "Repaid"),
               "written_off": ("代偿/核销", "Compensated / written off")},
    "dimension": {"bank": ("银行", "Bank"), "guarantor": ("担保公司", "Guarantor"), "appraiser": ("评估机构", "Appraiser"),
                  "industry": ("行业", "Industry"), "ip_type": ("知识产权类型", "IP type")},
    "risk_class": {"normal": ("正常", "Normal"), "special_mention": ("关注", "Special mention"),
                   "substandard": ("次级", "Substandard"), "doubtful": ("可疑", "Doubtful"),
                   "loss": ("损失", "Loss")},
    "pledge_mode": {"direct": ("直接质押", "Direct"), "indirect": ("间接质押", "Indirect")},
    "action": {"compensation_claim": ("申请代偿", "Claim compensation"),
               "disposal": ("处置质押知识产权", "Dispose of pledged IP")},
    "source": {"supplied": ("银行提供", "Supplied by bank"), "generated": ("按标准生成", "Standard schedule")},
    "ip_type": {"invention_patent": ("发明专利", "Invention patent"), "utility_model": ("实用新型", "Utility model"), "trademark": ("商标", "Trademark"), "geographical_indication": ("地理标志", "Geographical indication"), "unknown": ("未登记", "Not recorded")},
    "industry": {"unknown": ("未填写", "Not recorded")},
    "guarantor": {None: ("（直接质押）", "(direct pledge)")},
    "claim_status": {"settled": ("已代偿", "Settled"), "pending": ("待代偿", "Pending"), "late": ("逾期未代偿", "Late"), "bank_disposal": ("银行自行处置", "Bank disposal"), None: ("未发起", "Not opened")},
    "party": {"guarantor": ("担保公司", "Guarantor"), "appraiser": ("评估机构", "Appraiser"), "bank": ("银行", "Bank")},
    "kind": {"compensation_notice": ("代偿通知", "Compensation notice"), "compensation": ("代偿", "Compensation"), "recovery": ("追偿回收", "Recovery"), "write_off": ("核销", "Write-off"), "repayment": ("还款", "Repayment"), "interest": ("贴息", "Interest subsidy"), "appraisal_fee": ("评估费补贴", "Appraisal fee subsidy"), "guarantee_fee": ("担保费补贴", "Guarantee fee subsidy"), "patent_pledge": ("专利质押补助", "Patent pledge grant"), "resume": ("恢复业务", "Resume"), "halt": ("暂停业务", "Halt")},
    "outcome": {"loaded": ("已导入", "Loaded"), "unchanged": ("无变化", "Unchanged"), "refused": ("拒收", "Refused")},
    "bool": {True: ("是", "Yes"), False: ("否", "No")},
}


def label(column: str, lang: str = "zh") -> str:
    """The column's label in ``lang`` ('zh' or 'en'); the column name itself when unknown."""
    zh, en, _ = COLUMNS.get(column, (column, column, TEXT))
    return zh if lang == "zh" else en


def screen_label(column: str, lang: str = "zh") -> str:
    """The column's label on screen: COLUMNS first, then SCREEN_COLUMNS; the name itself when unknown."""
    if column in COLUMNS:
        return label(column, lang)
    zh, en = SCREEN_COLUMNS.get(column, (column, column))
    return zh if lang == "zh" else en


def kind(column: str) -> str:
    """How to format the column: money, ratio, date, int, bool or text."""
    return COLUMNS.get(column, (column, column, TEXT))[2]


def value_label(column: str, value, lang: str = "zh"):
    """The label of a coded value (e.g. status 'halted' → 暂停新业务); other values unchanged."""
    pair = VALUES.get(column, {}).get(value)
    if pair is None:
        return value
    return pair[0] if lang == "zh" else pair[1]
