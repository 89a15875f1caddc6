-- stored_keys: one row per stored alert event (R-NOTIFY), its (kind, key): what was announced.
with

final as (
    select kind, key from main.alert_events
)

select * from final
