-- breakdown: one row per bank, guarantor or appraiser ($by) — the R-NPL ratio of its loans at
-- $as_of as a diagnostic (the halt trigger uses only the program-wide ratio), with balances and
-- counts. $by is bound, not formatted into SQL: 'bank' | 'guarantor' | 'appraiser'. A direct
-- pledge has no guarantor: it is grouped under null (shown as "direct / 直接质押" by callers).
-- Ratio: pw_ratio of macros.sql (DECIMAL(38,18) half-up), null with no active loan in the group.
-- Reads engine-registered relation pw_snapshot (snapshot.sql, already scoped: R-SCOPE, a scoped user's
-- breakdown is of its own loans only). Params: $by.
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
        pw_ratio(overdue_balance, active_balance) as npl_ratio,
        loans_60d
    from grouped
)

select * from final
order by name nulls last
