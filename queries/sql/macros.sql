-- macros: scalar SQL macros the engine's queries share, created on the caller's connection by
-- queries.engine before any of them runs (temp macros: fine on a read-only connection).
--   pw_ratio(part, whole): part / whole of two DECIMAL money sums as DECIMAL(38,18), rounded
--   half-up in integer fen arithmetic (DuckDB's DECIMAL division returns DOUBLE, and no ratio
--   may pass through a float); null when whole is not positive (R-NPL: no active loan, no ratio).
--   Used for npl_ratio (R-NPL), bank_npl_ratio (R-CLASS) and balance shares.
create or replace temp macro pw_ratio(part, whole) as
    case when whole > 0 then
        (((part * 100)::hugeint * 2000000000000000000::hugeint + (whole * 100)::hugeint)
            // (2 * (whole * 100)::hugeint))::decimal(38, 0) * 0.000000000000000001::decimal(38, 18)
    end::decimal(38, 18);
