-- One row per problem found in the sheet being loaded: every bad cell of every row (the
-- _problems lists of the stage) plus the row-level problems (unknown loan, duplicate key).
with cell_problems as (
    select
        _row,
        unnest(_problems, recursive := true),
        null::varchar as detail
    from staged
    where len(_problems) > 0
),

final as (
    select _row, column_name, raw_value, code, detail from cell_problems
    union all
    select _row, column_name, raw_value, code, detail from row_problems
)

select * from final
