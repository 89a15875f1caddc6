-- Compliance C7: one row per loan (disbursed <= $as_of) that an enterprise's principal running
-- total for the calendar year takes over annual_cap_per_enterprise, and every later loan of that
-- enterprise that year. Running order: (disbursed_on, loan_id), so same-day loans count in
-- loan_id order. Inclusive cap: a total of exactly the cap passes, one yuan more fails.
-- Shared compliance columns: see compliance_terms.sql.
with

loans as (
    select loan_id, credit_code, enterprise_name, bank, principal, disbursed_on
    from loans
    where disbursed_on <= $as_of
),

running as (
    select
        *,
        year(disbursed_on) as cap_year,
        sum(principal) over (partition by credit_code, year(disbursed_on)
                             order by disbursed_on, loan_id
                             rows between unbounded preceding and current row) as year_total,
    from loans
),

final as (
    select
        loan_id,
        'C7' as rule,
        'compliance.C7' as rule_key,
        credit_code,
        enterprise_name,
        bank,
        disbursed_on,
        cap_year::varchar as item,
        year_total::decimal(24,8) as actual_value,
        $annual_cap_per_enterprise::decimal(24,8) as limit_value,
        null::date as actual_on,
        null::date as limit_on,
        to_json(struct_pack(cap_year, principal, year_total_before := year_total - principal, year_total,
                            annual_cap_per_enterprise := $annual_cap_per_enterprise::decimal(18,2)))::varchar
            as detail,
    from running
    where year_total > $annual_cap_per_enterprise::decimal(18,2)
)

select * from final
order by loan_id, rule
