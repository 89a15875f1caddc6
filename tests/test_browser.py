"""A real browser against a real server: `streamlit run dashboard/app.py` on a free localhost port
with PLEDGEWATCH_DB pointing to a demo database built in tmp, driven by Playwright through Debian's
chromium. Skipped only when /usr/bin/chromium is absent; a broken app fails.
"""

from __future__ import annotations

import re

import pytest

from pipelines import profile, store
from queries import derived, dpd, ratio
from tests.dashboard_fixtures import (
    CHROMIUM,
    Server,
    browser_sign_in,
    build_demo_db,
    launch_browser,
    pct_text,
    with_passwords,
)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    return with_passwords(build_demo_db(folder), folder, ["admin"])  # signs in as the demo bureau_admin


@pytest.fixture(scope="module")
def server(demo_db):
    srv = Server(demo_db)
    try:
        srv.wait_healthy()
        yield srv
    finally:
        srv.stop()  # always, even when the health check failed


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_browser(pw)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True,
                                          locale="zh-CN")
            pg = context.new_page()
            pg.set_default_timeout(30_000)
            yield pg
        finally:
            browser.close()


def _no_errors(pg):
    assert pg.locator("[data-testid='stException']").count() == 0, pg.locator(
        "[data-testid='stException']").first.inner_text()


def test_overview_language_overdue_detail_and_download(page, server, demo_db, tmp_path):
    prof = profile.load("anyi")
    with store.read_connection(demo_db) as con:
        as_of = derived.latest_ledger_date(con)
        head = ratio.summary(con, as_of, prof)
        snap = dpd.loan_snapshot(con, as_of, prof)
    overdue = snap[snap["overdue"]].sort_values(["dpd", "loan_id"], ascending=[False, True])

    browser_sign_in(page, server.url, "admin")
    page.get_by_role("heading", name="总览", exact=True).wait_for()
    npl = page.locator("[data-testid='stMetric']", has_text="不良率")
    npl.wait_for()
    assert pct_text(head["npl_ratio"]) in npl.inner_text()
    page.locator(".js-plotly-plot").first.wait_for()
    _no_errors(page)

    # language switch: the sidebar radio
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Overview", exact=True).wait_for()
    page.locator("[data-testid='stMetric']", has_text="Active balance (10k CNY)").wait_for()
    _no_errors(page)

    # the overdue page through the sidebar navigation, then a loan's detail
    page.locator("[data-testid='stSidebarNav']").get_by_text("Overdue", exact=True).click()
    page.get_by_role("heading", name="Overdue", exact=True).wait_for()
    page.get_by_text(f"Overdue loans ({len(overdue)})").wait_for()
    _no_errors(page)
    page.get_by_role("button", name="Open loan detail").click()
    page.get_by_role("heading", name="Loan detail", exact=True).wait_for()
    first = overdue["loan_id"].iloc[0]
    page.get_by_text(re.compile(re.escape(first))).first.wait_for()
    assert re.search(r"/loan\b", page.url)
    _no_errors(page)

    # the reports page: the full XLSX download, read back with openpyxl
    page.locator("[data-testid='stSidebarNav']").get_by_text("Reports", exact=True).click()
    page.get_by_role("heading", name="Reports", exact=True).wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Download all reports")).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    import openpyxl

    wb = openpyxl.load_workbook(target)
    assert {"summary", "loans", "alerts_60d", "compensations", "compliance", "subsidies"} <= set(wb.sheetnames)
    assert wb["loans"].max_row - 2 == int(snap["active"].sum())  # two header rows, one row per active loan
    _no_errors(page)
