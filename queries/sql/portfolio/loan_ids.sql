-- loan ids: one row per loan of the loans ledger, by loan_id (the loan picker). No rule.
with

final as (
    select loan_id
    from loans
)

select * from final
order by loan_id
