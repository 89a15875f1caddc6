-- recipients: one row per (event of alert_batch, enabled user who receives it) — R-NOTIFY's
-- recipients by R-SCOPE: the bureau roles receive every event; a bank, guarantor or appraiser
-- user receives the events about loans whose bank / guarantor / appraiser is its organisation
-- (the loans ledger's parties, copied onto the event), every status_changed, and a bank user the
-- stale_bank and filing_pack events of its own bank. The loan's parties come from the loans
-- ledger. Reads the relation alert_batch (kind, key, loan_id, bank), registered by
-- queries/alerts.py, main.loans and main.users.
with

events as (
    select b.kind, b.key, b.loan_id, coalesce(l.bank, b.bank) as bank, l.guarantor, l.appraiser
    from alert_batch as b
    left join main.loans as l using (loan_id)
),

users as (
    select username, role, organisation, email, webhook
    from main.users
    where not disabled
),

final as (
    select events.kind, events.key, users.username, users.role, users.organisation, users.email, users.webhook
    from events
    join users on
        (users.role in ('bureau_admin', 'bureau_viewer') and events.kind <> 'filing_pack')
        or events.kind = 'status_changed'
        or (events.kind in ('stale_bank', 'filing_pack') and users.role = 'bank'
            and users.organisation = events.bank)
        or (events.loan_id is not null and (
            (users.role = 'bank' and users.organisation = events.bank)
            or (users.role = 'guarantor' and users.organisation = events.guarantor)
            or (users.role = 'appraiser' and users.organisation = events.appraiser)))
)

select * from final
order by kind, key, username
