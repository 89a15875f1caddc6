-- fingerprint: one row — a digest of every ledger row the engine reads (loans, schedule,
-- repayments, events, decisions). The engine caches its intermediate results (pw_dues, pw_flows,
-- pw_due_status, pw_series, pw_halt) per digest and rebuilds them when this changes, so
-- that summary + snapshot + alerts at one date do the heavy work once. No rule id: plumbing.
with

parts as (
    select 'loans' as part, count(*) as n,
        bit_xor(hash(loan_id, enterprise_name, credit_code, bank, pledge_mode, guarantor, appraiser, principal,
            annual_rate, disbursed_on, matures_on)) as h
    from main.loans
    union all
    select 'schedule', count(*), bit_xor(hash(loan_id, due_on, principal_due, interest_due)) from main.schedule
    union all
    select 'repayments', count(*), bit_xor(hash(row_key, loan_id, paid_on, principal_paid, interest_paid))
    from main.repayments
    union all
    select 'events', count(*), bit_xor(hash(loan_id, event_on, kind, party, amount)) from main.events
    union all
    select 'decisions', count(*), bit_xor(hash(decided_on, kind)) from main.decisions
),

final as (
    select string_agg(part || ':' || n || ':' || coalesce(h, 0), ';' order by part) as fingerprint
    from parts
)

select * from final
