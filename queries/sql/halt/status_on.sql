-- status_on: one row per requested day (pw_dates) — program status at the END of that day
-- (R-HALT): normal / warning / halted, the program-wide npl_ratio, halted_since. Used by C10
-- (status at the end of the day before disbursement). Days before the history starts are normal
-- with a null ratio. Reads engine-registered relations pw_dates (day) and pw_halt (halt.sql).
with

dates as (
    select distinct day::date as day from pw_dates
),

final as (
    select
        dates.day,
        coalesce(halt.status, 'normal') as status,
        halt.npl_ratio,
        coalesce(halt.halted, false) as halted,
        halt.halted_since
    from dates
    left join pw_halt as halt using (day)
)

select * from final
order by day
