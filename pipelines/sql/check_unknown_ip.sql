-- One row per staged ip_status row whose ip_number is pledged for no loan of the program (not in
-- the collateral ledger; LEDGER.md ip_status: "rows for IP not pledged in the program are
-- rejected"). Collateral loads before ip_status (store.LOAD_ORDER), so a directory's own
-- collateral file counts.
with staged_rows as (
    select _row, ip_number from staged where ip_number is not null and len(_problems) = 0
),

known as (
    select distinct ip_number from collateral
),

final as (
    select
        staged_rows._row,
        'ip_number' as column_name,
        staged_rows.ip_number as raw_value,
        'unknown_ip' as code,
        null::varchar as detail
    from staged_rows
    anti join known on known.ip_number = staged_rows.ip_number
)

select * from final
