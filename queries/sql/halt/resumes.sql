-- resumes: one row per recorded resume decision (R-HALT) — whether it ended a halt and whether it
-- was decided on a day whose ratio was still above the halt threshold (flagged, RULES.md: "a
-- resume decision on a day whose ratio is still above the threshold is itself flagged").
--   ended_halt = the program was halted the day before and the decision is after the day that
--                (re)opened that halt (see halt.sql: a resume on the opening day does nothing);
--   still_halted = the program is halted at the end of the decision day: the day is itself a
--                trigger day (a new halt starts on it), or the resume came on the opening day.
-- Reads engine-registered relation pw_halt (halt.sql).
with

halt_days as (
    select
        *,
        lag(halted) over (order by day) as halted_before,
        lag(halted_since) over (order by day) as halted_since_before
    from pw_halt
),

final as (
    select
        day as decided_on,
        npl_ratio,
        breach as resume_while_breached,
        coalesce(halted_before, false) and day > halted_since_before as ended_halt,
        halted as still_halted
    from halt_days
    where resume_decided
)

select * from final
order by decided_on
