-- pending: one row per (event, recipient, channel) to send in run $run_id (R-NOTIFY delivery):
-- the recipients (alerts/recipients.sql over every stored event, registered as alert_recipients)
-- with an address for the channel (email / webhook), for events made since the account was
-- created, never sent successfully over that channel, with fewer than $max_attempts failed
-- attempts, and past the backoff: after f failures, the last in run r, not before run r + 2^(f-1).
-- Params: $run_id, $max_attempts.
with

addressed as (
    select r.kind, r.key, r.username, r.role, r.organisation, 'email' as channel, r.email as address
    from alert_recipients as r where r.email is not null and r.email <> ''
    union all
    select r.kind, r.key, r.username, r.role, r.organisation, 'webhook' as channel, r.webhook as address
    from alert_recipients as r where r.webhook is not null and r.webhook <> ''
),

attempts as (
    select
        kind, key, username, channel,
        bool_or(outcome = 'sent') as sent,
        count(*) filter (where outcome = 'failed') as failures,
        max(run_id) filter (where outcome = 'failed') as last_failed_run,
    from main.alert_deliveries
    group by kind, key, username, channel
),

final as (
    select a.*, e.event_on, e.loan_id, e.bank, e.detail, coalesce(t.failures, 0) as failures
    from addressed as a
    join main.alert_events as e using (kind, key)
    join main.users as u using (username)
    left join attempts as t using (kind, key, username, channel)
    where e.created_at >= u.created_at
        and not coalesce(t.sent, false)
        and coalesce(t.failures, 0) < $max_attempts::integer
        and (t.failures is null or t.failures = 0
             or $run_id::integer >= t.last_failed_run + pow(2, t.failures - 1)::integer)
)

select * from final
order by username, channel, event_on, kind, key
