-- stored_parties: one row per stored alert event (R-NOTIFY) with its loan and bank, the input of
-- alerts/recipients.sql when a run delivers everything still undelivered.
with

final as (
    select kind, key, loan_id, bank from main.alert_events
)

select * from final
