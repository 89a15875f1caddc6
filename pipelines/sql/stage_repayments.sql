-- One row per data row of a repayments ledger (还款流水): typed values and _problems.
-- row_key is the bank's txn_id when given, else a digest of the canonical row values, so the
-- same payment sent again is recognised (LEDGER.md key). Feeds R-OUT and R-DPD.
with source as (
    select * from raw_named
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.loan_id,
        source.paid_on as paid_on_raw,
        pw_date(source.paid_on) as paid_on,
        source.principal_paid as principal_paid_raw,
        pw_money(source.principal_paid, list_contains($wan, 'principal_paid')) as principal_paid,
        source.interest_paid as interest_paid_raw,
        pw_money(source.interest_paid, list_contains($wan, 'interest_paid')) as interest_paid,
        source.txn_id,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
),

final as (
    select
        _row,
        coalesce(
            txn_id,
            'row:' || md5(concat_ws('|', loan_id, paid_on::varchar, principal_paid::varchar, interest_paid::varchar))
        ) as row_key,
        txn_id,
        loan_id,
        paid_on,
        principal_paid,
        interest_paid,
        extras,
        list_filter([
            pw_check('loan_id', loan_id, loan_id, 'missing', true),
            pw_check('paid_on', paid_on_raw, paid_on, pw_date_why(paid_on_raw), true),
            pw_check('principal_paid', principal_paid_raw, principal_paid, pw_money_why(principal_paid_raw, list_contains($wan, 'principal_paid')), true),
            pw_problem(principal_paid < 0, 'principal_paid', principal_paid_raw, 'negative'),
            pw_check('interest_paid', interest_paid_raw, interest_paid, pw_money_why(interest_paid_raw, list_contains($wan, 'interest_paid')), true),
            pw_problem(interest_paid < 0, 'interest_paid', interest_paid_raw, 'negative')
        ], lambda p: p is not null) as _problems
    from typed
)

select * from final
