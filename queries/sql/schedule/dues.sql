-- dues: one row per (loan_id, due_on) — what the loan owes on that date (R-SCHED).
-- A loan with any row in the supplied schedule uses that schedule as it is. Otherwise the
-- standard 按月付息、到期还本 schedule is generated here:
--   * interest falls due on day D of every month, strictly after disbursement and strictly
--     before maturity, D = the disbursement day-of-month (so from the next month on), or the
--     profile's interest_day when > 0 (then also later in the disbursement month itself: a loan
--     of 5 Jan with interest_day 20 first pays on 20 Jan, as banks settling on the 20th do),
--     clipped to the month's last day (31 Jan -> 28 Feb 2023 / 29 Feb 2024, 31 Mar, 30 Apr …);
--   * the last interest and the whole principal fall due on matures_on;
--   * interest of a period = principal × annual_rate × (actual days from the previous due date,
--     or disbursed_on, to this one) / 360, rounded half-up to 0.01. Computed in exact integer
--     arithmetic (see interest_parts) because DuckDB's DECIMAL division returns DOUBLE.
-- Params: $interest_day.
with

loan_terms as (
    select loan_id, principal, annual_rate, disbursed_on, matures_on
    from loans
),

supplied as (
    select loan_id, due_on, principal_due, interest_due, 'supplied' as source
    from schedule
),

to_generate as (
    select loan_terms.*
    from loan_terms
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
        principal,
        annual_rate,
        disbursed_on,
        matures_on,
        due_day,
        disbursed_month,
        unnest(range(0, datediff('month', disbursed_on, matures_on) + 1)) as month_number
    from anchored
),

-- the interest date in month k counted from the disbursement month (k = 0 only counts with a
-- fixed interest_day later in that month) and the one in month k − 1, which starts the period
-- unless it lies before the disbursement; computed directly rather than with a window
monthly as (
    select
        *,
        disbursed_month + to_months(month_number) as this_month,
        disbursed_month + to_months(month_number - 1) as last_month
    from month_numbers
),

monthly_dates as (
    select
        loan_id,
        principal,
        annual_rate,
        matures_on,
        make_date(year(this_month), month(this_month), least(due_day, day(last_day(this_month)))) as due_on,
        case when month_number = 0 then disbursed_on
             else greatest(disbursed_on,
                 make_date(year(last_month), month(last_month), least(due_day, day(last_day(last_month)))))
        end as period_start
    from monthly
),

interest_periods as (
    select loan_id, principal, annual_rate, matures_on, due_on, period_start
    from monthly_dates
    where due_on > period_start and due_on < matures_on
),

-- maturity: its period starts at the last monthly date before it, or at disbursement. The monthly
-- dates kept above are exactly the D-of-month dates strictly between disbursement and maturity,
-- so the last one is this month's (clipped) when it falls before maturity and after disbursement,
-- else the previous month's when it falls after disbursement, else there is none. Computed per
-- loan rather than as a max over its monthly rows (a join and a group by over every due).
maturity_dates as (
    select
        *,
        make_date(year(matures_on), month(matures_on),
            least(due_day, day(last_day(matures_on)))) as in_maturity_month,
        make_date(year(month_before), month(month_before),
            least(due_day, day(last_day(month_before)))) as in_month_before
    from (
        select *, (date_trunc('month', matures_on) - interval 1 month)::date as month_before
        from anchored
    )
),

maturity_periods as (
    select
        loan_id,
        principal,
        annual_rate,
        matures_on,
        matures_on as due_on,
        case
            when in_maturity_month < matures_on and in_maturity_month > disbursed_on then in_maturity_month
            when in_month_before > disbursed_on then in_month_before
            else disbursed_on
        end as period_start
    from maturity_dates
),

periods as (
    select *, due_on - period_start as period_days from interest_periods
    union all
    select *, due_on - period_start as period_days from maturity_periods
),

-- Exact half-up rounding of n / d with n = principal(fen) × k, k = rate(1e-8 units) × days and
-- d = 360 × 1e8, in BIGINT (HUGEINT is ~5× slower here): principal(fen) = p1 × 1e5 + p0,
-- a = p1 × k = 360000 × u + v, b = p0 × k; then round(n / d) = u + (200000 v + 2 b + d) // 2d.
-- Exact for principal < 10^10 yuan and rate × days < 400 (e.g. 100% for 400 days); beyond
-- that DuckDB raises an overflow error rather than returning a wrong amount.
interest_parts as (
    select
        loan_id,
        due_on,
        principal,
        matures_on,
        ((principal * 100)::bigint // 100000) * ((annual_rate * 100000000)::bigint * period_days) as a,
        ((principal * 100)::bigint % 100000) * ((annual_rate * 100000000)::bigint * period_days) as b
    from periods
),

generated as (
    select
        loan_id,
        due_on,
        case when due_on = matures_on then principal else 0 end::decimal(18, 2) as principal_due,
        (a // 360000 + (200000 * (a % 360000) + 2 * b + 36000000000) // 72000000000)::decimal(18, 0)
            * 0.01 as interest_fen_yuan,
        'generated' as source
    from interest_parts
),

final as (
    select loan_id, due_on, principal_due, interest_due, source
    from supplied
    union all
    select loan_id, due_on, principal_due, interest_fen_yuan::decimal(18, 2) as interest_due, source
    from generated
)

select * from final
