-- One row per data row of a collateral ledger (质押物清单): typed values and _problems.
-- Patent numbers (invention / utility model) are checked (ZL + year + type digit + serial +
-- check digit) and stored as ZL202310123456.7; the type digit must match ip_type (1/8 invention,
-- 2/9 utility model; 3 design is not accepted). Trademark / GI numbers are kept as given. (C8 input)
-- filed_on (申请日, optional) is the date annual fees count from (R-IPSTAT next_fee_due).
with source as (
    select * from raw_named
),

ip_types as (
    select spelling, value from enum_alias where domain = 'ip_type'
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.loan_id,
        source.ip_type as ip_type_raw,
        ip_types.value as ip_type,
        source.ip_number as ip_number_raw,
        pw_patent_digits(source.ip_number) as patent_digits,
        ip_types.value in ('invention_patent', 'utility_model') as is_patent,
        source.ip_expires_on as ip_expires_on_raw,
        pw_date(source.ip_expires_on) as ip_expires_on,
        source.filed_on as filed_on_raw,
        pw_date(source.filed_on) as filed_on,
        source.appraised_value as appraised_value_raw,
        pw_money(source.appraised_value, list_contains($wan, 'appraised_value')) as appraised_value,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
    left join ip_types on ip_types.spelling = pw_enum_key(source.ip_type)
),

checked as (
    select
        *,
        is_patent and pw_patent_ok(patent_digits) as patent_ok,
        case
            when ip_type = 'invention_patent' then patent_digits[5] in ('1', '8')
            when ip_type = 'utility_model' then patent_digits[5] in ('2', '9')
        end as type_digit_ok
    from typed
),

final as (
    select
        _row,
        loan_id,
        ip_type,
        case
            when patent_ok then 'ZL' || patent_digits[1:12] || '.' || patent_digits[13]
            else ip_number_raw
        end as ip_number,
        ip_expires_on,
        appraised_value,
        filed_on,
        extras,
        list_filter([
            pw_check('loan_id', loan_id, loan_id, 'missing', true),
            pw_check('ip_type', ip_type_raw, ip_type, 'bad_ip_type', true),
            pw_check('ip_number', ip_number_raw, ip_number_raw, 'missing', true),
            pw_problem(ip_number_raw is not null and is_patent and not patent_ok,
                       'ip_number', ip_number_raw, 'bad_patent_number'),
            pw_problem(patent_ok and not type_digit_ok, 'ip_number', ip_number_raw, 'patent_type_mismatch'),
            pw_check('ip_expires_on', ip_expires_on_raw, ip_expires_on, pw_date_why(ip_expires_on_raw), false),
            pw_check('appraised_value', appraised_value_raw, appraised_value, pw_money_why(appraised_value_raw, list_contains($wan, 'appraised_value')), false),
            pw_problem(appraised_value < 0, 'appraised_value', appraised_value_raw, 'negative'),
            pw_check('filed_on', filed_on_raw, filed_on, pw_date_why(filed_on_raw), false)
        ], lambda p: p is not null) as _problems
    from checked
)

select * from final
