-- Compliance C1-C6 and C11: one row per (loan, broken rule) among loans disbursed <= $as_of,
-- checking each loan's own terms. Columns shared by every compliance_*.sql file:
--   actual_value / limit_value (DECIMAL, the figure and its limit), actual_on / limit_on (dates),
--   item (the offending thing, e.g. the guarantor named), detail (JSON text of every value used).
-- C1 principal <= max_single_loan
-- C2 matures_on <= disbursed_on + max_term_years years (same calendar day; 29 Feb -> 28 Feb)
-- C3 principal <= max_pledge_rate x pledge value, pledge value = least(appraised, fair) when fair given
-- C4 annual_rate <= LPR in force on disbursed_on (latest lpr.effective_on <= disbursed_on)
--    + max_rate_spread_over_lpr; a loan disbursed before any LPR on record cannot pass (lpr null)
-- C5 guarantee_fee <= max_guarantee_fee_rate x principal (no fee recorded: nothing to check)
-- C6 appraisal_fee <= max_appraisal_fee_rate x principal (no fee recorded: nothing to check)
-- C11 an indirect pledge names a guarantor; a direct pledge names none (blank = none)
-- All comparisons in DECIMAL: exactly 60 % passes C3, 3.50 % with LPR 3.00 % passes C4.
with

loans as (
    select *
    from loans
    where disbursed_on <= $as_of
),

lpr as (
    select effective_on, rate
    from lpr
),

priced as (
    select
        l.*,
        least(l.appraised_value, coalesce(l.fair_value, l.appraised_value)) as pledge_value,
        r.rate as lpr_rate,
        r.effective_on as lpr_effective_on,
        (l.disbursed_on + to_years($max_term_years::integer))::date as latest_maturity,
        nullif(trim(coalesce(l.guarantor, '')), '') as guarantor_named,
    from loans as l
    asof left join lpr as r on l.disbursed_on >= r.effective_on
),

c1 as (
    select loan_id, 'C1' as rule, null as item,
        principal::decimal(24,8) as actual_value, $max_single_loan::decimal(24,8) as limit_value,
        null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(principal, max_single_loan := $max_single_loan::decimal(18,2))) as detail,
    from priced
    where principal > $max_single_loan::decimal(18,2)
),

c2 as (
    select loan_id, 'C2' as rule, null as item,
        null::decimal(24,8) as actual_value, null::decimal(24,8) as limit_value,
        matures_on as actual_on, latest_maturity as limit_on,
        to_json(struct_pack(disbursed_on, matures_on, latest_maturity,
                            max_term_years := $max_term_years::integer)) as detail,
    from priced
    where matures_on > latest_maturity
),

c3 as (
    select loan_id, 'C3' as rule, null as item,
        principal::decimal(24,8) as actual_value,
        (pledge_value * $max_pledge_rate::decimal(9,4))::decimal(24,8) as limit_value,
        null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(principal, appraised_value, fair_value, pledge_value,
                            max_pledge_rate := $max_pledge_rate::decimal(9,4),
                            pledge_rate := round(principal / nullif(pledge_value, 0), 6))) as detail,
    from priced
    where principal > pledge_value * $max_pledge_rate::decimal(9,4)
),

c4 as (
    select loan_id, 'C4' as rule, null as item,
        annual_rate::decimal(24,8) as actual_value,
        (lpr_rate + $max_rate_spread_over_lpr::decimal(12,8))::decimal(24,8) as limit_value,
        disbursed_on as actual_on, lpr_effective_on as limit_on,
        to_json(struct_pack(annual_rate, lpr_rate, lpr_effective_on,
                            spread := $max_rate_spread_over_lpr::decimal(12,8),
                            spread_over_lpr := annual_rate - lpr_rate)) as detail,
    from priced
    where lpr_rate is null
       or annual_rate > lpr_rate + $max_rate_spread_over_lpr::decimal(12,8)
),

c5 as (
    select loan_id, 'C5' as rule, null as item,
        guarantee_fee::decimal(24,8) as actual_value,
        (principal * $max_guarantee_fee_rate::decimal(9,4))::decimal(24,8) as limit_value,
        null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(guarantee_fee, principal,
                            max_guarantee_fee_rate := $max_guarantee_fee_rate::decimal(9,4))) as detail,
    from priced
    where guarantee_fee > principal * $max_guarantee_fee_rate::decimal(9,4)
),

c6 as (
    select loan_id, 'C6' as rule, null as item,
        appraisal_fee::decimal(24,8) as actual_value,
        (principal * $max_appraisal_fee_rate::decimal(9,4))::decimal(24,8) as limit_value,
        null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(appraisal_fee, principal,
                            max_appraisal_fee_rate := $max_appraisal_fee_rate::decimal(9,4))) as detail,
    from priced
    where appraisal_fee > principal * $max_appraisal_fee_rate::decimal(9,4)
),

c11 as (
    select loan_id, 'C11' as rule, guarantor_named as item,
        null::decimal(24,8) as actual_value, null::decimal(24,8) as limit_value,
        null::date as actual_on, null::date as limit_on,
        to_json(struct_pack(pledge_mode, guarantor)) as detail,
    from priced
    where (pledge_mode = 'indirect' and guarantor_named is null)
       or (pledge_mode = 'direct' and guarantor_named is not null)
),

broken as (
    select * from c1
    union all select * from c2
    union all select * from c3
    union all select * from c4
    union all select * from c5
    union all select * from c6
    union all select * from c11
),

final as (
    select
        b.loan_id,
        b.rule,
        'compliance.' || b.rule as rule_key,
        l.credit_code,
        l.enterprise_name,
        l.bank,
        l.disbursed_on,
        b.item::varchar as item,
        b.actual_value,
        b.limit_value,
        b.actual_on,
        b.limit_on,
        b.detail::varchar as detail,
    from broken as b
    join loans as l using (loan_id)
)

select * from final
order by loan_id, rule
