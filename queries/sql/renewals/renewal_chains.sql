-- Renewal chains (无还本续贷, RULES.md last section): one row per loan with the chain it belongs to.
-- A renewal is a new loan naming the loan it renews (loans.renewed_from). The chain's root is the
-- loan that renews nothing on record; chain_id = root loan_id, position = 1 for the root, +1 per
-- renewal; chain_length = loans in the chain; original_disbursed_on = the root's disbursement date.
-- A loan whose renewed_from names no known loan is a root itself (its predecessor is not loaded:
-- predecessor_missing = true). Loans caught in a renewed_from cycle have no root: they come out
-- with chain_id = null and in_cycle = true instead of looping (depth guard 1000).
-- R-SCOPE: with a scope ($scope_bank / $scope_guarantor / $scope_appraiser, null = no filter) the
-- chains are followed over the loans in it only: a predecessor outside it is missing, as an
-- unknown one is, and its id is not shown (renewed_from null).
with recursive

loans as (
    select loan_id, credit_code, enterprise_name, bank, principal, disbursed_on, renewed_from
    from main.loans
    where ($scope_bank::varchar is null or bank = $scope_bank::varchar)
        and ($scope_guarantor::varchar is null or guarantor = $scope_guarantor::varchar)
        and ($scope_appraiser::varchar is null or appraiser = $scope_appraiser::varchar)
),

roots as (
    select
        l.loan_id,
        l.renewed_from is not null as predecessor_missing,
    from loans as l
    left join loans as p on p.loan_id = l.renewed_from
    where p.loan_id is null
),

chain (loan_id, chain_id, position) as (
    select loan_id, loan_id, 1
    from roots
    union all
    select l.loan_id, c.chain_id, c.position + 1
    from chain as c
    join loans as l on l.renewed_from = c.loan_id
    where c.position < 1000
),

chain_facts as (
    select
        c.chain_id,
        count(*) as chain_length,
        max(c.position) as chain_depth,
    from chain as c
    group by c.chain_id
),

final as (
    select
        l.loan_id,
        l.credit_code,
        l.enterprise_name,
        l.bank,
        l.principal,
        l.disbursed_on,
        case when coalesce(rt.predecessor_missing, false)
                  and ($scope_bank::varchar is not null or $scope_guarantor::varchar is not null
                       or $scope_appraiser::varchar is not null) then null
             else l.renewed_from end as renewed_from,
        c.chain_id,
        c.position,
        f.chain_length,
        f.chain_depth,
        r.disbursed_on as original_disbursed_on,
        coalesce(rt.predecessor_missing, false) as predecessor_missing,
        c.loan_id is null as in_cycle,
    from loans as l
    left join chain as c on c.loan_id = l.loan_id
    left join chain_facts as f on f.chain_id = c.chain_id
    left join loans as r on r.loan_id = c.chain_id
    left join roots as rt on rt.loan_id = l.loan_id
)

select * from final
order by chain_id nulls last, position, loan_id
