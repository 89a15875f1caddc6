-- unacknowledged: one row — the number of inbox events (alerts/inbox.sql, registered as alert_inbox)
-- that the reader has not acknowledged (the sidebar's count, R-NOTIFY).
select count(*) filter (where not acknowledged) as unacknowledged from alert_inbox
