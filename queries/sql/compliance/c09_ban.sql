-- Compliance C9: one row per (loan disbursed <= $as_of, R-BAN window it falls in): a loan to an
-- enterprise (same credit code) disbursed after one of its compensation notices and no later than
-- notice + ban_years_after_compensation years (inclusive end; 29 Feb -> 28 Feb). Every notice
-- starts a window, re-sent ones included, as in bans.sql (RULES.md R-BAN); a notice dated after
-- as_of is unknown at as_of (and cannot precede a loan disbursed by then anyway). item = the loan
-- whose notice it was; R-SCOPE: with a scope ($scope_bank / $scope_guarantor / $scope_appraiser) a
-- notice loan outside it is not named (item and detail.notice_loan_id null), the window still counts.
-- Columns (every rule file): loan_id, item, actual_value, limit_value, actual_on, limit_on, detail;
-- compliance/exceptions.sql adds the rule, its i18n key and the loan's names.
with

loans as (
    select loan_id, credit_code, disbursed_on from loans where disbursed_on <= $as_of
),

all_loans as (
    select loan_id, credit_code
    from loans
),

scoped_loans as (
    select loan_id
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

notices as (
    select distinct e.loan_id as notice_loan_id, l.credit_code, e.event_on as notice_on
    from events as e
    join all_loans as l using (loan_id)
    where e.kind = 'compensation_notice' and e.event_on <= $as_of
),

windows as (
    select
        *,
        (notice_on + to_years($ban_years_after_compensation::integer))::date as ban_until,
        case when notice_loan_id in (select loan_id from scoped_loans) then notice_loan_id end as shown_loan_id,
    from notices
),

final as (
    select l.loan_id, 'C9' as rule, w.shown_loan_id as item, null::decimal(24,8) as actual_value,
        null::decimal(24,8) as limit_value, w.notice_on as actual_on, w.ban_until as limit_on,
        to_json(struct_pack(notice_loan_id := w.shown_loan_id, notice_on := w.notice_on,
                            ban_until := w.ban_until, disbursed_on := l.disbursed_on))::varchar as detail,
    from loans as l
    join windows as w
      on w.credit_code = l.credit_code
     and l.disbursed_on > w.notice_on
     and l.disbursed_on <= w.ban_until
)

select * from final
order by loan_id, item, actual_on
