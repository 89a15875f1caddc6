-- loan_batches: one row per (bank, load batch) that wrote rows of the bank's loans (in the optional
-- scope) — R-FRESH's "a file with rows of its loans". Every ledger row keeps the batch that wrote
-- it (batch_id), and a replaced row keeps it in <kind>_history, so the loans, schedule, repayments,
-- events and collateral ledgers with their histories name every batch that brought a bank's rows.
-- (A file whose rows were all identical to what was stored wrote none, so it does not count.)
-- rows = the bank's rows that batch wrote. Only batches finished on or before $as_of.
-- Reads fresh_written (freshness/written.sql).
-- Params: $as_of, $scope_bank, $scope_guarantor, $scope_appraiser.
with

loans as (
    select loan_id, bank
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

per_batch as (
    select loans.bank, written.batch_id, count(*) as rows
    from fresh_written as written
    join loans using (loan_id)
    group by loans.bank, written.batch_id
),

final as (
    select
        per_batch.bank,
        per_batch.batch_id,
        per_batch.rows,
        batches.file_name,
        batches.sheet,
        batches.rows_rejected,
        batches.finished_at::date as received_on,
        batches.finished_at,
    from per_batch
    join main.ingest_batches as batches using (batch_id)
    where batches.finished_at is not null and batches.finished_at::date <= $as_of::date
)

select * from final
