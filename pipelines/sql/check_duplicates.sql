-- One row per later occurrence of a key already used by an earlier good row of the same sheet
-- (LEDGER.md "a duplicate key inside the file"): the first occurrence loads, later ones are
-- rejected naming it. Keys are first compared by their hash (a cheap integer grouping over
-- millions of rows); only rows whose hash repeats are compared on the real key values.
-- Template: <key_cols>, <key_match> and <key_text> are built from store.LEDGER_KEYS only (a key
-- part may be empty, e.g. an event's party, hence is not distinct from).
with candidates as (
    select _row, {key_cols}, hash({key_cols}) as key_hash
    from staged
    where len(_problems) = 0
      and _row not in (select _row from row_problems)
),

repeated_hashes as (
    select key_hash from candidates group by key_hash having count(*) > 1
),

suspects as (
    select * from candidates semi join repeated_hashes using (key_hash)
),

repeated as (
    select {key_cols}, min(_row) as first_row
    from suspects
    group by {key_cols}
    having count(*) > 1
),

final as (
    select
        suspects._row,
        $key_label as column_name,
        {key_text} as raw_value,
        'duplicate_key' as code,
        repeated.first_row::varchar as detail
    from suspects
    join repeated on {key_match}
    join staged on staged._row = suspects._row
    where suspects._row > repeated.first_row
)

select * from final
