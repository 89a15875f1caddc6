-- loan_changes: one row per (loan, change point) — the change in the loan's contribution to the
-- daily totals on that day (R-NPL, R-HALT; the per-loan half of ratio/npl_series.sql, which sums them
-- by day). Each loan's (active balance, overdue balance) is constant between its change points —
-- disbursement, principal payment days (R-OUT), and for every due d the day d + overdue_dpd_threshold
-- when it becomes late enough and its settled_on (R-DPD, from due_status.sql). A due is "late" on
-- [d + threshold, settled_on): the loan is overdue while any due is late (a running +1/−1 count) and
-- it is active. A loan's rows depend on its own ledger rows only, so the store refreshes them per loan
-- (queries/derived.py).
-- Reads engine-registered relations pw_flows, pw_due_status and table loans. Requires overdue_dpd_threshold >= 1.
-- Params: $overdue_dpd_threshold, $scope_bank, $scope_guarantor, $scope_appraiser.
with

loan_terms as (
    select loan_id, principal, disbursed_on
    from loans
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
    from loan_terms
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
    inner join loan_terms using (loan_id)
    group by changes.loan_id, changes.on_day
),

states as (
    select
        per_day.loan_id,
        per_day.on_day,
        per_day.principal_paid,
        per_day.late_dues as late_change,
        loan_terms.disbursed_on,
        loan_terms.principal - sum(per_day.principal_paid) over loan_days as remaining,
        sum(per_day.late_dues) over loan_days as late_dues
    from per_day
    inner join loan_terms using (loan_id)
    window loan_days as (partition by per_day.loan_id order by per_day.on_day
        rows between unbounded preceding and current row)
),

-- the loan's values after this change point and just before it; "before" needs no second window:
-- the previous change point's remaining = this one + what was paid today, its late count = this
-- one − today's change, and it lay on or after the disbursement exactly when today is after it
-- (the disbursement day is itself a change point)
before_after as (
    select
        loan_id,
        on_day,
        on_day >= disbursed_on and remaining > 0 as active_now,
        on_day >= disbursed_on and remaining > 0 and late_dues > 0 as overdue_now,
        remaining,
        on_day > disbursed_on and remaining + principal_paid > 0 as active_before,
        on_day > disbursed_on and remaining + principal_paid > 0 and late_dues - late_change > 0 as overdue_before,
        remaining + principal_paid as remaining_before
    from states
),

final as (
    select
        loan_id,
        on_day,
        case when active_now then remaining else 0 end
            - case when active_before then remaining_before else 0 end as active_balance,
        active_now::integer - active_before::integer as active_loans,
        case when overdue_now then remaining else 0 end
            - case when overdue_before then remaining_before else 0 end as overdue_balance,
        overdue_now::integer - overdue_before::integer as overdue_loans
    from before_after
)

select * from final
