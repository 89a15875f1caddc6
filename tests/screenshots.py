"""Save a screenshot of every dashboard page to docs/screenshots/ (``make screenshots``).

Starts ``streamlit run dashboard/app.py`` on a free localhost port against the database
($PLEDGEWATCH_DB or data/portfolio.duckdb; with --demo, or when that file is missing, a demo
database is built in a temp folder from data/demo), opens each page in Debian's chromium through
Playwright with a tall viewport (Streamlit scrolls inside its own container, so a full-page
screenshot would stop at the viewport) and writes <url_path>.png. The server is always stopped.

    python tests/screenshots.py [--db PATH] [--demo] [--out docs/screenshots] [--lang zh|en]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.dashboard_fixtures import Server, browser_sign_in, build_demo_db, launch_browser, with_passwords  # noqa: E402

# url_path -> the page's Chinese title (waited for before the shot); loan gets a ?loan= query
PAGES = {
    "overview": "总览", "overdue": "逾期监控", "outlook": "展望", "loan": "借据详情", "compensation": "代偿与损失",
    "compliance": "合规检查", "subsidies": "补贴", "reports": "报表下载", "import": "数据导入",
    "collateral": "质押物监测", "inbox": "预警消息", "audit": "审计日志",
}
TITLES_EN = {
    "overview": "Overview", "overdue": "Overdue", "outlook": "Outlook", "loan": "Loan detail", "compensation": "Compensation",
    "compliance": "Compliance", "subsidies": "Subsidies", "reports": "Reports", "import": "Data import",
    "collateral": "Collateral", "inbox": "Alerts", "audit": "Audit log",
}
WIDTH = 1440


def _example_loan(db: Path) -> str | None:
    """The overdue loan with the highest DPD at the latest ledger date (most to show)."""
    from pipelines import profile, store
    from queries import derived, dpd

    with store.read_connection(db) as con:
        as_of = derived.latest_ledger_date(con)
        if as_of is None:
            return None
        snap = dpd.loan_snapshot(con, as_of, profile.load())
    overdue = snap[snap["overdue"]].sort_values(["dpd", "loan_id"], ascending=[False, True])
    return (overdue if len(overdue) else snap)["loan_id"].iloc[0]


def _settle(page, charts: bool) -> None:
    """Wait until the script run is over and the charts are drawn."""
    page.wait_for_load_state("networkidle")
    if charts:
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    for _ in range(120):  # the "running" indicator disappears when the script run ends
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            break
        time.sleep(0.25)
    time.sleep(1.5)  # plotly and the data grids finish their first paint


def shoot(db: Path, out: Path, lang: str = "zh") -> list[Path]:
    """Screenshot every page into ``out``; returns the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    loan = _example_loan(db)
    written = []
    db = with_passwords(db, Path(tempfile.mkdtemp()), ["admin"])  # shots as the demo bureau_admin
    server = Server(db)
    try:
        server.wait_healthy()
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            try:
                page = browser.new_page(viewport={"width": WIDTH, "height": 1200}, locale="zh-CN")
                page.set_default_timeout(60_000)
                browser_sign_in(page, server.url, "admin")
                page.get_by_role("heading", name=PAGES["overview"], exact=True).wait_for()
                token = re.search(r"[?&]s=([^&]+)", page.url).group(1)  # the session rides in the URL
                for url_path, title in PAGES.items():
                    # the language and the loan are page state in the URL (dashboard/urlstate.py)
                    query = f"?lang={lang}" + (f"&loan={loan}" if url_path == "loan" and loan else "") + f"&s={token}"
                    # the default page (overview) is served at the root; /overview is "page not found"
                    path = "" if url_path == "overview" else url_path
                    page.set_viewport_size({"width": WIDTH, "height": 1200})
                    page.goto(f"{server.url}/{path}{query}")  # (a sign-in step goes here once there is one)
                    page.get_by_role("heading", name=title if lang == "zh" else TITLES_EN[url_path],
                                     exact=True).wait_for()
                    if url_path == "reports":  # the report is built before its buttons show: wait for them
                        page.locator("[data-testid='stDownloadButton']").first.wait_for(timeout=120_000)
                    _settle(page, charts=url_path in ("overview", "overdue", "outlook", "loan", "compliance", "subsidies"))
                    # grow the viewport to the page's content so the whole page is in the shot
                    height = page.evaluate(
                        "() => { const m = document.querySelector('[data-testid=\"stMain\"]') || document.body;"
                        " return Math.max(m.scrollHeight, document.body.scrollHeight); }")
                    page.set_viewport_size({"width": WIDTH, "height": min(max(int(height) + 40, 900), 6000)})
                    time.sleep(1.0)
                    errors = page.locator("[data-testid='stException']").count()
                    if errors:
                        raise RuntimeError(f"{url_path}: the page shows an exception")
                    target = out / f"{url_path}{'' if lang == 'zh' else '_en'}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                    print(f"{target}  ({int(height)} px)")
            finally:
                browser.close()
    finally:
        server.stop()
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Screenshots of every dashboard page / 每个页面的截图")
    ap.add_argument("--db", help="database (default $PLEDGEWATCH_DB or data/portfolio.duckdb)")
    ap.add_argument("--demo", action="store_true", help="build a demo database from data/demo in a temp folder")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    args = ap.parse_args(argv)
    from pipelines import store

    db = store.resolve_db(args.db)
    with tempfile.TemporaryDirectory() as tmp:
        if args.demo or not db.exists():
            db = build_demo_db(Path(tmp))
        for lang in (("zh", "en") if args.lang == "both" else (args.lang,)):
            shoot(db, Path(args.out), lang)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
