-- break_count: one row — the program-wide headroom (R-HALT, unrounded) and loans_to_breach
-- (R-BREAK): active loans with DPD 0 at $as_of by outstanding descending (ties by loan_id); the
-- smallest k whose first k outstanding amounts sum to more than the headroom (DECIMAL comparison).
-- 0 when the headroom is negative; null when all of them together do not exceed it.
-- Reads engine-registered relation pw_snapshot (program-wide, R-SCOPE). Params: $npl_halt_threshold.
with

snapshot as (
    select * from pw_snapshot where active
),

totals as (
    select
        coalesce(sum(outstanding), 0)::decimal(38, 2) as active_balance,
        coalesce(sum(outstanding) filter (where overdue), 0)::decimal(38, 2) as overdue_balance
    from snapshot
),

headroom as (
    select ($npl_halt_threshold::decimal(18, 8) * active_balance - overdue_balance)::decimal(38, 10) as headroom
    from totals
),

ranked as (
    select
        row_number() over by_size as position,
        sum(outstanding) over (by_size rows between unbounded preceding and current row)::decimal(38, 2) as running
    from snapshot
    where dpd = 0
    window by_size as (order by outstanding desc, loan_id)
),

final as (
    select
        headroom.headroom,
        case
            when headroom.headroom < 0 then 0
            else (select min(position) from ranked where ranked.running > headroom.headroom)
        end::integer as loans_to_breach
    from headroom
)

select * from final
