-- stored_parties: one row per stored alert event (R-NOTIFY) with its loan and bank, the input of
-- alerts/recipients.sql when a run delivers everything still undelivered.
select kind, key, loan_id, bank from main.alert_events
