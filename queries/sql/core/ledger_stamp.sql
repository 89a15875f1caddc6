-- ledger_stamp: one row — a cheap identity of the ledgers' current state: the latest ingest batch
-- and the row count of every ledger the engine reads (loans, schedule, repayments, events,
-- decisions; subsidies for the latest ledger date that ends the series). No rule id: plumbing.
-- Every write to these tables goes through pipelines.ingest, which opens a new batch per sheet,
-- so a load or a correction always changes the stamp. The stored intermediates (stored.py,
-- derived_meta) are used only while their stamp equals this one; counts are kept as well so
-- that rows written outside ingest (tests, hand edits) also invalidate them in the usual cases.
with

parts as (
    select 'batch' as part, coalesce(max(batch_id), 0) as n from main.ingest_batches
    union all select 'loans', count(*) from main.loans
    union all select 'schedule', count(*) from main.schedule
    union all select 'repayments', count(*) from main.repayments
    union all select 'events', count(*) from main.events
    union all select 'decisions', count(*) from main.decisions
    union all select 'subsidies', count(*) from main.subsidies
),

final as (
    select string_agg(part || ':' || n, ';' order by part) as stamp
    from parts
)

select * from final
