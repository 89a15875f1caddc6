-- halt_episodes: one row per halt episode (R-HALT) — start_on (first halted day), end_on (last
-- halted day; null while still halted at the end of the series), resume_on (the resume decision
-- that ended it = end_on + 1; null while ongoing), resume_while_breached (that resume was decided
-- on a day still in breach, which then opened the next episode on the same day; see halt.sql).
-- Reads engine-registered relation pw_halt (halt.sql).
with

halted_days as (
    select day, halted_since, resume_decided, resume_while_breached
    from pw_halt
    where halted
),

last_day as (
    select max(day) as series_end from pw_halt
),

episodes as (
    select halted_since as start_on, max(day) as last_halted
    from halted_days
    group by halted_since
),

final as (
    select
        episodes.start_on,
        case when episodes.last_halted < last_day.series_end then episodes.last_halted + 1 end as resume_on,
        case when episodes.last_halted < last_day.series_end then episodes.last_halted end as end_on,
        coalesce(next_day.resume_while_breached, false) as resume_while_breached
    from episodes
    cross join last_day
    left join pw_halt as next_day on next_day.day = episodes.last_halted + 1
)

select * from final
order by start_on
