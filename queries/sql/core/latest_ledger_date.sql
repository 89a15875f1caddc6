-- latest_ledger_date: one row — the latest date recorded in any dated ledger (disbursements,
-- repayments, events, decisions, subsidy payments); null in an empty store. Due and maturity
-- dates lie in the future and do not count. The default end of the daily series (R-HALT).
with

dated as (
    select max(disbursed_on) as on_day from main.loans
    union all select max(paid_on) from main.repayments
    union all select max(event_on) from main.events
    union all select max(decided_on) from main.decisions
    union all select max(paid_on) from main.subsidies
),

final as (
    select max(on_day) as latest_ledger_date from dated
)

select * from final
