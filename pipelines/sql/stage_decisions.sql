-- One row per data row of a program-decisions ledger (业务决定): typed values and _problems.
-- Resume / halt decisions of R-HALT.
with source as (
    select * from raw_named
),

kinds as (
    select spelling, value from enum_alias where domain = 'decision_kind'
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.decided_on as decided_on_raw,
        pw_date(source.decided_on) as decided_on,
        source.kind as kind_raw,
        kinds.value as kind,
        source.note,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
    left join kinds on kinds.spelling = pw_enum_key(source.kind)
),

final as (
    select
        _row,
        decided_on,
        kind,
        note,
        extras,
        list_filter([
            pw_check('decided_on', decided_on_raw, decided_on, pw_date_why(decided_on_raw), true),
            pw_check('kind', kind_raw, kind, 'bad_decision_kind', true)
        ], lambda p: p is not null) as _problems
    from typed
)

select * from final
