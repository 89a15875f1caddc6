-- derived meta: one row — what the stored intermediates (derived_* tables, queries/derived.py) were
-- built from: the ledger stamp, the days of the stored series and the profile parameters (JSON).
-- Read only when the table exists (core/has_derived_meta.sql). No rule id: plumbing.
with

final as (
    select stamp, series_start, series_end, params
    from main.derived_meta
)

select * from final
