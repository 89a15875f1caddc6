-- notice state: one row per loan with a compensation notice dated <= as_of — its first notice
-- (claim_notice_rows: claims/claim_notices.sql) beside the loan's outstanding principal and DPD at
-- the end of that day (claim_notice_probes: dpd/loan_state.sql at (loan_id, notice_on), R-OUT,
-- R-DPD), the relation notice_state that claims.sql and loss_sharing.sql read (R-COMP, R-LOSS).
-- Inner join: a notice for a loan the loans ledger does not know opens no claim.
with

notices as (
    select * from claim_notice_rows
),

state as (
    select * from claim_notice_probes
),

final as (
    select
        n.loan_id::varchar as loan_id,
        n.notice_on::date as notice_on,
        n.notice_count::bigint as notice_count,
        s.outstanding::decimal(18, 2) as outstanding,
        s.dpd::bigint as dpd,
    from notices as n
    join state as s on s.loan_id = n.loan_id and s."at" = n.notice_on
)

select * from final
order by loan_id
