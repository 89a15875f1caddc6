-- has_tables: one row — whether the store has the alert tables (R-NOTIFY; a store no writer has
-- opened since they were added has none, and a reader must not fail on it).
with

final as (
    select count(*) = 2 as present
    from information_schema.tables
    where table_schema = 'main' and table_name in ('alert_events', 'alert_acks')
)

select * from final
