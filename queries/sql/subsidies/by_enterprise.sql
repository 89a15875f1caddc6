-- R-SUB by enterprise: one row per (year, credit_code, kind) — the report JSON's `subsidies` list —
-- the eligible subsidy summed over the enterprise's loans, after the caps. Reads
-- subsidy_eligible_rows (the output of subsidies/eligible.sql), registered by queries/subsidies.py
-- (a fixed view name, not user input). enterprise_name = the first non-null name in loan_id order;
-- confirmed = false when any part rests on an unconfirmed or carried-forward policy year.
with

eligible as (
    select * from subsidy_eligible_rows
),

per_enterprise as (
    select
        year,
        credit_code,
        kind,
        arg_min(enterprise_name, loan_id) filter (where enterprise_name is not null) as enterprise_name,
        sum(amount)::decimal(38, 2) as amount,
        bool_and(confirmed) as confirmed,
    from eligible
    group by year, credit_code, kind
),

final as (
    select year, credit_code, kind, enterprise_name, amount, confirmed
    from per_enterprise
)

select * from final
order by year, credit_code, case kind when 'interest' then 1 when 'appraisal_fee' then 2
                                      when 'guarantee_fee' then 3 else 4 end
