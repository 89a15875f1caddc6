-- loan_records: one row per (bank, record date) of the loans in the optional scope — the dated
-- records R-FRESH counts: disbursements, repayments and risk events (notices, compensation,
-- recoveries, write-offs), each dated on or before $as_of.
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser.
with

loans as (
    select loan_id, bank, disbursed_on
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

dated as (
    select loan_id, disbursed_on as record_on from loans
    union all
    select loan_id, paid_on as record_on from main.repayments
    union all
    select loan_id, event_on as record_on from main.events
),

final as (
    select distinct loans.bank, dated.record_on
    from dated
    join loans using (loan_id)
    where dated.record_on <= $as_of::date
)

select * from final
