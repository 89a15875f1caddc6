-- R-SUB comparison: one row per (year, bank, credit code, kind): subsidy eligible (computed) beside
-- subsidy paid (ledger) and difference = paid - eligible. Reads the relations subsidy_eligible_rows
-- and subsidy_paid_rows (the outputs of subsidies/eligible.sql and subsidies/paid.sql) and
-- subsidy_policy, registered by queries/subsidies.py (fixed view names, not user input).
-- confirmed = the year has its own policy row and the bureau has confirmed it; false whenever the
-- eligible figure rests on an unconfirmed or carried-forward policy (or there is none).
with

eligible as (
    select year, bank, credit_code, kind, any_value(enterprise_name) as enterprise_name,
        sum(amount) as eligible, bool_and(confirmed) as confirmed
    from subsidy_eligible_rows
    group by year, bank, credit_code, kind
),

paid as (
    select year, bank, credit_code, kind, any_value(enterprise_name) as enterprise_name,
        sum(amount) as paid
    from subsidy_paid_rows
    group by year, bank, credit_code, kind
),

policy as (
    select year, confirmed from subsidy_policy
),

final as (
    select
        coalesce(e.year, p.year) as year,
        coalesce(e.bank, p.bank) as bank,
        coalesce(e.credit_code, p.credit_code) as credit_code,
        coalesce(e.enterprise_name, p.enterprise_name) as enterprise_name,
        coalesce(e.kind, p.kind) as kind,
        coalesce(e.eligible, 0)::decimal(18,2) as eligible,
        coalesce(p.paid, 0)::decimal(18,2) as paid,
        (coalesce(p.paid, 0) - coalesce(e.eligible, 0))::decimal(18,2) as difference,
        coalesce(e.confirmed, y.confirmed, false) as confirmed,
    from eligible as e
    full outer join paid as p
      on p.year = e.year and p.bank is not distinct from e.bank
     and p.credit_code is not distinct from e.credit_code and p.kind = e.kind
    left join policy as y on y.year = coalesce(e.year, p.year)
)

select * from final
order by year, bank, credit_code, kind
