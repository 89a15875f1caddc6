-- R-SUB paid side: one row per subsidy payment (subsidies ledger) dated <= $as_of, with the year
-- it belongs to: the year of the loan's final principal repayment by the borrower (the year the
-- eligible side reports it under, whenever the bureau paid it), else the year of paid_on.
-- Reads subsidy_paid_off (subsidies/paid_off.sql), registered by queries/subsidies.py.
-- R-SCOPE: with a scope ($scope_bank / $scope_guarantor / $scope_appraiser) only the payments for
-- the loans in it (no scope: every payment, also one naming a loan the ledger does not know).
with

loans as (
    select loan_id, credit_code, enterprise_name, bank, principal
    from loans
),

scoped_loans as (
    select loan_id
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

payments as (
    select loan_id, kind, amount, paid_on
    from subsidies
    where paid_on <= $as_of
        and (($scope_bank::varchar is null and $scope_guarantor::varchar is null
              and $scope_appraiser::varchar is null)
             or loan_id in (select loan_id from scoped_loans))
),

paid_off as (
    select * from subsidy_paid_off  -- subsidies/paid_off.sql
),

final as (
    select
        coalesce(year(o.paid_off_on), year(p.paid_on)) as year,
        case when o.paid_off_on is null then 'paid_on' else 'repayment' end as year_basis,
        l.credit_code,
        l.enterprise_name,
        l.bank,
        p.loan_id,
        p.kind,
        p.amount,
        p.paid_on,
    from payments as p
    left join loans as l using (loan_id)
    left join paid_off as o using (loan_id)
)

select * from final
order by year, credit_code, loan_id, kind, paid_on
