-- Removes the stored rows that corrected rows replace (they are in history already).
-- Template: <table>, <key_join> from store.LEDGER_KEYS only.
delete from {table} as stored
using (
    select good_rows.*
    from good_rows
    join merge_matched using (_row)
    where merge_matched._action = 'changed'
) as incoming
where {key_join}
