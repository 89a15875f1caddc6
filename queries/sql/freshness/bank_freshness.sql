-- bank_freshness: one row per bank with active loans at $as_of in the scope (R-FRESH).
-- last_record_on = the latest date <= as_of among the bank's loans' disbursed_on, paid_on and event
-- dates (the dates freshness/loan_records.sql lists); last_received = the day a file with rows of
-- its loans was last loaded, if <= as_of (the batches of freshness/loan_batches.sql). stale when
-- as_of − greatest of the two > $freshness_days (a bank whose borrowers stop paying but which still
-- files is not stale); first_stale_on = that latest date + freshness_days + 1, the first day it is
-- stale. Both maxima are taken per loan first (a latest of latest dates is the latest date): the
-- 6 M ledger rows at 500k loans become one per loan before the join to the loans.
-- Reads engine-registered relation pw_snapshot (dpd/snapshot.sql, already scoped), the ledgers,
-- ingest_batches and fresh_written (freshness/written.sql: each ledger row's batch).
-- Params: $as_of, $freshness_days, $scope_bank, $scope_guarantor, $scope_appraiser.
with

active_banks as (
    select distinct bank from pw_snapshot where active
),

loans as (
    select loan_id, bank, disbursed_on
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

loan_last_record as (
    select loan_id, disbursed_on as record_on from loans where disbursed_on <= $as_of::date
    union all
    select loan_id, max(paid_on) from main.repayments where paid_on <= $as_of::date group by loan_id
    union all
    select loan_id, max(event_on) from main.events where event_on <= $as_of::date group by loan_id
),

records as (
    select loans.bank, max(r.record_on) as last_record_on
    from loan_last_record as r
    join loans using (loan_id)
    group by loans.bank
),

-- the load batches finished by as_of (a few rows), with the day
batches as (
    select batch_id, finished_at::date as received_on
    from main.ingest_batches
    where finished_at is not null and finished_at::date <= $as_of::date
),

loan_last_received as (
    select written.loan_id, max(batches.received_on) as received_on
    from fresh_written as written
    join batches using (batch_id)
    group by written.loan_id
),

received as (
    select loans.bank, max(r.received_on) as last_received
    from loan_last_received as r
    join loans using (loan_id)
    group by loans.bank
),

joined as (
    select
        active_banks.bank,
        records.last_record_on,
        received.last_received,
        greatest(records.last_record_on, received.last_received) as fresh_on,
    from active_banks
    left join records using (bank)
    left join received using (bank)
),

final as (
    select
        bank,
        last_record_on,
        last_received,
        $as_of::date - fresh_on as days_since,
        coalesce($as_of::date - fresh_on > $freshness_days::integer, true) as stale,
        fresh_on + $freshness_days::integer + 1 as first_stale_on,
    from joined
)

select * from final
order by bank
