-- One row per row of the sheet being loaded whose key an earlier sheet of the same delivery
-- already gave (LEDGER.md "Nothing is silently dropped or coerced"; issue 11 item 9): within one
-- delivery a second row for a key is not a correction of the first but a conflict, so the first
-- occurrence stays loaded and this row is rejected naming the file, sheet and row of the first.
-- A correction is a row for a stored key sent in a later delivery (merge_matched.sql).
-- Template: <table>, <key_cols> and <key_text> come from store.LEDGER_KEYS only (a key part may be
-- empty, e.g. an event's party, hence is not distinct from); delivered_<table> is written by
-- delivered_keys.sql after each earlier sheet of the kind.
with candidates as (
    select _row, {key_cols}
    from staged
    where len(_problems) = 0
      and _row not in (select _row from row_problems)
),

final as (
    select
        candidates._row,
        $key_label as column_name,
        {key_text} as raw_value,
        'duplicate_in_delivery' as code,
        delivered.first_place as detail
    from candidates
    join delivered_{table} as delivered on {delivered_match}
    join staged on staged._row = candidates._row
)

select * from final
