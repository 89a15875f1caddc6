-- One row per data row of a risk-events ledger (风险事件): typed values and _problems.
-- amount is required for every kind except compensation_notice; party for compensation and recovery
-- (issue 11 item 11: without it a payment counts for nobody in R-COMP, so it is rejected, never
-- loaded silently). Feeds R-COMP, R-LOSS, R-BAN, R-OUT.
with source as (
    select * from raw_named
),

kinds as (
    select spelling, value from enum_alias where domain = 'event_kind'
),

parties as (
    select spelling, value from enum_alias where domain = 'party'
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.loan_id,
        source.event_on as event_on_raw,
        pw_date(source.event_on) as event_on,
        source.kind as kind_raw,
        kinds.value as kind,
        source.party as party_raw,
        parties.value as party,
        source.amount as amount_raw,
        pw_money(source.amount, list_contains($wan, 'amount')) as amount,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
    left join kinds on kinds.spelling = pw_enum_key(source.kind)
    left join parties on parties.spelling = pw_enum_key(source.party)
),

final as (
    select
        _row,
        loan_id,
        event_on,
        kind,
        party,
        amount,
        extras,
        list_filter([
            pw_check('loan_id', loan_id, loan_id, 'missing', true),
            pw_check('event_on', event_on_raw, event_on, pw_date_why(event_on_raw), true),
            pw_check('kind', kind_raw, kind, 'bad_event_kind', true),
            pw_check('party', party_raw, party, 'bad_party', false),
            pw_check('amount', amount_raw, amount, pw_money_why(amount_raw, list_contains($wan, 'amount')), kind is distinct from 'compensation_notice'),
            pw_problem(amount < 0, 'amount', amount_raw, 'negative'),
            pw_problem(kind in ('compensation', 'recovery') and party_raw is null, 'party', party_raw, 'party_required')
        ], lambda p: p is not null) as _problems
    from typed
)

select * from final
