-- The cells of the sheet being loaded as text, trimmed, empty = NULL, one row per record in
-- file order: for a CSV read by DuckDB, rowid + 1 is then the record's number (raw_named.sql).
-- Template: <keep> ('' or the reader's row number column "_seq, ") and <trimmed_cells> are built
-- by ingest.py only from the positional names c0, c1, … of the reader — never from the file's text.
create temp table raw_src as
select {keep}{trimmed_cells}
from raw_in
