-- halt day: one row (or none outside the series) — the program-wide halt status and ratio at the
-- end of $day (R-HALT), read from pw_halt for the summary at a date.
with

final as (
    select day, halted, halted_since, npl_ratio
    from pw_halt
    where day = $day
)

select * from final
