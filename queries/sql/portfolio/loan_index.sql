-- loan search index: one row per loan of the loans ledger — its id, enterprise, credit code and
-- bank, and the picker's label 'id · enterprise · credit code · bank', by loan_id (the loan pickers
-- search these: 正邦 or a credit code finds the loan).
-- R-SCOPE: only the loans in the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser,
-- null = no filter).
with

loans_ledger as (
    select loan_id, enterprise_name, credit_code, bank
    from loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

final as (
    select
        loan_id,
        enterprise_name,
        credit_code,
        bank,
        concat_ws(' · ', loan_id, enterprise_name, credit_code, bank) as label,
    from loans_ledger
)

select * from final
order by loan_id
