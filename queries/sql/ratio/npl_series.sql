-- npl_series: one row per day from $start to $end — program (or scope) totals at the end of the
-- day, exact for every day (R-NPL, R-HALT needs every day, not only month ends).
-- Set-based, no loop over days × loans: each loan's (active balance, overdue balance) is constant
-- between its change points — disbursement, principal payment days (R-OUT), and for every due d
-- the day d + overdue_dpd_threshold when it becomes late enough and its settled_on (R-DPD, from
-- due_status.sql). A due is "late" on [d + threshold, settled_on): the loan is overdue while any
-- due is late (a running +1/−1 count) and it is active. Each change point contributes the change
-- in the loan's values (one window per loan); daily totals are the running sum of those deltas.
-- Ratio/breach as in summary.sql (pw_ratio of macros.sql; strict breach decided on DECIMAL).
-- Reads engine-registered relations pw_flows, pw_due_status and table loans. Requires overdue_dpd_threshold >= 1.
-- Params: $start, $end, $overdue_dpd_threshold, $npl_halt_threshold, $npl_warning_threshold,
--         $scope_bank, $scope_guarantor, $scope_appraiser.
with

loans as (
    select loan_id, principal, disbursed_on
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

principal_changes as (
    select loan_id, paid_on as on_day, principal_paid, 0 as late_dues
    from pw_flows
    where principal_paid > 0
),

late_starts as (
    select loan_id, due_on + $overdue_dpd_threshold::integer as on_day, 0 as principal_paid, 1 as late_dues
    from pw_due_status
    where settled_on is null or settled_on > due_on + $overdue_dpd_threshold::integer
),

late_ends as (
    select loan_id, settled_on as on_day, 0 as principal_paid, -1 as late_dues
    from pw_due_status
    where settled_on > due_on + $overdue_dpd_threshold::integer
),

disbursements as (
    select loan_id, disbursed_on as on_day, 0 as principal_paid, 0 as late_dues
    from loans
),

changes as (
    select * from principal_changes
    union all select * from late_starts
    union all select * from late_ends
    union all select * from disbursements
),

per_day as (
    select changes.loan_id, changes.on_day, sum(changes.principal_paid) as principal_paid,
        sum(changes.late_dues) as late_dues
    from changes
    inner join loans using (loan_id)
    group by changes.loan_id, changes.on_day
),

states as (
    select
        per_day.loan_id,
        per_day.on_day,
        per_day.principal_paid,
        per_day.late_dues as late_change,
        loans.disbursed_on,
        loans.principal - sum(per_day.principal_paid) over loan_days as remaining,
        sum(per_day.late_dues) over loan_days as late_dues
    from per_day
    inner join loans using (loan_id)
    window loan_days as (partition by per_day.loan_id order by per_day.on_day
        rows between unbounded preceding and current row)
),

-- the loan's values after this change point and just before it; "before" needs no second window:
-- the previous change point's remaining = this one + what was paid today, its late count = this
-- one − today's change, and it lay on or after the disbursement exactly when today is after it
-- (the disbursement day is itself a change point)
before_after as (
    select
        on_day,
        on_day >= disbursed_on and remaining > 0 as active_now,
        on_day >= disbursed_on and remaining > 0 and late_dues > 0 as overdue_now,
        remaining,
        on_day > disbursed_on and remaining + principal_paid > 0 as active_before,
        on_day > disbursed_on and remaining + principal_paid > 0 and late_dues - late_change > 0 as overdue_before,
        remaining + principal_paid as remaining_before
    from states
),

loan_deltas as (
    select
        greatest(on_day, $start::date) as change_on,
        case when active_now then remaining else 0 end
            - case when active_before then remaining_before else 0 end as active_balance,
        active_now::integer - active_before::integer as active_loans,
        case when overdue_now then remaining else 0 end
            - case when overdue_before then remaining_before else 0 end as overdue_balance,
        overdue_now::integer - overdue_before::integer as overdue_loans
    from before_after
),

day_deltas as (
    select change_on, sum(active_balance) as active_balance, sum(active_loans) as active_loans,
        sum(overdue_balance) as overdue_balance, sum(overdue_loans) as overdue_loans
    from loan_deltas
    where change_on <= $end::date
    group by change_on
),

days as (
    select range::date as day
    from range($start::date, $end::date + interval 1 day, interval 1 day)
),

running as (
    select
        days.day,
        sum(coalesce(day_deltas.active_balance, 0)) over running_days as active_balance,
        sum(coalesce(day_deltas.overdue_balance, 0)) over running_days as overdue_balance,
        sum(coalesce(day_deltas.active_loans, 0)) over running_days as active_loans,
        sum(coalesce(day_deltas.overdue_loans, 0)) over running_days as overdue_loans
    from days
    left join day_deltas on days.day = day_deltas.change_on
    window running_days as (order by days.day rows between unbounded preceding and current row)
),

typed as (
    select
        day,
        active_balance::decimal(38, 2) as active_balance,
        overdue_balance::decimal(38, 2) as overdue_balance,
        active_loans::bigint as active_loans,
        overdue_loans::bigint as overdue_loans
    from running
),

final as (
    select
        day,
        active_balance,
        overdue_balance,
        active_loans,
        overdue_loans,
        pw_ratio(overdue_balance, active_balance) as npl_ratio,
        pw_breach(overdue_balance, active_balance, $npl_halt_threshold::decimal(18, 8)) as breach,
        pw_warning_band(overdue_balance, active_balance, $npl_warning_threshold::decimal(18, 8),
            $npl_halt_threshold::decimal(18, 8)) as warning_band
    from typed
)

select * from final
order by day
