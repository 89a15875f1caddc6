-- summary: one row — the portfolio (or scope) totals at the end of $as_of (R-NPL, R-HALT bands,
-- R-CLASS). Boundaries are decided on DECIMAL, never on a float ratio:
--   breach      = overdue > npl_halt_threshold × active (strictly: exactly 5.00% is no breach);
--   warning_band = npl_warning_threshold × active < overdue <= npl_halt_threshold × active;
--   headroom    = npl_halt_threshold × active − overdue (exact, not rounded);
--   npl_ratio   = overdue / active, null with no active loan: pw_ratio of macros.sql, DECIMAL(38,18)
--                 rounded half-up in integer arithmetic (DuckDB's DECIMAL division returns DOUBLE);
--   bank_npl_ratio = (次级+可疑+损失) balance / active balance — the banks' own 不良 ratio (R-CLASS),
--                 not the scheme's trigger ratio.
-- Reads engine-registered relation pw_snapshot (snapshot.sql). Params: $npl_halt_threshold, $npl_warning_threshold.
with

snapshot as (
    select * from pw_snapshot where active
),

totals as (
    select
        coalesce(sum(outstanding), 0)::decimal(38, 2) as active_balance,
        coalesce(sum(outstanding) filter (where overdue), 0)::decimal(38, 2) as overdue_balance,
        coalesce(sum(outstanding) filter (where risk_class in ('substandard', 'doubtful', 'loss')), 0)
            ::decimal(38, 2) as bank_npl_balance,
        count(*) as active_loans,
        count(*) filter (where overdue) as overdue_loans,
        count(*) filter (where risk_class in ('substandard', 'doubtful', 'loss')) as bank_npl_loans
    from snapshot
),

final as (
    select
        active_balance,
        overdue_balance,
        active_loans,
        overdue_loans,
        pw_ratio(overdue_balance, active_balance) as npl_ratio,
        pw_breach(overdue_balance, active_balance, $npl_halt_threshold::decimal(18, 8)) as breach,
        pw_warning_band(overdue_balance, active_balance, $npl_warning_threshold::decimal(18, 8),
            $npl_halt_threshold::decimal(18, 8)) as warning_band,
        ($npl_halt_threshold::decimal(18, 8) * active_balance - overdue_balance)::decimal(38, 10) as headroom,
        bank_npl_balance,
        bank_npl_loans,
        pw_ratio(bank_npl_balance, active_balance) as bank_npl_ratio
    from totals
)

select * from final
