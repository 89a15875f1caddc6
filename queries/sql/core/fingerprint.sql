-- fingerprint: one row — a digest of every ledger row the engine reads (loans, schedule,
-- repayments, events, decisions). The engine caches its intermediate results (pw_dues, pw_flows,
-- pw_due_status, pw_snapshot, pw_series, pw_halt) per digest and rebuilds them when it changes, so
-- that summary + snapshot + alerts at one date do the heavy work once. No rule id: plumbing.
-- Each row is hashed as ONE string (nullable columns with an is-null flag): DuckDB's multi-argument
-- hash(a, b, …) mixes its last argument in linearly, so two rows that swap their last values (say
-- two repayments swapping interest amounts) would leave a bit_xor of such hashes unchanged. The
-- row hashes are summed (HUGEINT, exact), not xor-ed, so duplicate rows do not cancel out.
with

parts as (
    select 'loans' as part, count(*) as n,
        sum(hash(concat_ws('|', loan_id, enterprise_name, credit_code, bank, pledge_mode, guarantor,
            guarantor is null, appraiser, principal, annual_rate, disbursed_on, matures_on))) as h
    from main.loans
    union all
    select 'schedule', count(*), sum(hash(concat_ws('|', loan_id, due_on, principal_due, interest_due)))
    from main.schedule
    union all
    select 'repayments', count(*),
        sum(hash(concat_ws('|', row_key, loan_id, paid_on, principal_paid, interest_paid)))
    from main.repayments
    union all
    select 'events', count(*),
        sum(hash(concat_ws('|', loan_id, event_on, kind, party, party is null, amount, amount is null)))
    from main.events
    union all
    select 'decisions', count(*), sum(hash(concat_ws('|', decided_on, kind))) from main.decisions
),

final as (
    select string_agg(part || ':' || n || ':' || coalesce(h, 0), ';' order by part) as fingerprint
    from parts
)

select * from final
