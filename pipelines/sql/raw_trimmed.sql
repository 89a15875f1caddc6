-- The cells of the sheet being loaded as text, trimmed, empty = NULL, one row per record in
-- file order (LEDGER.md "Bad input": rejects name the file's row): for a CSV read by DuckDB,
-- rowid − first rowid + 1 is then the record's number (ingest._register_source, raw_named.sql).
-- Template: <keep> ('' or the reader's row number column "_seq, ") and <trimmed_cells> are built
-- by ingest.py only from the positional names c0, c1, … of the reader — never from the file's text.
create temp table raw_src as
select {keep}{trimmed_cells}
from raw_in
