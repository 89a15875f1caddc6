"""数据导入 Data import: upload a CSV/XLSX ledger, see the detected kind and a validation preview
(rows that will load, rows rejected with reasons), confirm to load it through the same pipeline as
the CLI (pipelines.ingest.ingest_paths on a temp copy keeping the original file name); the batch
history with each batch's rejects downloadable."""

from __future__ import annotations

import streamlit as st

from dashboard import auth, data, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import bilingual

ctx = state.current()
st.title(t("page_import"))


def _msg(obj) -> str:
    """A bilingual message object's text in the current language."""
    return bilingual(obj.message_zh, obj.message_en)


# Results of a load are shown after the rerun that refreshes the batch history (new cache key).
for outcome, zh, en in st.session_state.pop("import_results", []):
    (st.error if outcome == "refused" else st.success)(t("loaded_ok", msg=fmt.md_text(bilingual(zh, en))))

c = st.columns([3, 1])
# a new key after each load empties the uploader: the file and the confirm button do not stay behind
upload = c[0].file_uploader(t("upload"), type=["csv", "xlsx", "xlsm"], key=fmt.uploader_key())
# "" = detect the kind (None would read as "nothing chosen" and show "Choose an option")
urlstate.bind("import_kind", "", param="kind", valid=lambda v: v == "" or v in data.LEDGER_KINDS)
KIND_LABELS = {"": t("kind_auto"), **{k: t(f"kind_{k}") for k in data.LEDGER_KINDS}}  # captured as data
kind = c[1].selectbox(t("kind_override"), ["", *data.LEDGER_KINDS], key="import_kind",
                      format_func=KIND_LABELS.get, filter_mode=None) or None

if upload is not None:
    path = data.save_upload(upload.file_id, upload.name, upload.getvalue())
    prior = data.loaded_before(path, ctx.db, ctx.batch)
    if prior is not None:  # the same bytes were loaded before: a load would skip it, so no preview
        st.info(t("already_loaded", batch=prior))
        st.stop()
    previews = data.preview_file(path, kind, ctx.db if ctx.batch >= 0 else None)
    refused = False
    for pv in previews:
        if pv.refused is not None:
            refused = True
            st.error(t("refused", msg=fmt.md_text(fmt.page_words(_msg(pv.refused)))))
            continue
        st.info(t("detected_kind", kind=t(f"kind_{pv.kind}"), sheet=fmt.md_text(pv.sheet or "—"), rows=pv.rows_read))
        for zh, en in pv.notes:  # unknown columns whose name or values fit a missing one (issue 11)
            st.warning(fmt.md_text(bilingual(zh, en)))
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{fmt.preview_counts(pv.good)}**")
            good = pv.good.head(500)
            fmt.labelled_table(good, [c_ for c_ in good.columns if c_ != "extras"], f"good_{pv.sheet}_{pv.kind}",
                               codes=fmt.coded_columns(good.columns), link_loans=False)
        with right:
            st.markdown(f"**{t('will_reject', n=data.rejected_rows(pv.rejects))}**")
            if len(pv.rejects):
                rej = pv.rejects.rename(columns={bilingual("reason_zh", "reason_en"): "reason"})
                fmt.labelled_table(rej, ["row_number", "column_name", "raw_value", "reason"], f"rej_{pv.sheet}_{pv.kind}",
                                   texts={"column_name": fmt.column_name_texts(rej["column_name"])})
    if not refused and st.button(t("confirm_load"), type="primary", key="confirm_load"):
        results = data.load_files([path], ctx.db, kind)
        auth.imported(upload.name, upload.getvalue(), results)  # R-SCOPE audit: file, SHA-256, batches
        st.session_state["import_results"] = [(r.outcome, r.message_zh, r.message_en) for r in results]
        fmt.uploader_key(renew=True)
        data.discard_upload(path)
        st.rerun()

st.subheader(t("batch_history"))
if ctx.batch < 0:
    st.caption(t("no_batches"))
    st.stop()
history = data.ingest_history(ctx.db, ctx.batch)
if history.empty:
    st.caption(t("no_batches"))
    st.stop()
history = history.assign(message=history[bilingual("message_zh", "message_en")])
fmt.labelled_table(history, ["batch_id", "file_name", "sheet", "kind", "rows_read", "rows_loaded", "rows_unchanged",
                             "rows_rejected", "outcome", "started_at", "message"], "batches_table",
                   codes={"outcome": "outcome"}, texts={"kind": KIND_LABELS}, export="ingest_batches")

with_rejects = history.loc[history["reject_rows"] > 0, "batch_id"].tolist()
if with_rejects:
    batch_id = st.selectbox(t("choose_batch"), with_rejects, key="rej_batch", filter_mode=None)
    rejects = data.batch_rejects(ctx.db, ctx.batch, int(batch_id))
    rejects = rejects.rename(columns={bilingual("reason_zh", "reason_en"): "reason"})
    fmt.labelled_table(rejects, ["batch_id", "file_name", "sheet", "row_number", "column_name", "raw_value", "reason"],
                       "rejects_table", export=f"rejects_batch_{batch_id}",
                       texts={"column_name": fmt.column_name_texts(rejects["column_name"])})
