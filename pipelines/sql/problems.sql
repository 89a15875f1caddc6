-- One row per problem found in the sheet being loaded: every bad cell of every row (the
-- _problems lists of the stage) plus the row-level problems (unknown loan, duplicate key, a cell
-- too long or with a control character). The raw value is kept as a person can read and export it:
-- cut to max_cell_chars, control characters shown as their pictures (␀, ␋, …; $controls and
-- $pictures from ingest.py).
with cell_problems as (
    select
        _row,
        unnest(_problems, recursive := true),
        null::varchar as detail
    from staged
    where len(_problems) > 0
),

found as (
    select _row, column_name, raw_value, code, detail from cell_problems
    union all
    select _row, column_name, raw_value, code, detail from row_problems
),

final as (
    select
        _row,
        column_name,
        translate(left(raw_value, $max_cell_chars), $controls, $pictures) as raw_value,
        code,
        detail
    from found
)

select * from final
