-- bank_freshness: one row per bank with active loans at $as_of in the scope (R-FRESH).
-- last_record_on = the latest date <= as_of among the bank's loans' disbursed_on, paid_on and event
-- dates (freshness/loan_records.sql); last_received = the day a file with rows of its loans was
-- last loaded, if <= as_of (freshness/loan_batches.sql). stale when as_of − greatest of the two
-- > $freshness_days (a bank whose borrowers stop paying but which still files is not stale);
-- first_stale_on = that latest date + freshness_days + 1, the first day it is stale.
-- Reads engine-registered relation pw_snapshot (dpd/snapshot.sql, already scoped) and the
-- relations fresh_records / fresh_batches (the two queries above, registered by queries/freshness.py).
-- Params: $as_of, $freshness_days.
with

active_banks as (
    select distinct bank from pw_snapshot where active
),

records as (
    select bank, max(record_on) as last_record_on from fresh_records group by bank
),

received as (
    select bank, max(received_on) as last_received from fresh_batches group by bank
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
