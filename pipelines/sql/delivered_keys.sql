-- One row per row of the sheet just loaded that later sheets of the same delivery must not give
-- again (check_delivery_duplicates.sql): its key and where it stands, as a person reads it
-- ("A.xlsx [借据台账] 第 7 行 / row 7"). Kept in a temp table for the delivery's transaction only.
-- Template: <key_cols> from store.LEDGER_KEYS only.
select
    {key_cols},
    $place || ' 第 ' || _row || ' 行 / row ' || _row as first_place
from good_rows
