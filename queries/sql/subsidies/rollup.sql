-- subsidy_rollup: one row per grouping — eligible, paid and difference (R-SUB) summed by year, by
-- kind, by bank, by enterprise, and the grand total (grouping = 'total'). confirmed is false when
-- any part of the group rests on a policy year the bureau has not confirmed.
-- Reads the relation subsidy_comparison_rows: queries.subsidies.comparison's rows (year, bank,
-- credit_code, enterprise_name, kind, eligible, paid, difference, confirmed) registered by
-- queries.subsidies.rollup (a fixed view name).
with

comparison as (
    select * from subsidy_comparison_rows
),

grouped as (
    select
        case
            when grouping(year) = 0 then 'year'
            when grouping(kind) = 0 then 'kind'
            when grouping(bank) = 0 then 'bank'
            when grouping(credit_code) = 0 then 'enterprise'
            else 'total'
        end as grouping,
        year,
        kind,
        bank,
        credit_code,
        enterprise_name,
        sum(eligible)::decimal(38, 2) as eligible,
        sum(paid)::decimal(38, 2) as paid,
        sum(difference)::decimal(38, 2) as difference,
        bool_and(confirmed) as confirmed
    from comparison
    group by grouping sets ((year), (kind), (bank), (credit_code, enterprise_name), ())
),

final as (
    select * from grouped
)

select * from final
order by grouping, year, kind, bank, credit_code
