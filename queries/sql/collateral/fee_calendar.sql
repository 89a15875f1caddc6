-- fee_calendar: one row per (active loan, pledged patent not lost) whose next annual fee falls due
-- within 90 days of $as_of: as_of <= next_fee_due <= as_of + 90 (R-IPSTAT's
-- next_fee_due: fee_paid_until when known, else the next anniversary of filed_on). horizon = the
-- first of 30 / 60 / 90 days that holds it; days_left = next_fee_due − as_of.
-- Reads engine-registered relation collateral_ip_watch (ip_watch.sql at the same as_of and scope).
-- Params: $as_of.
with

watch as (
    select * from collateral_ip_watch
    where active and not lost and next_fee_due is not null
        and ip_type in ('invention_patent', 'utility_model')
),

final as (
    select
        loan_id,
        enterprise_name,
        bank,
        ip_type,
        ip_number,
        next_fee_due,
        (next_fee_due - $as_of::date)::integer as days_left,
        case
            when next_fee_due - $as_of::date <= 30 then 30
            when next_fee_due - $as_of::date <= 60 then 60
            else 90
        end as horizon,
        fee_watch,
        status,
    from watch
    where next_fee_due between $as_of::date and $as_of::date + 90
)

select * from final
order by next_fee_due, loan_id, ip_number
