-- snapshot_probes: one row per loan disbursed on or before $as_of within the optional scope —
-- the probe (loan_id, at = $as_of) fed to loan_state.sql for the snapshot (R-OUT, R-DPD).
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser.
with

loans as (
    select loan_id
    from main.loans
    where disbursed_on <= $as_of::date
        and ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

final as (
    select loan_id, $as_of::date as at from loans
)

select * from final
