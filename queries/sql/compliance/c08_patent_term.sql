-- Compliance C8: one row per (loan disbursed <= $as_of, pledged invention patent or utility model)
-- whose term ends before disbursed_on + min_patent_remaining_years years (same calendar day;
-- 29 Feb -> 28 Feb). Expiring exactly on that day passes, one day earlier fails.
-- A patent with no expiry date on record fails too (the remaining term cannot be shown, and the
-- scheme requires it, 五(一)3(2)); detail.missing_expiry says which case it is.
-- Trademarks and geographical indications are not checked. item = the IP number.
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

loans as (
    select loan_id, disbursed_on from loans where disbursed_on <= $as_of
),

patents as (
    select loan_id, ip_type, ip_number, ip_expires_on
    from collateral
    where ip_type in ('invention_patent', 'utility_model')
),

checked as (
    select
        l.*,
        p.ip_type,
        p.ip_number,
        p.ip_expires_on,
        (l.disbursed_on + to_years($min_patent_remaining_years::integer))::date as earliest_expiry,
    from loans as l
    join patents as p using (loan_id)
),

final as (
    select loan_id, 'C8' as rule, ip_number as item, null::decimal(24,8) as actual_value, null::decimal(24,8) as limit_value,
        ip_expires_on as actual_on, earliest_expiry as limit_on,
        to_json(struct_pack(ip_type, ip_number, ip_expires_on, earliest_expiry,
                            missing_expiry := ip_expires_on is null,
                            min_patent_remaining_years := $min_patent_remaining_years::integer))::varchar
            as detail,
    from checked
    where ip_expires_on is null or ip_expires_on < earliest_expiry
)

select * from final
order by loan_id, item
