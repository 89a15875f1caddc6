-- One row per later occurrence of a key already used by an earlier good row of the same sheet
-- (LEDGER.md "a duplicate key inside the file"): the first occurrence loads, later ones are
-- rejected naming it. Template: <key_cols> and <key_text> are built from store.LEDGER_KEYS only.
with candidates as (
    select _row, {key_cols}, {key_text} as key_text
    from staged
    where len(_problems) = 0
      and _row not in (select _row from row_problems)
),

repeated as (
    select {key_cols}, min(_row) as first_row
    from candidates
    group by {key_cols}
    having count(*) > 1
),

final as (
    select
        candidates._row,
        $key_label as column_name,
        candidates.key_text as raw_value,
        'duplicate_key' as code,
        repeated.first_row::varchar as detail
    from candidates
    join repeated using ({key_cols})
    where candidates._row > repeated.first_row
)

select * from final
