-- breakdown: one row per bank, guarantor or appraiser ($by) — the R-NPL ratio of its loans at
-- $as_of as a diagnostic (the halt trigger uses only the program-wide ratio), with balances and
-- counts. $by is bound, not formatted into SQL: 'bank' | 'guarantor' | 'appraiser'. A direct
-- pledge has no guarantor: it is grouped under null (shown as "direct / 直接质押" by callers).
-- Ratio as in summary.sql: DECIMAL(38,18) half-up, null with no active loan in the group.
-- Reads engine-registered relation pw_snapshot (snapshot.sql). Params: $by.
with

snapshot as (
    select
        *,
        case $by::varchar
            when 'bank' then bank
            when 'guarantor' then guarantor
            when 'appraiser' then appraiser
        end as grp
    from pw_snapshot
),

grouped as (
    select
        grp,
        count(*) filter (where active) as active_loans,
        count(*) filter (where overdue) as overdue_loans,
        coalesce(sum(outstanding) filter (where active), 0)::decimal(38, 2) as active_balance,
        coalesce(sum(outstanding) filter (where overdue), 0)::decimal(38, 2) as overdue_balance,
        count(*) filter (where active and dpd >= 60) as loans_60d
    from snapshot
    group by grp
),

final as (
    select
        grp as name,
        active_loans,
        overdue_loans,
        active_balance,
        overdue_balance,
        case when active_balance > 0 then
            (((overdue_balance * 100)::hugeint * 2000000000000000000::hugeint + (active_balance * 100)::hugeint)
                // (2 * (active_balance * 100)::hugeint))::decimal(38, 0) * 0.000000000000000001::decimal(38, 18)
        end::decimal(38, 18) as npl_ratio,
        loans_60d
    from grouped
)

select * from final
order by name nulls last
