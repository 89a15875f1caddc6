-- insert_events: store the run's new alert events (R-NOTIFY), the relation alert_new registered by
-- queries/alerts.py, with the loan's bank, guarantor and appraiser from the loans ledger (R-SCOPE:
-- who receives it); an event already stored under its (kind, key) is never stored again.
-- Params: $created_at.
insert into main.alert_events (kind, key, event_on, loan_id, bank, guarantor, appraiser, detail, created_at)
with

final as (
    select n.kind, n.key, n.event_on, n.loan_id, coalesce(l.bank, n.bank) as bank, l.guarantor, l.appraiser,
        n.detail, $created_at::timestamp as created_at
    from alert_new as n
    left join main.loans as l using (loan_id)
)

select * from final
on conflict do nothing
