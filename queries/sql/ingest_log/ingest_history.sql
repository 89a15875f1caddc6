-- ingest_history: one row per ingest batch (LEDGER.md: every load is recorded), newest first,
-- with its rejects counted (data import page). Params: none.
with

batches as (
    select * from main.ingest_batches
),

reject_counts as (
    select batch_id, count(*) as reject_rows
    from main.rejects
    group by batch_id
),

final as (
    select
        batches.batch_id,
        batches.file_name,
        batches.sheet,
        batches.kind,
        batches.rows_read,
        batches.rows_loaded,
        batches.rows_unchanged,
        batches.rows_rejected,
        batches.outcome,
        batches.started_at,
        batches.message_zh,
        batches.message_en,
        coalesce(reject_counts.reject_rows, 0) as reject_rows
    from batches
    left join reject_counts using (batch_id)
)

select * from final
order by batch_id desc
