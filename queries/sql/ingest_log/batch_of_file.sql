-- batch of a file: one row — the first batch that loaded a file with SHA-256 $sha256, null when the
-- file is new (LEDGER.md: a file already loaded is skipped; the import page says so before loading).
with

batches as (
    select batch_id, sha256
    from ingest_batches
),

final as (
    select min(batch_id) as batch_id
    from batches
    where sha256 = $sha256
)

select * from final
