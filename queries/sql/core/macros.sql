-- macros: scalar SQL macros the engine's queries share, created on the caller's connection by
-- queries/derived.py before any of them runs (temp macros: fine on a read-only connection).
--   pw_ratio(part, whole): part / whole of two DECIMAL money sums as DECIMAL(38,18), rounded
--   half-up in integer fen arithmetic (DuckDB's DECIMAL division returns DOUBLE, and no ratio
--   may pass through a float); null when whole is not positive (R-NPL: no active loan, no ratio).
--   Used for npl_ratio (R-NPL), bank_npl_ratio (R-CLASS) and balance shares.
--   pw_breach(overdue, active, halt): R-HALT's trigger on DECIMAL, never on a float ratio — overdue
--   above halt × active, strictly (exactly 5.00% is no breach); false with no active loan.
--   pw_warning_band(overdue, active, warning, halt): warning × active < overdue <= halt × active.
--   pw_status(halted, warning_band): the program status of a day — 'halted', else 'warning' in the
--   band, else 'normal' (R-HALT); the one place these three words are decided (npl_series.sql and
--   summary.sql compute the bands, halt.sql / series_status.sql the status, ratio.summary asks it).
create or replace temp macro pw_ratio(part, whole) as
    case when whole > 0 then
        (((part * 100)::hugeint * 2000000000000000000::hugeint + (whole * 100)::hugeint)
            // (2 * (whole * 100)::hugeint))::decimal(38, 0) * 0.000000000000000001::decimal(38, 18)
    end::decimal(38, 18);

create or replace temp macro pw_breach(overdue, active, halt) as
    active > 0 and overdue > halt * active;

create or replace temp macro pw_warning_band(overdue, active, warning, halt) as
    active > 0 and overdue > warning * active and overdue <= halt * active;

create or replace temp macro pw_status(halted, warning_band) as
    case when halted then 'halted' when warning_band then 'warning' else 'normal' end;

-- pw_quotient(n, m): n / m of two non-negative integers (HUGEINT) as DECIMAL(38,18), rounded half-up
-- at the 18th decimal by long division in two chunks of 9 digits, so that n × 10^18 never has to fit
-- (R-COVER's ltv = outstanding × Σ weights ÷ (pledge value × Σ kept weights)); null when m is 0.
create or replace temp macro pw_quotient(n, m) as
    case when m > 0 then
        (n // m)::decimal(38, 0)::decimal(38, 18)
        + ((n % m) * 1000000000 // m)::decimal(38, 0) * 0.000000001::decimal(38, 18)
        + ((((n % m) * 1000000000 % m) * 2000000000 + m) // (2 * m))::decimal(38, 0)
            * 0.000000000000000001::decimal(38, 18)
    end::decimal(38, 18);
