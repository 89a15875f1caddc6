"""Chinese and English labels for every output column of the engine and the report.

The one table of column labels, read by the dashboard's pages (dashboard.labels.column), its
downloads (dashboard.exports) and the report's CSV/XLSX (queries.report): ``COLUMNS`` maps a
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
    "npl_ratio_change": ("较上月末变化", "Change since previous month end", RATIO),
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
    # collateral watch and coverage (R-IPSTAT, R-COVER)
    "ip_number": ("专利号/注册号", "IP number", TEXT),
    "ip_type": ("知识产权类型", "IP type", TEXT),
    "ip_status": ("法律状态", "Legal status", TEXT),
    "status_on": ("状态日期", "Status date", DATE),
    "watch": ("监测提示", "Watch", TEXT),
    "lost": ("已灭失", "Lost", BOOL),
    "at_risk": ("有风险", "At risk", BOOL),
    "fee_paid_until": ("年费缴至", "Fees paid until", DATE),
    "next_fee_due": ("下次年费缴纳日", "Next fee due", DATE),
    "pledge_value": ("现质押价值", "Pledge value after losses", MONEY),
    "ltv": ("贷款价值比", "Loan to value", RATIO),
    "uncovered": ("超出质押率部分", "Uncovered", MONEY),
    "lost_balance": ("质押物灭失贷款余额", "Balance with lost IP", MONEY),
    "at_risk_balance": ("质押物有风险贷款余额", "Balance with at-risk IP", MONEY),
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
    "rows_read": ("读取行数", "Rows read", INT),
    "rows_loaded": ("导入行数", "Rows loaded", INT),
    "rows_unchanged": ("未变行数", "Rows unchanged", INT),
    "rows_rejected": ("拒收行数", "Rows rejected", INT),
    "outcome": ("结果", "Outcome", TEXT),
    "started_at": ("时间", "Time", TEXT),
    "message": ("说明", "Message", TEXT),
    "reason": ("原因", "Reason", TEXT),
    # the overdue list and the monthly filing (downloads and screen)
    "claim_status": ("代偿状态", "Claim status", TEXT),
    "days_left": ("距代偿截止（天）", "Days left to claim deadline", INT),
    "ip_count": ("质押知识产权数", "Pledged IP rights", INT),
    "ip_numbers": ("质押知识产权号", "Pledged IP numbers", TEXT),
    # claim detail, loss sharing and bans (R-COMP, R-LOSS, R-BAN)
    "received_guarantor": ("担保公司已代偿", "Guarantor received", MONEY),
    "received_appraiser": ("评估机构已代偿", "Appraiser received", MONEY),
    "outstanding_at_notice": ("通知日余额", "Outstanding at notice", MONEY),
    "dpd_at_notice": ("通知日逾期天数", "DPD at notice", INT),
    "premature": ("提前通知", "Premature notice", BOOL),
    "settled_on": ("结清日", "Settled on", DATE),
    "loss_share": ("分担比例", "Loss share", RATIO),
    "party_name": ("承担机构", "Institution", TEXT),
    "principal_loss": ("本金损失", "Principal loss", MONEY),
    "loss_part": ("分担损失", "Loss share", MONEY),
    "recovery_part": ("分得追偿", "Recovery share", MONEY),
    "net_loss": ("净损失", "Net loss", MONEY),
    "ban_until": ("禁入截止日", "Banned until", DATE),
    "loan_ids": ("相关借据", "Loans", TEXT),
    # compliance exceptions (C1–C11)
    "description": ("规则说明", "Rule", TEXT),
    "rows": ("违规记录", "Exceptions", INT),
    "item": ("对象", "Item", TEXT),
    "actual_value": ("实际值", "Actual", TEXT),
    "limit_value": ("上限/要求", "Limit", TEXT),
    "actual_on": ("实际日期", "Actual date", DATE),
    "limit_on": ("要求日期", "Required date", DATE),
    "detail": ("违规数据", "Values", TEXT),
    # one loan's pledged IP, events and renewal chain
    "ip_expires_on": ("有效期至", "Expires on", DATE),
    "expires_before_maturity": ("到期日早于贷款到期日", "expires before the loan matures", BOOL),
    "event_on": ("日期", "Date", DATE),
    "position": ("续贷序号", "Position", INT),
    "side": ("类别", "Side", TEXT),
    "step": ("序号", "Step", INT),
    # subsidies (R-SUB)
    "eligible": ("应补贴", "Eligible", MONEY),
    "paid": ("已发放", "Paid", MONEY),
    "difference": ("差额", "Difference", MONEY),
    "confirmed": ("政策已确认", "Rules confirmed", BOOL),
    # collateral watch screens (R-IPSTAT, R-COVER)
    "fee_grace_until": ("年费宽限期至", "Fee grace until", DATE),
    "fee_watch": ("年费提示", "Fee watch", TEXT),
    "filed_on": ("申请日", "Filed on", DATE),
    "under_secured": ("质押不足", "Under-secured", BOOL),
    "has_lost": ("有灭失质押物", "IP lost", BOOL),
    "has_at_risk": ("有风险质押物", "IP at risk", BOOL),
    "base_value": ("原质押价值", "Pledge value", MONEY),
    "items": ("质押物数", "Items", INT),
    "lost_items": ("灭失数", "Items lost", INT),
    "max_pledge_rate": ("质押率上限", "Max pledge rate", RATIO),
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
    # a scoped report's own book (R-SCOPE): never the program's trigger figures
    "scope_role": ("机构类型", "Party role", TEXT),
    "scope_organisation": ("机构名称", "Organisation", TEXT),
    "own_active_balance": ("本机构贷款在贷余额", "Own loans: active balance", MONEY),
    "own_overdue_balance": ("本机构贷款逾期余额", "Own loans: overdue balance", MONEY),
    "own_npl_ratio": ("本机构贷款逾期率（非项目触发指标）", "Own loans' overdue ratio (not the program trigger)", RATIO),
    # data freshness (R-FRESH) and the alert inbox (R-NOTIFY)
    "last_record_on": ("最近业务记录日", "Last record on", DATE),
    "last_received": ("最近收到文件日", "Last file received", DATE),
    "days_since": ("距今天数", "Days since", INT),
    "stale": ("数据未更新", "Stale", BOOL),
    "first_stale_on": ("开始未更新日", "Stale since", DATE),
    "last_file": ("最近文件", "Last file", TEXT),
    "last_sheet": ("最近文件工作表", "Last file sheet", TEXT),
    "last_file_rows": ("该行记录数", "Its rows in it", INT),
    "last_file_rejects": ("该文件拒收行数", "File rows rejected", INT),
    "missing_count": ("缺报月数", "Months missing", INT),
    "missing_months": ("缺报月份", "Missing months", TEXT),
    "alert_kind": ("预警类型", "Alert kind", TEXT),
    "event_key": ("事件编号", "Event key", TEXT),
    "acknowledged": ("已确认", "Acknowledged", BOOL),
    "acked_at": ("确认时间", "Acknowledged at", TEXT),
}

# Columns of each section, in output order.
SECTIONS: dict[str, tuple[str, ...]] = {
    "summary": ("as_of", "active_balance", "overdue_balance", "npl_ratio", "status", "halted_since", "headroom"),
    "loans": ("loan_id", "bank", "outstanding", "dpd"),
    "alerts_60d": ("loan_id", "dpd", "alert_since"),
    "compensations": ("loan_id", "notice_on", "deadline", "status", "expected_guarantor", "expected_appraiser"),
    "compliance": ("loan_id", "rule"),
    "subsidies": ("year", "credit_code", "kind", "amount"),
    "collateral": ("loan_id", "ip_number", "status", "watch", "lost", "at_risk"),
    "coverage": ("loan_id", "pledge_value", "ltv", "uncovered"),
    "coverage_totals": ("lost_balance", "at_risk_balance", "uncovered"),
    "scope": ("scope_role", "scope_organisation", "own_active_balance", "own_overdue_balance", "own_npl_ratio"),
    "stale_banks": ("bank", "last_record_on", "last_received"),
    "freshness": ("bank", "last_record_on", "last_received", "days_since", "stale", "last_file", "last_sheet",
                  "last_file_rows", "last_file_rejects", "missing_count", "missing_months"),
    "inbox": ("event_on", "alert_kind", "loan_id", "bank", "event_key", "acknowledged", "acked_at"),
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

# Titles of the report's sections on the reports page (the XLSX sheet names and CSV file names stay
# the English keys).
SECTION_TITLES: dict[str, tuple[str, str]] = {
    "summary": ("汇总指标", "Summary"),
    "loans": ("在贷借据", "Portfolio snapshot"),
    "alerts_60d": ("逾期60天预警", "60-day alerts"),
    "compensations": ("代偿申请", "Compensation claims"),
    "compliance": ("合规问题", "Compliance exceptions"),
    "subsidies": ("补贴测算", "Subsidy totals"),
    "collateral": ("质押物法律状态", "Pledged IP status"),
    "coverage": ("质押覆盖", "Collateral coverage"),
    "coverage_totals": ("质押覆盖合计", "Coverage totals"),
    "scope": ("本机构范围", "Own scope"),
    "stale_banks": ("数据未更新的银行", "Stale banks"),
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
    "ip_status": {"valid": ("有效", "Valid"), "pledge_registered": ("质押登记", "Pledge registered"),
                  "fee_paid": ("年费已缴", "Fee paid"), "fee_overdue": ("未缴年费", "Fee overdue"),
                  "terminated": ("终止", "Terminated"), "restored": ("恢复", "Restored"),
                  "invalidation_requested": ("无效宣告请求", "Invalidation requested"),
                  "invalidated": ("全部无效", "Invalidated"), "partially_invalidated": ("部分无效", "Partly invalidated"),
                  "expired": ("届满", "Expired"), "pledge_released": ("质押注销", "Pledge released")},
    "watch": {"fee_due_soon": ("年费即将到期", "Fee due soon"), "fee_grace": ("年费宽限期内", "In fee grace period"),
              "lapsed": ("未缴年费失效", "Lapsed (fee unpaid)"),
              "expires_before_maturity": ("早于贷款到期失效", "Expires before maturity"), None: ("", "")},
    "alert_kind": {"status_changed": ("项目状态变化", "Program status changed"), "alert60": ("逾期60天预警", "60-day alert"),
                   "claim_due_soon": ("代偿即将到期", "Claim due soon"), "claim_late": ("代偿逾期", "Claim late"),
                   "resume_flagged": ("超标时恢复业务", "Resume while in breach"),
                   "compliance": ("合规例外", "Compliance exception"), "ip_risk": ("质押知识产权风险", "Pledged IP at risk"),
                   "stale_bank": ("银行数据未更新", "Bank data stale"), "filing_pack": ("月度备案汇总", "Monthly filing pack")},
}


def label(column: str, lang: str = "zh") -> str:
    """The column's label in ``lang`` ('zh' or 'en'); the column name itself when unknown."""
    zh, en, _ = COLUMNS.get(column, (column, column, TEXT))
    return zh if lang == "zh" else en


def kind(column: str) -> str:
    """How to format the column: money, ratio, date, int, bool or text."""
    return COLUMNS.get(column, (column, column, TEXT))[2]


# Units named in headers (issue 12 item 5: every money header names its unit, in both languages).
UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "yuan": {MONEY: ("元", "CNY")},  # the report CLI: yuan to the fen; its rates stay fractions
    "yuan_pct": {MONEY: ("元", "CNY"), RATIO: ("%", "%")},  # one loan's tables on screen: 元, rates in %
    "wan": {MONEY: ("万元", "10k CNY"), RATIO: ("%", "%")},  # the dashboard: what the screen shows
}


def header(column: str, lang: str = "zh", unit: str = "wan", label_as: str | None = None) -> str:
    """The column's label in ``lang`` with its unit: '贷款余额（万元）' / 'Outstanding (10k CNY)',
    '年利率（%）'; columns without a unit keep their plain label. ``label_as``: label of another name."""
    text = label(label_as or column, lang)
    zh_en = UNITS[unit].get(kind(column))
    if zh_en is None:
        return text
    return f"{text}（{zh_en[0]}）" if lang == "zh" else f"{text} ({zh_en[1]})"


def value_label(dimension: str, value, lang: str = "zh") -> str:
    """A coded value of ``dimension`` in ``lang`` ('' for None without a label; the value itself when
    it has no label — a bank's name, a year)."""
    table = VALUES.get(dimension, {})
    if value in table:
        zh, en = table[value]
        return zh if lang == "zh" else en
    return "" if value is None else str(value)


# Labels the dashboard's tables head columns with (appended for issue 12; label_as targets).
COLUMNS.update({
    "ban_active": ("禁入生效中", "Ban in force", BOOL),
    "ip_state": ("状态", "State", TEXT),
    "days_to_fee": ("距缴费日", "Days to fee due", INT),
    "closure": ("贷款状态", "Loan state", TEXT),
    "closed_on": ("结束日期", "Closed on", DATE),
})

# The keys of a compliance exception's detail (C1–C11), shown as "label: value" text, never as JSON.
COLUMNS.update({
    "annual_cap_per_enterprise": ("企业年度上限", "Annual cap per enterprise", MONEY),
    "cap_year": ("年度", "Year", TEXT),
    "earliest_expiry": ("最早允许到期日", "Earliest allowed expiry", DATE),
    "lpr_effective_on": ("LPR 生效日", "LPR effective on", DATE),
    "lpr_rate": ("1年期 LPR", "1-year LPR", RATIO),
    "max_guarantee_fee_rate": ("担保费率上限", "Max guarantee fee rate", RATIO),
    "max_appraisal_fee_rate": ("评估费率上限", "Max appraisal fee rate", RATIO),
    "max_single_loan": ("单笔上限", "Single-loan cap", MONEY),
    "max_term_years": ("最长期限（年）", "Max term (years)", INT),
    "min_patent_remaining_years": ("专利剩余年限要求（年）", "Required patent years left", INT),
    "missing_expiry": ("缺少有效期", "Expiry missing", BOOL),
    "notice_loan_id": ("代偿通知借据", "Loan of the notice", TEXT),
    "pledge_rate": ("质押率", "Pledge rate", RATIO),
    "spread": ("允许加点", "Allowed spread", RATIO),
    "spread_over_lpr": ("高于 LPR", "Above LPR", RATIO),
    "status_day": ("状态日期", "Status day", DATE),
    "year_total": ("年度合计", "Year total", MONEY),
    "year_total_before": ("此前年度合计", "Year total before", MONEY),
    "description": ("规则说明", "Rule description", TEXT),
})

# A ledger preview's action per row (the data import page), beside the alerts' actions.
VALUES["action"].update({"new": ("新增", "New"), "same": ("无变化", "Unchanged"), "changed": ("更新", "Changed")})
VALUES["closure"] = {None: ("在贷", "Active"), "repaid": ("已还清", "Repaid"), "compensated": ("已代偿", "Compensated"),
                     "written_off": ("已核销", "Written off"),
                     "compensated_written_off": ("已代偿并核销", "Compensated and written off"),
                     "renewed": ("已续贷", "Renewed")}
# Industries as the ledgers name them (GB/T 4754 style, in Chinese), with their English names.
VALUES["industry"].update({
    "农副食品加工": ("农副食品加工", "Agri-food processing"), "医药制造": ("医药制造", "Pharmaceuticals"),
    "新材料": ("新材料", "New materials"), "生物技术": ("生物技术", "Biotechnology"),
    "电子元器件": ("电子元器件", "Electronic components"), "纺织服装": ("纺织服装", "Textiles and apparel"),
    "软件和信息技术服务": ("软件和信息技术服务", "Software and IT services"),
    "通用设备制造": ("通用设备制造", "General equipment"), "铝型材加工": ("铝型材加工", "Aluminium profiles"),
    "门窗幕墙": ("门窗幕墙", "Doors, windows and curtain walls"),
})
