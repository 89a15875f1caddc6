-- Preview only: a temporary loans table (it shadows the stored one on this connection) holding
-- the stored loans plus the good rows of the loans sheet just previewed, so that later sheets of
-- the same file are checked against them as a real load would (LEDGER.md unknown-loan check).
create or replace temp table loans as
with stored as (
    select * from loans
),

incoming as (
    select * exclude (_row), 0 as batch_id from good_rows
),

final as (
    select * from stored where loan_id not in (select loan_id from incoming)
    union all by name
    select * from incoming
)

select * from final
