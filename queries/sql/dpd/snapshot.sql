-- snapshot: one row per loan disbursed on or before $as_of (within the optional scope, R-SCOPE) — its
-- state at the end of $as_of (R-OUT, R-DPD, R-NPL, R-CLASS, ageing buckets).
--   outstanding = principal − principal paid by as_of, never below 0 (R-OUT); principal paid =
--                the running total of the last principal payment day <= as_of (pw_flows: the
--                totals strictly increase with the day, so it is their maximum);
--   active     = outstanding > 0 (every loan here is disbursed by as_of);
--   oldest unpaid due per stream = earliest due_on < as_of still unpaid at the end of as_of
--                (settled_on null or > as_of, pw_due_status) — a due is not late on its own date;
--   dpd_<stream> = as_of − that date, 0 when none; dpd = the larger of the two (R-DPD);
--   overdue    = active and dpd >= overdue_dpd_threshold (R-NPL);
--   bucket     = ageing bucket of an active loan by DPD: current (0), 1-29, 30-59, 60-89, 90+;
--   risk_class = R-CLASS minimum regulatory class of an active loan by DPD: normal (0),
--               special_mention (>= 1), substandard (> 90), doubtful (> 270), loss (> 360).
-- Closed (inactive) loans have null bucket and class. The same definitions as loan_state.sql,
-- which probes arbitrary (loan, day) pairs; one date for every loan is two aggregates instead of a
-- join per probe (tests/test_engine_property.py holds both to the day-by-day reference).
-- Reads engine-registered relations pw_flows and pw_due_status, and table loans.
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser, $overdue_dpd_threshold.
with

loan_terms as (
    select *
    from loans
    where disbursed_on <= $as_of::date
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

principal_paid as (
    select loan_id, max(cum_principal_paid) as principal_paid
    from pw_flows
    where principal_paid > 0 and paid_on <= $as_of::date
    group by loan_id
),

unpaid_dues as (
    select
        loan_id,
        min(due_on) filter (where stream = 'principal') as oldest_unpaid_principal,
        min(due_on) filter (where stream = 'interest') as oldest_unpaid_interest
    from pw_due_status
    where due_on < $as_of::date and (settled_on is null or settled_on > $as_of::date)
    group by loan_id
),

state as (
    select
        loan_terms.loan_id,
        loan_terms.enterprise_name,
        loan_terms.credit_code,
        loan_terms.bank,
        loan_terms.guarantor,
        loan_terms.appraiser,
        loan_terms.pledge_mode,
        loan_terms.principal,
        loan_terms.disbursed_on,
        loan_terms.matures_on,
        greatest(loan_terms.principal - coalesce(principal_paid.principal_paid, 0), 0)::decimal(18, 2) as outstanding,
        loan_terms.principal - coalesce(principal_paid.principal_paid, 0) > 0 as active,
        coalesce($as_of::date - unpaid_dues.oldest_unpaid_principal, 0)::integer as dpd_principal,
        coalesce($as_of::date - unpaid_dues.oldest_unpaid_interest, 0)::integer as dpd_interest,
        least(unpaid_dues.oldest_unpaid_principal, unpaid_dues.oldest_unpaid_interest) as oldest_unpaid_due
    from loan_terms
    left join principal_paid using (loan_id)
    left join unpaid_dues using (loan_id)
),

joined as (
    select
        loan_id,
        enterprise_name,
        credit_code,
        bank,
        guarantor,
        appraiser,
        pledge_mode,
        principal,
        disbursed_on,
        matures_on,
        outstanding,
        greatest(dpd_principal, dpd_interest) as dpd,
        dpd_principal,
        dpd_interest,
        oldest_unpaid_due,
        active,
        active and greatest(dpd_principal, dpd_interest) >= $overdue_dpd_threshold::integer as overdue
    from state
),

final as (
    select
        *,
        case
            when not active then null
            when dpd >= 90 then '90+'
            when dpd >= 60 then '60-89'
            when dpd >= 30 then '30-59'
            when dpd >= 1 then '1-29'
            else 'current'
        end as bucket,
        case
            when not active then null
            when dpd > 360 then 'loss'
            when dpd > 270 then 'doubtful'
            when dpd > 90 then 'substandard'
            when dpd >= 1 then 'special_mention'
            else 'normal'
        end as risk_class
    from joined
)

select * from final
order by loan_id
