-- One row per staged row without any problem: what the sheet may write to its ledger table.
create or replace temp view good_rows as
with final as (
    select * exclude (_problems)
    from staged
    where len(_problems) = 0
      and _row not in (select _row from row_problems)
)

select * from final
