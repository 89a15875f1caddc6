-- One row per data row of an LPR ledger (LPR 利率表): typed values and _problems.
-- New or corrected 1-year LPR fixings used by C4 and R-SUB.
with source as (
    select * from raw_named
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.effective_on as effective_on_raw,
        pw_date(source.effective_on) as effective_on,
        source.rate as rate_raw,
        pw_rate(source.rate, list_contains($pct, 'rate')) as rate,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
),

final as (
    select
        _row,
        effective_on,
        rate,
        extras,
        list_filter([
            pw_check('effective_on', effective_on_raw, effective_on, pw_date_why(effective_on_raw), true),
            pw_check('rate', rate_raw, rate, 'bad_rate', true),
            pw_problem(rate < 0 or rate >= 1, 'rate', rate_raw, 'rate_range')
        ], lambda p: p is not null) as _problems
    from typed
)

select * from final
