-- stored_keys: one row per stored alert event (R-NOTIFY), its (kind, key): what was announced.
select kind, key from main.alert_events
