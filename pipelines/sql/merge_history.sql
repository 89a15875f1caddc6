-- Keeps every stored row that a corrected row replaces in <kind>_history, stamped with the
-- replacing batch and time. Template: <table>, <key_join> from store.LEDGER_KEYS only.
insert into {table}_history by name
with incoming as (
    select good_rows.*
    from good_rows
    join merge_matched using (_row)
    where merge_matched._action = 'changed'
),

final as (
    select
        stored.*,
        $batch_id as replaced_by_batch,
        $replaced_at::timestamp as replaced_at
    from {table} as stored
    semi join incoming on {key_join}
)

select * from final
