-- institutions: one row per (dimension, name) — the distinct banks, guarantors and appraisers
-- named in the loans ledger, for the dashboard's filter lists. No rule; params: none.
with

loans as (
    select bank, guarantor, appraiser from main.loans
),

final as (
    select distinct 'bank' as dimension, bank as name from loans
    union
    select distinct 'guarantor', guarantor from loans where guarantor is not null
    union
    select distinct 'appraiser', appraiser from loans
)

select * from final
order by dimension, name
