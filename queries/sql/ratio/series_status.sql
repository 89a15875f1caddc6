-- series_status: one row per day of a (possibly scoped) daily NPL series (pw_scoped_series) with
-- the program-wide halt of that day (pw_halt) — R-NPL, R-HALT. halted / halted_since are always
-- program-wide (the trigger uses the program-wide ratio); status = 'halted' on halted days, else
-- the warning band of this series' own ratio. $month_end_only keeps the last day of each month.
-- Reads engine-registered relations pw_scoped_series (npl_series.sql) and pw_halt (halt.sql). Params: $start, $end, $month_end_only.
with

series as (
    select * from pw_scoped_series where day >= $start::date and day <= $end::date
),

final as (
    select
        series.day,
        series.active_balance,
        series.overdue_balance,
        series.active_loans,
        series.overdue_loans,
        series.npl_ratio,
        series.breach,
        series.warning_band,
        pw_status(coalesce(halt.halted, false), series.warning_band) as status,
        coalesce(halt.halted, false) as halted,
        halt.halted_since
    from series
    left join pw_halt as halt on series.day = halt.day
    where not $month_end_only::boolean or series.day = last_day(series.day)
)

select * from final
order by day
