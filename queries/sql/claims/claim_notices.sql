-- R-COMP / R-LOSS input: one row per loan with a compensation notice (代偿通知书) dated <= $as_of.
-- If a loan has several notices, the earliest opens the claim (later ones are re-sendings and
-- are only counted). queries/claims.py probes R-OUT / R-DPD at (loan_id, notice_on) for the
-- outstanding principal and DPD at the notice date. R-SCOPE: only the loans in the optional scope
-- ($scope_bank / $scope_guarantor / $scope_appraiser, null = no filter) open a claim here.
with

scoped_loans as (
    select loan_id
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

notices as (
    select loan_id, event_on
    from events
    where kind = 'compensation_notice' and event_on <= $as_of
        and loan_id in (select loan_id from scoped_loans)
),

final as (
    select
        loan_id,
        min(event_on) as notice_on,
        count(*) as notice_count,
    from notices
    group by loan_id
)

select * from final
order by loan_id
