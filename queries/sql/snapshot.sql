-- snapshot: one row per loan disbursed on or before $as_of (within the optional scope) — its
-- state at the end of $as_of (R-OUT, R-DPD, R-NPL, R-CLASS, ageing buckets).
--   overdue   = active and dpd >= overdue_dpd_threshold (R-NPL);
--   bucket    = ageing bucket of an active loan by DPD: current (0), 1-29, 30-59, 60-89, 90+;
--   risk_class = R-CLASS minimum regulatory class of an active loan by DPD: normal (0),
--               special_mention (>= 1), substandard (> 90), doubtful (> 270), loss (> 360).
-- Closed (inactive) loans have null bucket and class.
-- Reads engine-registered relation pw_state (loan_state.sql probed at every loan × $as_of).
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser, $overdue_dpd_threshold.
with

loans as (
    select *
    from main.loans
    where disbursed_on <= $as_of::date
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

state as (
    select *
    from pw_state
    where pw_state.at = $as_of::date
),

joined as (
    select
        loans.loan_id,
        loans.enterprise_name,
        loans.credit_code,
        loans.bank,
        loans.guarantor,
        loans.appraiser,
        loans.pledge_mode,
        loans.principal,
        loans.disbursed_on,
        loans.matures_on,
        state.outstanding,
        state.dpd,
        state.dpd_principal,
        state.dpd_interest,
        state.oldest_unpaid_due,
        state.active,
        state.active and state.dpd >= $overdue_dpd_threshold::integer as overdue
    from loans
    inner join state using (loan_id)
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
