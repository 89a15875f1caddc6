-- R-LOSS: one row per (compensated loan, party) at the end of $as_of.
-- principal_loss = outstanding at the first compensation notice (relation notice_state, registered
-- by queries/claims.py (claims/notice_state.sql) from dpd.loan_state_at). It is split by loss_share (guarantor 0.70,
-- appraiser 0.10, rounded to 0.01; the bank takes the remainder so that the parts add up to the
-- loss exactly). Recoveries (events kind 'recovery' dated <= as_of, whoever recorded them) are
-- split the same way; net_loss = loss_part - recovery_part (negative when recoveries exceed the
-- loss: shown, not hidden). A direct pledge has no guarantor and no compensation: the bank
-- carries the whole loss (share 1). R-SCOPE: only loans in the optional scope ($scope_*).
with

loans as (
    select loan_id, credit_code, enterprise_name, bank, pledge_mode, guarantor, appraiser
    from loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

notice_state as (
    select loan_id, notice_on::date as notice_on, outstanding::decimal(18,2) as principal_loss
    from notice_state
),

recoveries as (
    select loan_id, sum(amount)::decimal(18,2) as recovered
    from events
    where kind = 'recovery' and event_on <= $as_of and amount is not null
    group by loan_id
),

shares as (
    select
        n.loan_id,
        party,
        case
            when l.pledge_mode = 'direct' then (party = 'bank')::integer::decimal(9,4)
            when party = 'guarantor' then $loss_share_guarantor::decimal(9,4)
            when party = 'appraiser' then $loss_share_appraiser::decimal(9,4)
            else $loss_share_bank::decimal(9,4)
        end as loss_share,
        case party when 'guarantor' then l.guarantor when 'appraiser' then l.appraiser else l.bank end
            as party_name,
    from notice_state as n
    join loans as l using (loan_id)
    cross join (values ('guarantor'), ('appraiser'), ('bank')) as p(party)
),

split as (
    select
        s.loan_id,
        s.party,
        s.party_name,
        s.loss_share,
        n.notice_on,
        n.principal_loss,
        coalesce(r.recovered, 0)::decimal(18,2) as recovered,
        round(n.principal_loss * s.loss_share, 2)::decimal(18,2) as rounded_loss_part,
        round(coalesce(r.recovered, 0) * s.loss_share, 2)::decimal(18,2) as rounded_recovery_part,
    from shares as s
    join notice_state as n using (loan_id)
    left join recoveries as r using (loan_id)
),

-- the bank's part is the remainder, so guarantor + appraiser + bank = the whole amount to the fen
balanced as (
    select
        *,
        case when party = 'bank'
             then principal_loss - sum(rounded_loss_part) filter (where party <> 'bank') over (partition by loan_id)
             else rounded_loss_part end as loss_part,
        case when party = 'bank'
             then recovered - sum(rounded_recovery_part) filter (where party <> 'bank') over (partition by loan_id)
             else rounded_recovery_part end as recovery_part,
    from split
),

final as (
    select
        b.loan_id,
        l.credit_code,
        l.enterprise_name,
        l.bank,
        l.pledge_mode,
        b.notice_on,
        b.party,
        b.party_name,
        b.loss_share,
        b.principal_loss,
        b.recovered,
        b.loss_part::decimal(18,2) as loss_part,
        b.recovery_part::decimal(18,2) as recovery_part,
        (b.loss_part - b.recovery_part)::decimal(18,2) as net_loss,
    from balanced as b
    join loans as l using (loan_id)
)

select * from final
order by loan_id, case party when 'guarantor' then 1 when 'appraiser' then 2 else 3 end
