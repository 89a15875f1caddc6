-- R-COMP: one row per compensation claim that exists at the end of $as_of (notice dated <= as_of).
-- Reads the relation notice_state, registered by queries/claims.py (claims/notice_state.sql) from
-- dpd.loan_state_at: (loan_id, notice_on, notice_count, outstanding, dpd) at the notice date
-- (a fixed view name, not user input).
-- deadline = notice_on + compensation_grace_days. expected per party = outstanding at notice x its
-- loss share, rounded to 0.01 (guarantor 0.70, appraiser 0.10; the bank keeps the rest).
-- received per party = compensation events of that party dated <= as_of. Status at as_of:
-- settled (each party received >= expected - amount_tolerance), else pending while
-- as_of <= deadline, else late (so pending turns late on deadline + 1).
-- premature = DPD at the notice date < compensation_trigger_dpd (60, inclusive trigger).
-- A direct pledge has no guarantor: nobody owes compensation, the action is the bank's own
-- disposal of the pledged IP: status = 'bank_disposal', expected 0, no deadline.
-- settled_on = the day the last party reached its expected amount (null while unsettled).
-- R-SCOPE: only loans in the optional scope ($scope_bank / $scope_guarantor / $scope_appraiser).
with

loans as (
    select loan_id, credit_code, enterprise_name, bank, pledge_mode, guarantor, appraiser
    from loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

notice_state as (
    select
        loan_id,
        notice_on::date as notice_on,
        notice_count::integer as notice_count,
        outstanding::decimal(18,2) as outstanding_at_notice,
        dpd::integer as dpd_at_notice,
    from notice_state
),

compensations as (
    select loan_id, event_on, party, amount
    from events
    where kind = 'compensation' and event_on <= $as_of and amount is not null
),

expected as (
    select
        n.*,
        l.credit_code,
        l.enterprise_name,
        l.bank,
        l.pledge_mode,
        l.guarantor,
        l.appraiser,
        l.pledge_mode = 'direct' as bank_disposal,
        case when l.pledge_mode = 'direct' then null
             else n.notice_on + $compensation_grace_days::integer end as deadline,
        case when l.pledge_mode = 'direct' then 0.00::decimal(18,2)
             else round(n.outstanding_at_notice * $loss_share_guarantor::decimal(9,4), 2)::decimal(18,2)
        end as expected_guarantor,
        case when l.pledge_mode = 'direct' then 0.00::decimal(18,2)
             else round(n.outstanding_at_notice * $loss_share_appraiser::decimal(9,4), 2)::decimal(18,2)
        end as expected_appraiser,
    from notice_state as n
    join loans as l using (loan_id)
),

-- running totals per party, to find the day each party's amount was complete
running as (
    select
        c.loan_id,
        c.party,
        c.event_on,
        sum(c.amount) over (partition by c.loan_id, c.party order by c.event_on
                            rows between unbounded preceding and current row) as cum_amount,
    from compensations as c
),

party_done as (
    select
        e.loan_id,
        -- a party owing nothing (within tolerance) is done on the notice day
        case when e.expected_guarantor - $amount_tolerance::decimal(18,2) <= 0 then e.notice_on
             else min(r.event_on) filter (where r.party = 'guarantor'
                  and r.cum_amount >= e.expected_guarantor - $amount_tolerance::decimal(18,2)) end as guarantor_done_on,
        case when e.expected_appraiser - $amount_tolerance::decimal(18,2) <= 0 then e.notice_on
             else min(r.event_on) filter (where r.party = 'appraiser'
                  and r.cum_amount >= e.expected_appraiser - $amount_tolerance::decimal(18,2)) end as appraiser_done_on,
    from expected as e
    left join running as r using (loan_id)
    group by e.loan_id, e.expected_guarantor, e.expected_appraiser, e.notice_on
),

received as (
    select
        loan_id,
        coalesce(sum(amount) filter (where party = 'guarantor'), 0)::decimal(18,2) as received_guarantor,
        coalesce(sum(amount) filter (where party = 'appraiser'), 0)::decimal(18,2) as received_appraiser,
        coalesce(sum(amount) filter (where party is distinct from 'guarantor'
                                     and party is distinct from 'appraiser'), 0)::decimal(18,2) as received_other,
    from compensations
    group by loan_id
),

final as (
    select
        e.loan_id,
        e.credit_code,
        e.enterprise_name,
        e.bank,
        e.pledge_mode,
        e.guarantor,
        e.appraiser,
        e.notice_on,
        e.notice_count,
        e.deadline,
        e.outstanding_at_notice,
        e.dpd_at_notice,
        e.dpd_at_notice < $compensation_trigger_dpd::integer as premature,
        e.bank_disposal,
        e.expected_guarantor,
        e.expected_appraiser,
        coalesce(r.received_guarantor, 0)::decimal(18,2) as received_guarantor,
        coalesce(r.received_appraiser, 0)::decimal(18,2) as received_appraiser,
        coalesce(r.received_other, 0)::decimal(18,2) as received_other,
        case
            when e.bank_disposal then 'bank_disposal'
            when d.guarantor_done_on is not null and d.appraiser_done_on is not null then 'settled'
            when $as_of::date <= e.deadline then 'pending'
            else 'late'
        end as status,
        -- greatest() skips nulls: only a claim both parties completed has a settled_on
        case when not e.bank_disposal and d.guarantor_done_on is not null and d.appraiser_done_on is not null
             then greatest(d.guarantor_done_on, d.appraiser_done_on) end as settled_on,
        case when not e.bank_disposal and (d.guarantor_done_on is null or d.appraiser_done_on is null)
             then e.deadline - $as_of::date end as days_left,
    from expected as e
    left join received as r using (loan_id)
    left join party_done as d using (loan_id)
)

select * from final
order by loan_id
