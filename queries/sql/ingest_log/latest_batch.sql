-- latest batch: one row — the id of the latest ingest batch, 0 in an empty store (LEDGER.md: every
-- load is recorded); the dashboard keys its caches on it so that a new load shows at once.
with

final as (
    select coalesce(max(batch_id), 0) as latest_batch
    from ingest_batches
)

select * from final
