-- dues: one row per (loan_id, due_on) — what the loan owes on that date (R-SCHED).
-- A loan with any row in the supplied schedule uses that schedule as it is. Otherwise the
-- standard 按月付息、到期还本 schedule is generated here:
--   * interest falls due on day D of every month after the disbursement month and strictly
--     before maturity, D = profile interest_day when > 0, else the disbursement day-of-month,
--     clipped to the month's last day (31 Jan -> 28 Feb 2023 / 29 Feb 2024, 31 Mar, 30 Apr …);
--   * the last interest and the whole principal fall due on matures_on;
--   * interest of a period = principal × annual_rate × (actual days from the previous due date,
--     or disbursed_on, to this one) / 360, rounded half-up to 0.01. Computed in exact integer
--     arithmetic (fen × 1e-8 units) because DuckDB's DECIMAL division returns DOUBLE.
-- Params: $interest_day.
with

loans as (
    select loan_id, principal, annual_rate, disbursed_on, matures_on
    from main.loans
),

supplied as (
    select loan_id, due_on, principal_due, interest_due, 'supplied' as source
    from main.schedule
),

to_generate as (
    select loans.*
    from loans
    anti join (select distinct loan_id from supplied) as has_schedule using (loan_id)
),

anchored as (
    select
        *,
        case when $interest_day::integer > 0 then $interest_day::integer
             else day(disbursed_on) end as due_day,
        date_trunc('month', disbursed_on)::date as disbursed_month
    from to_generate
),

month_numbers as (
    select
        loan_id,
        due_day,
        disbursed_month,
        unnest(range(1, datediff('month', disbursed_on, matures_on) + 1)) as month_number
    from anchored
),

month_offsets as (
    select loan_id, due_day, (disbursed_month + to_months(month_number))::date as due_month
    from month_numbers
),

monthly_dates as (
    select
        loan_id,
        make_date(year(due_month), month(due_month), least(due_day, day(last_day(due_month)))) as due_on
    from month_offsets
),

due_dates as (
    select monthly_dates.loan_id, monthly_dates.due_on
    from monthly_dates
    inner join anchored using (loan_id)
    where monthly_dates.due_on < anchored.matures_on
    union all
    select loan_id, matures_on as due_on
    from anchored
),

periods as (
    select
        due_dates.loan_id,
        due_dates.due_on,
        anchored.principal,
        anchored.annual_rate,
        anchored.matures_on,
        due_dates.due_on - coalesce(
            lag(due_dates.due_on) over (partition by due_dates.loan_id order by due_dates.due_on),
            anchored.disbursed_on
        ) as period_days
    from due_dates
    inner join anchored using (loan_id)
),

generated as (
    select
        loan_id,
        due_on,
        case when due_on = matures_on then principal else 0 end::decimal(18, 2) as principal_due,
        -- n = principal(fen) × rate(1e-8) × days; interest(fen) = n / (360 × 1e8), half-up
        ((((principal * 100)::hugeint * (annual_rate * 100000000)::hugeint * period_days::hugeint) * 2
            + 36000000000::hugeint) // 72000000000::hugeint)::decimal(18, 0) * 0.01 as interest_fen_yuan,
        'generated' as source
    from periods
),

final as (
    select loan_id, due_on, principal_due, interest_due, source
    from supplied
    union all
    select loan_id, due_on, principal_due, interest_fen_yuan::decimal(18, 2) as interest_due, source
    from generated
)

select * from final
