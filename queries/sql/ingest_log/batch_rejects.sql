-- batch_rejects: one row per rejected cell/row of one ingest batch ($batch_id) — file, sheet,
-- row number, column, raw value and the reason in both languages (LEDGER.md "Bad input").
-- Params: $batch_id.
with

rejects as (
    select * from main.rejects where batch_id = $batch_id::integer
),

final as (
    select batch_id, file_name, sheet, row_number, column_name, raw_value, reason_zh, reason_en
    from rejects
)

select * from final
order by row_number, column_name
