-- One row per data row of an ip_status ledger (知识产权法律状态): typed values and _problems (R-IPSTAT).
-- A number that reads as a Chinese patent number (ZL + 12 digits + check digit, point and spaces
-- optional) is checked and stored as collateral stores it (ZL202310123456.7); one starting with ZL
-- that fails the check is rejected; trademark / GI numbers are kept as given. fee_paid_until is
-- required for fee_paid and restored rows. Whether the IP is pledged at all: check_unknown_ip.sql.
with source as (
    select * from raw_named
),

statuses as (
    select spelling, value from enum_alias where domain = 'ip_status'
),

typed as (
    select
        source._seq + $row_offset as _row,
        source.ip_number as ip_number_raw,
        pw_patent_digits(source.ip_number) as patent_digits,
        upper(replace(source.ip_number, ' ', '')) like 'ZL%' as looks_like_patent,
        source.status_on as status_on_raw,
        pw_date(source.status_on) as status_on,
        source.status as status_raw,
        statuses.value as status,
        source.fee_paid_until as fee_paid_until_raw,
        pw_date(source.fee_paid_until) as fee_paid_until,
        pw_extras($extra_keys::varchar[], source._extra_values) as extras
    from source
    left join statuses on statuses.spelling = pw_enum_key(source.status)
),

checked as (
    select
        *,
        pw_patent_ok(patent_digits) as patent_ok
    from typed
),

final as (
    select
        _row,
        case
            when patent_ok then 'ZL' || patent_digits[1:12] || '.' || patent_digits[13]
            else ip_number_raw
        end as ip_number,
        status_on,
        status,
        fee_paid_until,
        extras,
        list_filter([
            pw_check('ip_number', ip_number_raw, ip_number_raw, 'missing', true),
            pw_problem(looks_like_patent and not patent_ok, 'ip_number', ip_number_raw, 'bad_patent_number'),
            pw_check('status_on', status_on_raw, status_on, pw_date_why(status_on_raw), true),
            pw_check('status', status_raw, status, 'bad_ip_status', true),
            pw_check('fee_paid_until', fee_paid_until_raw, fee_paid_until, pw_date_why(fee_paid_until_raw), false),
            pw_problem(status in ('fee_paid', 'restored') and fee_paid_until_raw is null,
                       'fee_paid_until', null::varchar, 'fee_date_required')
        ], lambda p: p is not null) as _problems
    from checked
)

select * from final
