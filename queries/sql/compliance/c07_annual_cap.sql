-- Compliance C7: one row per loan (disbursed <= $as_of) that an enterprise's principal running
-- total for the calendar year takes over annual_cap_per_enterprise, and every later loan of that
-- enterprise that year. Running order: (disbursed_on, loan_id), so same-day loans count in
-- loan_id order. Inclusive cap: a total of exactly the cap passes, one yuan more fails.
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

loans as (
    select loan_id, credit_code, principal, disbursed_on, year(disbursed_on) as cap_year
    from loans
    where disbursed_on <= $as_of
),

-- principal is never negative (the ledger rejects it), so a running total passes the cap only in
-- an enterprise-year whose whole total does: the running sums are needed there alone
over_cap as (
    select credit_code, cap_year
    from loans
    group by credit_code, cap_year
    having sum(principal) > $annual_cap_per_enterprise::decimal(18,2)
),

running as (
    select
        l.*,
        sum(l.principal) over (partition by l.credit_code, l.cap_year
                               order by l.disbursed_on, l.loan_id
                               rows between unbounded preceding and current row) as year_total,
    from loans as l
    semi join over_cap using (credit_code, cap_year)
),

final as (
    select r.loan_id, 'C7' as rule, r.cap_year::varchar as item, r.year_total::decimal(24,8) as actual_value,
        $annual_cap_per_enterprise::decimal(24,8) as limit_value, null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(cap_year := r.cap_year, principal := r.principal,
                            year_total_before := r.year_total - r.principal, year_total := r.year_total,
                            annual_cap_per_enterprise := $annual_cap_per_enterprise::decimal(18,2)))::varchar
            as detail,
    from running as r
    where r.year_total > $annual_cap_per_enterprise::decimal(18,2)
)

select * from final
order by loan_id
