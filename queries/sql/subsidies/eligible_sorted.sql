-- R-SUB eligible rows in order: one row per (eligible loan, subsidy kind), subsidies/eligible.sql's
-- rows (registered by queries/subsidies.py as subsidy_eligible_rows, a fixed view name) by year,
-- credit_code, loan_id and kind in cut order (interest, appraisal_fee, guarantee_fee, patent_pledge):
-- one order for every list of them (a loan has one row per kind, so the order is total).
with

eligible as (
    select * from subsidy_eligible_rows
),

final as (
    select * from eligible
)

select * from final
order by year, credit_code, loan_id, case kind when 'interest' then 1 when 'appraisal_fee' then 2
                                              when 'guarantee_fee' then 3 else 4 end
