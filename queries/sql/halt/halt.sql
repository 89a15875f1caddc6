-- halt: one row per day of the program-wide daily series — halt status at the end of the day (R-HALT).
-- Decisions made here (RULES.md R-HALT leaves the day-level details to us):
--   * a trigger day is a breach day (overdue > npl_halt_threshold × active, strictly) or a day with
--     a decisions row kind = 'halt';
--   * a resume decision dated r ends the halt only when r is after the trigger that (re)opened it:
--     halted(t) ⇔ the latest trigger ≤ t exists and no resume decision lies in (that trigger, t];
--     so the halt runs through r − 1 and day r itself is not halted — unless r is itself a trigger
--     day (still breached, or a halt decision): then a new episode starts on r (a breach halts
--     "from that day"), and the resume is flagged (resume_while_breached);
--   * a resume dated on the very day the halt began, or while no halt is in force, does nothing;
--   * halted_since = first day of the current episode (a day is an episode start when it is halted
--     and the day before was not, or a resume on that day ended the previous episode);
--   * status = pw_status (macros.sql): 'halted' when halted, else 'warning' in the band
--     npl_warning_threshold < ratio <= npl_halt_threshold, else 'normal' (also with no active loan).
-- Reads engine-registered relation pw_series (npl_series.sql, program-wide, from the start of history) and decisions.
with

series as (
    select * from pw_series
),

decided as (
    select
        decided_on,
        bool_or(kind = 'halt') as halt_decided,
        bool_or(kind = 'resume') as resume_decided
    from main.decisions
    group by decided_on
),

marked as (
    select
        series.*,
        coalesce(decided.halt_decided, false) as halt_decided,
        coalesce(decided.resume_decided, false) as resume_decided
    from series
    left join decided on series.day = decided.decided_on
),

running as (
    select
        *,
        max(case when breach or halt_decided then day end) over running_days as last_trigger,
        max(case when resume_decided then day end) over running_days as last_resume
    from marked
    window running_days as (order by day rows between unbounded preceding and current row)
),

halted as (
    select
        *,
        last_trigger is not null and (last_resume is null or last_resume <= last_trigger) as halted
    from running
),

episode_starts as (
    select
        *,
        halted and (not coalesce(lag(halted) over (order by day), false) or resume_decided) as episode_start
    from halted
),

final as (
    select
        day,
        active_balance,
        overdue_balance,
        active_loans,
        overdue_loans,
        npl_ratio,
        breach,
        warning_band,
        halt_decided,
        resume_decided,
        resume_decided and breach as resume_while_breached,
        halted,
        case when halted then
            max(case when episode_start then day end) over (order by day rows between unbounded preceding
                and current row)
        end as halted_since,
        pw_status(halted, warning_band) as status
    from episode_starts
)

select * from final
order by day
