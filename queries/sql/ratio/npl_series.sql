-- npl_series: one row per day from $start to $end — program (or scope) totals at the end of the
-- day, exact for every day (R-NPL, R-HALT needs every day, not only month ends).
-- Set-based, no loop over days × loans: the daily totals are the running sum of every loan's changes
-- (ratio/loan_changes.sql, registered as pw_loan_changes for the same scope), a change before $start
-- counting on $start. Ratio/breach as in summary.sql (pw_ratio of macros.sql; strict breach decided on
-- DECIMAL).
-- Reads engine-registered relation pw_loan_changes.
-- Params: $start, $end, $npl_halt_threshold, $npl_warning_threshold.
with

loan_deltas as (
    select
        greatest(on_day, $start::date) as change_on,
        active_balance,
        active_loans,
        overdue_balance,
        overdue_loans
    from pw_loan_changes
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
