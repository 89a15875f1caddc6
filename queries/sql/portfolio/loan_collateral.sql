-- loan collateral: one row per pledged IP of $loan_id (collateral ledger), by ip_number (the loan
-- page; C8 and R-COVER read the same rows). expires_before_maturity: the right's protection ends
-- before the loan matures (ip_expires_on < matures_on; false when the expiry is not recorded) — the
-- loan page's warning beside C8, which measures from disbursement. R-SCOPE: none for a loan outside
-- the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser), as for an unknown one.
with

in_scope as (
    select loan_id
    from main.loans
    where loan_id = $loan_id::varchar
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

collateral as (
    select * exclude (extras, batch_id)
    from main.collateral
    where loan_id = $loan_id and loan_id in (select loan_id from in_scope)
),

loans as (
    select loan_id, matures_on from main.loans
),

final as (
    select
        collateral.*,
        coalesce(collateral.ip_expires_on < loans.matures_on, false) as expires_before_maturity
    from collateral
    left join loans using (loan_id)
)

select * from final
order by ip_number
