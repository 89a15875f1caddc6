-- R-SUB: one row per (eligible loan, subsidy kind) at the end of $as_of: what the enterprise may
-- claim for the loan under the policy of the year of its final principal repayment.
-- Reads subsidy_policy (one row per policy year, profile's [[subsidy_policy]]) and
-- subsidy_paid_off (subsidies/paid_off.sql), registered by queries/subsidies.py, and pw_flows
-- (flows.sql) and pw_first_late (first_late.sql: each loan's earliest due_on + 1 over its dues
-- unsettled at the end of due_on + 1, from due_status.sql), registered by queries/derived.py; fixed
-- view names, not user input.
-- Eligible: the borrower's repayments dated <= as_of cleared the principal (within
-- amount_tolerance) on paid_off_on, the loan had no compensation or write-off dated <= as_of,
-- and, where the year requires it, the loan never had DPD >= 1: by R-DPD a due dated d makes the
-- loan 1 day past due at the end of d + 1 unless that stream's payments dated <= d + 1 cover the
-- stream's cumulative dues up to d (within tolerance), so on time = no such d with d + 1 <= as_of.
-- That is a due whose settled_on is null or later than d + 1: settled_on is the first day the
-- stream's cumulative paid reaches its cumulative due - tolerance, and paid only grows. Payments
-- after as_of cannot matter (they are later than d + 1), and the compensation and write-off the
-- principal stream also counts never do here: a loan with one dated <= as_of is not eligible, and
-- one dated later is, again, later than d + 1. So a loan was late by as_of exactly when its
-- first_late_on <= as_of (one row per loan read, not the 6.5 M dues at 500k loans).
-- Policy: the row of the year, else the latest earlier row carried forward (then confirmed = false).
-- Bases: interest `actual` = interest paid <= as_of; `lpr` = the lower of that and
-- principal x LPR in force on disbursed_on x (paid_off_on - disbursed_on) days / 360, rounded
-- half up to 0.01 in integer arithmetic; appraisal / guarantee fee = the loan's fee;
-- patent_pledge = number of pledged invention patents x per_invention_patent_pledge.
-- Caps per enterprise (credit code): patent_pledge_cap_per_enterprise on the patent kind a year;
-- interest_cap_total_per_enterprise on interest over all years under the same policy row
-- (cumulative, before the yearly cap); cap_per_enterprise on all kinds a year, cutting interest
-- first, then appraisal_fee, guarantee_fee, patent_pledge. An enterprise's capped amount of a kind
-- goes back to its loans in (paid_off_on, loan_id) order, earliest first.
-- The cap steps carry only keys and amounts; names, bank and the policy's source join at the end.
-- R-SCOPE: the caps are the enterprise's over all its loans; with a scope ($scope_bank /
-- $scope_guarantor / $scope_appraiser, null = no filter) only the rows of the loans in it are kept.
-- Unordered: the sums (by_enterprise.sql, year_total.sql) read it as it comes; the rows themselves
-- are listed in subsidies/eligible_sorted.sql's order (sorting 650k rows at 500k loans cost ~0.7 s).
with

loans as (
    select loan_id, credit_code, principal, disbursed_on, guarantee_fee, appraisal_fee
    from loans
),

taken_over as (
    select distinct loan_id
    from events
    where kind in ('compensation', 'write_off') and event_on <= $as_of
),

policy as (
    select * from subsidy_policy
),

lpr as (
    select effective_on, rate from lpr
),

paid_off as (
    select * from subsidy_paid_off  -- subsidies/paid_off.sql
),

-- interest paid by the borrower <= as_of: the last running total of flows.sql on or before as_of
-- (compensation and write-off add no interest there)
interest as (
    select loan_id, arg_max(cum_interest_paid, paid_on) as interest_paid
    from pw_flows
    where paid_on <= $as_of
    group by loan_id
),

repaid as (
    select
        l.*,
        o.paid_off_on,
        year(o.paid_off_on) as year,
        coalesce(i.interest_paid, 0) as interest_paid,
    from loans as l
    join paid_off as o using (loan_id)
    left join interest as i using (loan_id)
    where l.loan_id not in (select loan_id from taken_over)
),

-- R-DPD: the loans that were ever 1 day past due by the end of as_of (the engine's first late day
-- instead of joining every due to every earlier payment)
late_dues as (
    select loan_id
    from pw_first_late
    where first_late_on <= $as_of
),

patents as (
    select loan_id, count(*) as invention_patents
    from collateral
    where ip_type = 'invention_patent'
    group by loan_id
),

with_policy as (
    select
        r.*,
        p.year as policy_year,
        p.interest_share,
        p.interest_base,
        p.appraisal_fee_share,
        p.guarantee_fee_share,
        p.require_on_time,
        p.cap_per_enterprise,
        p.interest_cap_total_per_enterprise,
        p.per_invention_patent_pledge,
        p.patent_pledge_cap_per_enterprise,
        r.loan_id in (select loan_id from late_dues) as ever_late,
        x.rate as lpr_rate,
        coalesce(n.invention_patents, 0) as invention_patents,
    from repaid as r
    asof join policy as p on r.year >= p.year
    asof left join lpr as x on r.disbursed_on >= x.effective_on
    left join patents as n using (loan_id)
),

eligible as (
    select
        *,
        -- principal x rate x days has 10 decimals; x 1e10 is an exact integer; /360 rounded half up
        case when lpr_rate is not null then
            ((((principal::decimal(38,2) * lpr_rate::decimal(38,8) * (paid_off_on - disbursed_on))
               * 10000000000)::hugeint + 18000000000) // 36000000000)::decimal(38,0) * 0.01
        end as lpr_interest,
    from with_policy
    where not (require_on_time and ever_late)
),

-- each kind's row carries its loan's keys and caps (no join back to eligible)
kinds as (
    select year, policy_year, credit_code, loan_id, paid_off_on, cap_per_enterprise, interest_cap_total_per_enterprise,
        patent_pledge_cap_per_enterprise, 'interest' as kind, 1 as cut_order, interest_share as share,
        case when interest_base = 'lpr' then least(interest_paid, coalesce(lpr_interest, interest_paid))
             else interest_paid end as base
    from eligible where interest_share > 0
    union all
    select year, policy_year, credit_code, loan_id, paid_off_on, cap_per_enterprise, interest_cap_total_per_enterprise,
        patent_pledge_cap_per_enterprise, 'appraisal_fee', 2, appraisal_fee_share, coalesce(appraisal_fee, 0)
    from eligible where appraisal_fee_share > 0
    union all
    select year, policy_year, credit_code, loan_id, paid_off_on, cap_per_enterprise, interest_cap_total_per_enterprise,
        patent_pledge_cap_per_enterprise, 'guarantee_fee', 3, guarantee_fee_share, coalesce(guarantee_fee, 0)
    from eligible where guarantee_fee_share > 0
    union all
    select year, policy_year, credit_code, loan_id, paid_off_on, cap_per_enterprise, interest_cap_total_per_enterprise,
        patent_pledge_cap_per_enterprise, 'patent_pledge', 4, null, invention_patents * per_invention_patent_pledge
    from eligible where per_invention_patent_pledge > 0
),

loan_amounts as (
    select
        year,
        policy_year,
        credit_code,
        loan_id,
        paid_off_on,
        cap_per_enterprise,
        interest_cap_total_per_enterprise,
        patent_pledge_cap_per_enterprise,
        kind,
        cut_order,
        share,
        base::decimal(18,2) as base,
        (case when share is null then base else round(share * base, 2) end)::decimal(18,2)
            as uncapped_amount,
    from kinds
    where base > 0
),

enterprise_kind as (
    select
        credit_code, year, policy_year, kind, cut_order,
        any_value(cap_per_enterprise) as cap_per_enterprise,
        any_value(interest_cap_total_per_enterprise) as interest_cap_total,
        any_value(patent_pledge_cap_per_enterprise) as patent_cap,
        sum(uncapped_amount) as total,
    from loan_amounts
    group by credit_code, year, policy_year, kind, cut_order
),

-- the patent kind's own yearly cap, and the interest cap over all years under one policy row (the
-- running sums only where that cap applies: a window's partition shares its policy row)
kind_capped as (
    select
        *,
        case when kind = 'patent_pledge' and patent_cap is not null then least(total, patent_cap)
             else total end as after_kind_cap,
    from enterprise_kind
    where not (kind = 'interest' and interest_cap_total is not null)
    union all
    select
        *,
        least(sum(total) over lifetime, interest_cap_total)
        - least(coalesce(sum(total) over lifetime_before, 0), interest_cap_total) as after_kind_cap,
    from enterprise_kind
    where kind = 'interest' and interest_cap_total is not null
    window lifetime as (partition by credit_code, policy_year, kind order by year
                        rows between unbounded preceding and current row),
           lifetime_before as (partition by credit_code, policy_year, kind order by year
                               rows between unbounded preceding and 1 preceding)
),

-- the yearly cap over all kinds: spend it on the kinds cut last first, so interest is cut first
-- (the running sum only under a policy row with that cap)
year_capped as (
    select *, after_kind_cap as allowed,
    from kind_capped
    where cap_per_enterprise is null
    union all
    select
        *,
        least(after_kind_cap, greatest(cap_per_enterprise - coalesce(sum(after_kind_cap) over kept_before, 0), 0))
            as allowed,
    from kind_capped
    where cap_per_enterprise is not null
    window kept_before as (partition by credit_code, year order by cut_order desc
                           rows between unbounded preceding and 1 preceding)
),

-- the allowed amount goes to the loans earliest first; where it covers the kind's total (amounts
-- are never negative) every loan keeps its whole amount, and no running sum is needed
allocated as (
    select a.*, a.uncapped_amount as amount,
    from loan_amounts as a
    join year_capped as y using (credit_code, year, kind)
    where y.allowed >= y.total
    union all
    select
        a.*,
        least(a.uncapped_amount, greatest(y.allowed - coalesce(sum(a.uncapped_amount) over earlier, 0), 0))
            as amount,
    from loan_amounts as a
    join year_capped as y using (credit_code, year, kind)
    where not coalesce(y.allowed >= y.total, false)
    window earlier as (partition by a.credit_code, a.year, a.kind order by a.paid_off_on, a.loan_id
                       rows between unbounded preceding and 1 preceding)
),

final as (
    select
        a.year,
        a.credit_code,
        l.enterprise_name,
        l.bank,
        a.loan_id,
        a.kind,
        a.amount::decimal(18,2) as amount,
        a.uncapped_amount,
        a.amount < a.uncapped_amount as capped,
        a.base,
        a.share,
        a.paid_off_on,
        a.policy_year,
        p.confirmed and p.year = a.year as confirmed,
        p.source,
    from allocated as a
    join main.loans as l using (loan_id)
    join policy as p on p.year = a.policy_year
    where ($scope_bank::varchar is null or l.bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or l.guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or l.appraiser = $scope_appraiser::varchar)
)

select * from final
