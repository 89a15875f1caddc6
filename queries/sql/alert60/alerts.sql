-- alerts: one row per active loan with DPD >= compensation_trigger_dpd at $as_of (R-ALERT60,
-- inclusive: DPD 59 is not on the list, 60 is). alert_since = the loan's oldest unpaid due date
-- (across streams, the one giving the larger DPD) + compensation_trigger_dpd days, i.e. the day
-- the loan reached the trigger. For an indirect pledge the bank may claim compensation (R-COMP);
-- for a direct pledge the action is the bank's own disposal of the pledged IP.
-- Reads engine-registered relation pw_snapshot (snapshot.sql, already scoped). Params: $compensation_trigger_dpd.
with

snapshot as (
    select * from pw_snapshot
),

final as (
    select
        loan_id,
        enterprise_name,
        credit_code,
        bank,
        guarantor,
        appraiser,
        pledge_mode,
        outstanding,
        dpd,
        oldest_unpaid_due,
        oldest_unpaid_due + $compensation_trigger_dpd::integer as alert_since,
        case when pledge_mode = 'indirect' then 'compensation_claim' else 'disposal' end as action
    from snapshot
    where active and dpd >= $compensation_trigger_dpd::integer
)

select * from final
order by loan_id
