-- macros: scalar SQL macros the engine's queries share, created on the caller's connection by
-- queries.engine before any of them runs (temp macros: fine on a read-only connection).
--   pw_ratio(part, whole): part / whole of two DECIMAL money sums as DECIMAL(38,18), rounded
--   half-up in integer fen arithmetic (DuckDB's DECIMAL division returns DOUBLE, and no ratio
--   may pass through a float); null when whole is not positive (R-NPL: no active loan, no ratio).
--   Used for npl_ratio (R-NPL), bank_npl_ratio (R-CLASS) and balance shares.
--   pw_breach(overdue, active, halt): R-HALT's trigger on DECIMAL, never on a float ratio — overdue
--   above halt × active, strictly (exactly 5.00% is no breach); false with no active loan.
--   pw_warning_band(overdue, active, warning, halt): warning × active < overdue <= halt × active.
--   pw_status(halted, warning_band): the program status of a day — 'halted', else 'warning' in the
--   band, else 'normal' (R-HALT); the one place these three words are decided (npl_series.sql and
--   summary.sql compute the bands, halt.sql / series_status.sql the status, engine.summary asks it).
--   pw_paid_off(as_of, tolerance): a table macro, one row per loan whose borrower repayments dated
--   <= as_of have cleared its principal within tolerance, with paid_off_on, the first day they did
--   (R-SUB: the year of the final principal repayment; subsidy_eligible.sql and subsidy_paid.sql).
--   Reads main.loans and main.repayments by their schema-qualified names, so a caller's CTE of the
--   same name cannot stand in for them.
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

create or replace temp macro pw_paid_off(as_of, tolerance) as table
    with principal_running as (
        select
            loan_id,
            paid_on,
            sum(principal_paid) over (partition by loan_id order by paid_on
                                      rows between unbounded preceding and current row) as cum_principal
        from main.repayments
        where paid_on <= as_of
    )
    select p.loan_id, min(p.paid_on) as paid_off_on
    from principal_running as p
    join main.loans as l using (loan_id)
    where p.cum_principal >= l.principal - tolerance
    group by p.loan_id;
