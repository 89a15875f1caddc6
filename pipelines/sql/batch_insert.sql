-- Records one load of one sheet in the journal (LEDGER.md "Every load is recorded").
insert into ingest_batches (
    batch_id, file_name, sheet, sha256, kind, rows_read, rows_loaded, rows_unchanged, rows_rejected,
    started_at, finished_at, outcome, message_zh, message_en
)
select
    $batch_id, $file_name, $sheet, $sha256, $kind, $rows_read, $rows_loaded, $rows_unchanged,
    $rows_rejected, $started_at::timestamp, $finished_at::timestamp, 'loaded', $message_zh, $message_en
