-- portfolio_mix: one row per (dimension, segment) — active loans and their outstanding balance at
-- the as-of date by main pledged IP type and by industry (overview chart; R-OUT balances).
-- The balances are the engine's: the relation portfolio_snapshot is dpd.loan_snapshot's result
-- (loan_id, outstanding, active) registered by queries.portfolio.mix; industry from the loans ledger.
-- A loan pledging several kinds of IP counts under its main one (highest appraised value, then
-- ip_type), so the segments add up to the active balance.
with

snapshot as (
    select snap.loan_id, snap.outstanding, loans.industry
    from portfolio_snapshot as snap
    inner join main.loans as loans using (loan_id)
    where snap.active
),

collateral as (
    select loan_id, ip_type, coalesce(appraised_value, 0) as appraised_value
    from main.collateral
),

main_ip as (
    select loan_id, arg_max(ip_type, (appraised_value, ip_type)) as ip_type
    from collateral
    group by loan_id
),

by_ip_type as (
    select 'ip_type' as dimension, coalesce(main_ip.ip_type, 'unknown') as segment,
        count(*) as loans, sum(snapshot.outstanding)::decimal(38, 2) as balance
    from snapshot
    left join main_ip using (loan_id)
    group by all
),

by_industry as (
    select 'industry' as dimension, coalesce(nullif(industry, ''), 'unknown') as segment,
        count(*) as loans, sum(outstanding)::decimal(38, 2) as balance
    from snapshot
    group by all
),

final as (
    select * from by_ip_type
    union all
    select * from by_industry
)

select * from final
order by dimension, balance desc, segment
