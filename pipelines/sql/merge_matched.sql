-- One row per good incoming row whose key is already stored, with its action (LEDGER.md "The
-- same file loaded twice changes nothing. A corrected row for an existing key replaces it"):
-- same (identical to the stored row: left alone) or changed (replaces it; the old row goes to
-- history). Rows not listed here are new. Only matched rows are kept, so a load of new rows
-- does not copy the whole sheet once more.
-- Template: <table>, <key_join> and <same_row> come from store.LEDGER_KEYS / columns.KINDS only.
create or replace temp table merge_matched as
with incoming as (
    select * from good_rows
),

final as (
    select
        incoming._row,
        case when {same_row} then 'same' else 'changed' end as _action
    from incoming
    join {table} as stored on {key_join}
)

select * from final
