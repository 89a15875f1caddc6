-- One row per data row of a repayment schedule (还款计划): typed values and _problems.
-- The bank-supplied schedule of R-SCHED (due date, principal due, interest due).
with source as (
    select * from raw_named
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.loan_id,
        source.due_on as due_on_raw,
        pw_date(source.due_on) as due_on,
        source.principal_due as principal_due_raw,
        pw_money(source.principal_due, list_contains($wan, 'principal_due')) as principal_due,
        source.interest_due as interest_due_raw,
        pw_money(source.interest_due, list_contains($wan, 'interest_due')) as interest_due,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
),

final as (
    select
        _row,
        loan_id,
        due_on,
        principal_due,
        interest_due,
        extras,
        list_filter([
            pw_check('loan_id', loan_id, loan_id, 'missing', true),
            pw_check('due_on', due_on_raw, due_on, pw_date_why(due_on_raw), true),
            pw_check('principal_due', principal_due_raw, principal_due, pw_money_why(principal_due_raw, list_contains($wan, 'principal_due')), true),
            pw_problem(principal_due < 0, 'principal_due', principal_due_raw, 'negative'),
            pw_check('interest_due', interest_due_raw, interest_due, pw_money_why(interest_due_raw, list_contains($wan, 'interest_due')), true),
            pw_problem(interest_due < 0, 'interest_due', interest_due_raw, 'negative')
        ], lambda p: p is not null) as _problems
    from typed
)

select * from final
