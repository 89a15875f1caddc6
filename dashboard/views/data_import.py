"""数据导入 Data import: upload a CSV/XLSX ledger, see the detected kind and a validation preview
(rows that will load, rows rejected with reasons), confirm to load it through the same pipeline as
the CLI (pipelines.ingest.ingest_paths on a temp copy keeping the original file name); the batch
history with each batch's rejects downloadable."""

from __future__ import annotations

import streamlit as st

from dashboard import data, exports, fmt, state, urlstate
from dashboard.i18n import t
from dashboard.labels import bilingual, column, segment

ctx = state.current()
st.title(t("page_import"))


def _msg(obj) -> str:
    """A bilingual message object's text in the current language."""
    return bilingual(obj.message_zh, obj.message_en)


# Results of a load are shown after the rerun that refreshes the batch history (new cache key).
for outcome, zh, en in st.session_state.pop("import_results", []):
    (st.error if outcome == "refused" else st.success)(t("loaded_ok", msg=fmt.md_text(bilingual(zh, en))))

c = st.columns([3, 1])
upload = c[0].file_uploader(t("upload"), type=["csv", "xlsx", "xlsm"], key="upload")
urlstate.bind("import_kind", None, param="kind", valid=lambda v: v is None or v in data.LEDGER_KINDS)
kind = c[1].selectbox(t("kind_override"), [None, *data.LEDGER_KINDS], key="import_kind",
                      format_func={None: t("kind_auto"), **{k: t(f"kind_{k}") for k in data.LEDGER_KINDS}}.get)

if upload is not None:
    path = data.save_upload(upload.file_id, upload.name, upload.getvalue())
    previews = data.preview_file(path, kind, ctx.db if ctx.batch >= 0 else None)
    refused = False
    for pv in previews:
        if pv.refused is not None:
            refused = True
            st.error(t("refused", msg=fmt.md_text(_msg(pv.refused))))
            continue
        st.info(t("detected_kind", kind=t(f"kind_{pv.kind}"), sheet=fmt.md_text(pv.sheet or "—"), rows=pv.rows_read))
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('will_load', n=len(pv.good))}**")
            st.dataframe(pv.good.head(500), hide_index=True, key=f"good_{pv.sheet}_{pv.kind}")
        with right:
            st.markdown(f"**{t('will_reject', n=data.rejected_rows(pv.rejects))}**")
            if len(pv.rejects):
                rej = pv.rejects.rename(columns={bilingual("reason_zh", "reason_en"): "reason"})
                rej = rej[["row_number", "column_name", "raw_value", "reason"]]
                fmt.table(rej, hide_index=True, key=f"rej_{pv.sheet}_{pv.kind}",
                             column_config={c_: column(c_) for c_ in rej.columns})
    if not refused and st.button(t("confirm_load"), type="primary", key="confirm_load"):
        results = data.load_files([path], ctx.db, kind)
        st.session_state["import_results"] = [(r.outcome, r.message_zh, r.message_en) for r in results]
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
shown = history.copy()
shown["message"] = shown[bilingual("message_zh", "message_en")]
shown["outcome"] = [segment("outcome", v) for v in shown["outcome"]]
shown["kind"] = [t(f"kind_{k}") if k else "" for k in shown["kind"]]
cols = ["batch_id", "file_name", "sheet", "kind", "rows_read", "rows_loaded", "rows_unchanged", "rows_rejected",
        "outcome", "started_at", "message"]
fmt.table(shown[cols], hide_index=True, key="batches_table", column_config={c_: column(c_) for c_ in cols})

with_rejects = history.loc[history["reject_rows"] > 0, "batch_id"].tolist()
if with_rejects:
    c = st.columns([1, 2])
    batch_id = c[0].selectbox(t("choose_batch"), with_rejects, key="rej_batch")
    rejects = data.batch_rejects(ctx.db, ctx.batch, int(batch_id))
    cols = ("batch_id", "file_name", "sheet", "row_number", "column_name", "raw_value", "reason_zh", "reason_en")
    c[1].download_button(t("download_rejects", batch=batch_id), exports.csv_bytes(rejects, cols),
                         file_name=f"rejects_batch_{batch_id}.csv", mime="text/csv", key="dl_rejects")
    shown = rejects.rename(columns={bilingual("reason_zh", "reason_en"): "reason"})
    shown = shown[["batch_id", "file_name", "sheet", "row_number", "column_name", "raw_value", "reason"]]
    fmt.table(shown, hide_index=True, key="rejects_table", column_config={c_: column(c_) for c_ in shown.columns})
