"""Data is shown as text, never as Markdown (issue 11 item 4): an enterprise name that is a Markdown
link shows as those characters in the loan page's heading, and a sheet or file name with Markdown
marks shows as written in the import page's messages (fmt.md_text escapes every punctuation mark)."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from obligation_fixtures import add_loan
from streamlit.testing.v1 import AppTest

from dashboard import fmt
from pipelines import store
from tests.dashboard_fixtures import APP, as_new_admin

LINK = "[请点此核验贷款](http://example.invalid/verify)"


def _unescape(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("text", [LINK, "__x__ ~~y~~", "**粗体** `code` <b>html</b>", ":red[警告] :material/home:",
                                  "# 标题", "a\nb", "正邦科技 913601231673118989"])
def test_md_text_escapes_every_mark_and_keeps_the_characters(text):
    escaped = fmt.md_text(text)
    assert _unescape(escaped) == " ".join(text.splitlines())
    # no unescaped Markdown mark is left
    assert not re.search(r"(?<!\\)[\[\]()*_~`#<>:]", escaped.replace("\\\\", ""))


@pytest.fixture
def link_db(db_path, monkeypatch):
    with store.write_connection(db_path) as con:
        add_loan(con, "L1", enterprise_name=LINK, disbursed_on="2024-03-01", matures_on="2025-02-28")
    monkeypatch.setenv("PLEDGEWATCH_DB", str(db_path))
    monkeypatch.delenv("PLEDGEWATCH_PROFILE", raising=False)
    st.cache_data.clear()
    yield db_path
    st.cache_data.clear()


def test_loan_heading_shows_a_markdown_link_name_as_text(link_db):
    at = as_new_admin(AppTest.from_file(str(APP), default_timeout=120), link_db)
    at.run()
    at.switch_page("views/loan.py")
    at.query_params["loan"] = "L1"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    (heading,) = [h.value for h in at.subheader if "L1" in h.value]
    assert heading == fmt.md_text(f"{LINK} · L1")
    assert "\\[请点此核验贷款\\]\\(http" in heading


def test_uploads_wait_in_a_private_folder_and_old_ones_are_swept(tmp_path, monkeypatch):
    """Issue 11 item 7: an upload never confirmed must not stay behind, world-readable."""
    import os
    import stat
    import time

    from dashboard import data

    monkeypatch.setattr(data.tempfile, "gettempdir", lambda: str(tmp_path))
    old = data.save_upload("old-id", "../../loans.csv", b"x")
    assert old.name == "loans.csv" and old.parent.parent == data.upload_root()  # no path from the name
    assert stat.S_IMODE(os.stat(data.upload_root()).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(old.parent).st_mode) & 0o077 == 0
    assert stat.S_IMODE(os.stat(old).st_mode) == 0o600
    past = time.time() - data.UPLOAD_TTL_S - 10
    os.utime(old.parent, (past, past))
    new = data.save_upload("new-id", "repay.csv", b"y")
    assert not old.parent.exists() and new.read_bytes() == b"y"
    data.discard_upload(new)
    assert not new.parent.exists()


def test_a_failing_page_says_so_in_words_and_logs_the_detail(link_db, monkeypatch, caplog):
    """Issue 12 item 8: no traceback for users; the detail goes to the server log."""
    from dashboard import data

    def broken(*args, **kwargs):
        raise RuntimeError("boom in the engine")

    monkeypatch.setattr(data, "overview", broken)
    at = as_new_admin(AppTest.from_file(str(APP), default_timeout=120), link_db)
    with caplog.at_level("ERROR", logger="pledgewatch"):
        at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["本页出错，详情已记入服务器日志。请刷新后重试；仍出错请联系系统管理员。"]
    assert "boom in the engine" in caplog.text


def test_the_page_icon_is_a_shipped_file():
    """Issue 12 item 8: a ":material/…:" page icon is fetched from a Google font CDN."""
    source = APP.read_text(encoding="utf-8")
    assert 'page_icon=":material' not in source and (APP.parent / "icon.png").is_file()
