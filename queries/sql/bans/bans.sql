-- R-BAN: one row per (credit code, notice date): an enterprise with a compensation notice dated
-- notice_on may not receive a new loan until ban_until = notice_on + ban_years_after_compensation
-- years (same calendar day; 29 Feb -> 28 Feb), inclusive. Only notices dated <= $as_of exist.
-- Every notice starts a window, re-sent ones included (RULES.md R-BAN: the ban runs to the latest
-- notice + 3 years); notices of several loans of one enterprise on one day make one row.
-- active = the ban is in force at the end of $as_of (notice_on <= as_of <= ban_until).
-- R-SCOPE: with a scope ($scope_bank / $scope_guarantor / $scope_appraiser) only the notices of the
-- loans in it, and only those loans listed (a party sees the bans its own loans started).
with

loans as (
    select loan_id, credit_code, enterprise_name, disbursed_on
    from loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

notices as (
    select distinct loan_id, event_on as notice_on
    from events
    where kind = 'compensation_notice' and event_on <= $as_of
),

windows as (
    select
        l.credit_code,
        arg_max(l.enterprise_name, l.disbursed_on) as enterprise_name,
        n.notice_on,
        (n.notice_on + to_years($ban_years_after_compensation::integer))::date as ban_until,
        list(n.loan_id order by n.loan_id) as loan_ids,
    from notices as n
    join loans as l using (loan_id)
    group by l.credit_code, n.notice_on
),

final as (
    select
        credit_code,
        enterprise_name,
        notice_on,
        ban_until,
        $as_of::date between notice_on and ban_until as active,
        loan_ids,
    from windows
)

select * from final
order by credit_code, notice_on
