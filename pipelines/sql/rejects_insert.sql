-- Writes one rejects row per problem of the sheet, with the bilingual reason (messages.REASONS,
-- registered as the table reasons) and the detail filled in (LEDGER.md "Bad input").
insert into rejects (batch_id, file_name, sheet, row_number, column_name, raw_value, reason_zh, reason_en)
with found as (
    select * from problems
),

final as (
    select
        $batch_id as batch_id,
        $file_name as file_name,
        $sheet as sheet,
        found._row as row_number,
        found.column_name,
        found.raw_value,
        replace(reasons.reason_zh, '{detail}', coalesce(found.detail, '')) as reason_zh,
        replace(reasons.reason_en, '{detail}', coalesce(found.detail, '')) as reason_en
    from found
    join reasons on reasons.code = found.code
)

select * from final order by row_number, column_name
