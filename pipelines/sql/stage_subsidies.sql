-- One row per data row of a subsidy-payments ledger (补贴发放): typed values and _problems.
-- What was actually paid out, shown beside the computed subsidies of R-SUB.
with source as (
    select * from raw_named
),

kinds as (
    select spelling, value from enum_alias where domain = 'subsidy_kind'
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.loan_id,
        source.kind as kind_raw,
        kinds.value as kind,
        source.amount as amount_raw,
        pw_money(source.amount, list_contains($wan, 'amount')) as amount,
        source.paid_on as paid_on_raw,
        pw_date(source.paid_on) as paid_on,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
    left join kinds on kinds.spelling = pw_enum_key(source.kind)
),

final as (
    select
        _row,
        loan_id,
        kind,
        amount,
        paid_on,
        extras,
        list_filter([
            pw_check('loan_id', loan_id, loan_id, 'missing', true),
            pw_check('kind', kind_raw, kind, 'bad_subsidy_kind', true),
            pw_check('amount', amount_raw, amount, pw_money_why(amount_raw, list_contains($wan, 'amount')), true),
            pw_problem(amount < 0, 'amount', amount_raw, 'negative'),
            pw_check('paid_on', paid_on_raw, paid_on, pw_date_why(paid_on_raw), true)
        ], lambda p: p is not null) as _problems
    from typed
)

select * from final
