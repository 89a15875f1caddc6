-- totals: one row — the program's coverage figures at the end of $as_of over the loans in scope
-- (R-COVER coverage_totals): lost_balance = Σ outstanding of active loans with a lost IP,
-- at_risk_balance = Σ outstanding of active loans with an at-risk IP, uncovered = Σ uncovered (each
-- loan's already rounded to 0.01), with the counts behind them.
-- Reads engine-registered relation collateral_coverage (coverage.sql at the same as_of and scope).
with

coverage as (
    select * from collateral_coverage where active
),

final as (
    select
        coalesce(sum(outstanding) filter (where has_lost), 0)::decimal(18, 2) as lost_balance,
        coalesce(sum(outstanding) filter (where has_at_risk), 0)::decimal(18, 2) as at_risk_balance,
        coalesce(sum(uncovered), 0)::decimal(18, 2) as uncovered,
        count(*) filter (where has_lost) as lost_loans,
        count(*) filter (where has_at_risk) as at_risk_loans,
        count(*) filter (where under_secured) as under_secured_loans,
    from coverage
)

select * from final
