-- Writes the new and corrected rows of the sheet under its batch id; rows identical to the
-- stored ones are left alone. Template: <table> from store.LEDGER_KEYS only.
insert into {table} by name
select * exclude (_row), $batch_id as batch_id
from good_rows
where _row not in (select _row from merge_matched where _action = 'same')
