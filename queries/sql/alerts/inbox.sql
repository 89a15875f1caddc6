-- inbox: one row per stored alert event (R-NOTIFY) in the scope of the reader — newest first — with
-- whether $username acknowledged it, and who and when. Scope as alerts/recipients.sql for the
-- reader's role and organisation (R-SCOPE): the bureau ($role bureau_*) sees every event but the
-- banks' filing packs; a party sees events about its loans, status_changed, and a bank its own
-- stale_bank and filing_pack. $kind null = every kind.
-- Params: $username, $role, $organisation, $kind.
with

events as (
    select * from main.alert_events
    where $kind::varchar is null or kind = $kind::varchar
),

scoped as (
    select * from events
    where ($role::varchar in ('bureau_admin', 'bureau_viewer') and kind <> 'filing_pack')
        or kind = 'status_changed'
        or (kind in ('stale_bank', 'filing_pack') and $role::varchar = 'bank' and bank = $organisation::varchar)
        or (loan_id is not null and (
            ($role::varchar = 'bank' and bank = $organisation::varchar)
            or ($role::varchar = 'guarantor' and guarantor = $organisation::varchar)
            or ($role::varchar = 'appraiser' and appraiser = $organisation::varchar)))
),

final as (
    select
        s.event_on,
        s.kind,
        s.key,
        s.loan_id,
        s.bank,
        s.detail,
        a.username is not null as acknowledged,
        a.acked_at,
    from scoped as s
    left join main.alert_acks as a on a.kind = s.kind and a.key = s.key and a.username = $username::varchar
)

select * from final
order by event_on desc, kind, key
