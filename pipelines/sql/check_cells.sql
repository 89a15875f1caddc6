-- One row per cell of the sheet being loaded that cannot be stored, whatever its column: longer
-- than max_cell_chars, or holding a C0 control character other than tab, line feed and carriage
-- return (XLSX cannot hold one: every later export of it would fail). LEDGER.md "Bad input": the
-- row is rejected naming the column; the raw value is cut to the limit (problems.sql).
-- Template: <numbered> and <cells> are built by ingest.py only from the positional names c0, c1, …
-- of the reader, as in raw_named.sql; the column names a person reads travel as $cell_names.
with source as (
    select {numbered} from raw_src
),

suspects as (
    select _seq, [{cells}] as cells
    from source
    where ($check_lengths and greatest({lengths}) > $max_cell_chars)
       or ($check_controls and regexp_matches(concat({cells}), '[\x00-\x08\x0b\x0c\x0e-\x1f]'))
),

cells as (
    select _seq, unnest(cells) as raw, generate_subscripts(cells, 1) as pos
    from suspects
),

final as (
    select
        _seq + $row_offset as _row,
        $cell_names[pos] as column_name,
        raw as raw_value,
        case when length(raw) > $max_cell_chars then 'cell_too_long' else 'control_char' end as code,
        null::varchar as detail
    from cells
    where length(raw) > $max_cell_chars
       or regexp_matches(raw, '[\x00-\x08\x0b\x0c\x0e-\x1f]')
)

select * from final
