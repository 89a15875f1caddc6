"""R-NOTIFY delivery: one message per recipient and channel per run, grouping its undelivered
events, Chinese first then English, with links into the dashboard; e-mail through smtplib and a
webhook JSON POST (the text payload DingTalk and WeCom robots accept, optionally signed).

What to send is alerts/pending.sql: (event, recipient, channel) never sent successfully, with
fewer than ``alert_max_attempts`` failures and past the backoff (after f failures, the last in
run r, not before run r + 2^(f-1)). Every attempt is a row of alert_deliveries. Settings come
from the environment (SETTINGS; never the command line) and no address, password or secret is
logged. A filing_pack event (九(二)) carries its bank's filing summary of the month as XLSX.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import smtplib
import ssl
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage

import pyarrow as pa

from queries import cells, labels, portfolio, runner


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help_en: str

    @property
    def env(self) -> str:
        return f"PLEDGEWATCH_{self.name.upper()}"


# Declared once with defaults and help; README "Alerts" documents each (tests/test_alert_delivery.py)
SETTINGS = (
    Setting("smtp_host", "", "SMTP server; empty = no e-mail is sent"),
    Setting("smtp_port", 0, "SMTP port; 0 = 465 with tls, else 25"),
    Setting("smtp_security", "starttls", "none, starttls or tls (SMTP over TLS)"),
    Setting("smtp_sender", "pledgewatch@localhost", "From address of alert e-mails"),
    Setting("smtp_user", "", "SMTP login; empty = no login"),
    Setting("smtp_password", "", "SMTP password (environment only, never logged)"),
    Setting("smtp_timeout", 30, "Seconds before an SMTP connection or send gives up"),
    Setting("webhook_secret", "", "DingTalk-style signing secret: timestamp and sign added to the URL"),
    Setting("webhook_timeout", 15, "Seconds before a webhook POST gives up"),
    Setting("base_url", "http://127.0.0.1:8501", "The dashboard's address, for the links in messages"),
    Setting("alert_max_attempts", 5, "Failed attempts after which an (event, recipient, channel) is given up"),
)

KIND_LABELS = {
    "status_changed": ("项目状态变化", "program status changed"),
    "alert60": ("逾期60天预警", "60-day overdue alert"),
    "claim_due_soon": ("代偿即将到期", "compensation claim due soon"),
    "claim_late": ("代偿逾期", "compensation claim late"),
    "resume_flagged": ("超标时恢复业务", "resume decided while in breach"),
    "compliance": ("合规例外", "compliance exception"),
    "ip_risk": ("质押知识产权风险", "pledged IP at risk or lost"),
    "stale_bank": ("银行数据未更新", "bank data stale"),
    "filing_pack": ("月度备案汇总", "monthly filing summary"),
}
STATUS_WORDS = {"normal": ("正常", "normal"), "warning": ("预警", "warning"), "halted": ("暂停", "halted")}


def settings(overrides: dict | None = None) -> dict:
    """Every SETTINGS value: ``overrides`` (tests), else $PLEDGEWATCH_<NAME>, else the default."""
    out = {}
    for s in SETTINGS:
        raw = (overrides or {}).get(s.name, os.environ.get(s.env, s.default))
        out[s.name] = int(raw) if isinstance(s.default, int) else str(raw)
    return out


def link(base: str, event: dict) -> str:
    """The dashboard page of an event: the loan's page, the overview for program events, else the inbox."""
    base = base.rstrip("/")
    if event.get("loan_id"):
        return f"{base}/loan?{urllib.parse.urlencode({'loan': event['loan_id']})}"
    if event["kind"] in ("status_changed", "resume_flagged"):
        return f"{base}/overview"
    return f"{base}/inbox"


def _line(event: dict, lang: int) -> str:
    detail = json.loads(event.get("detail") or "{}")
    label = KIND_LABELS[event["kind"]][lang]
    if event["kind"] == "status_changed":
        what = " → ".join(STATUS_WORDS.get(detail.get(k), (detail.get(k),) * 2)[lang] for k in ("from", "to"))
    elif event.get("loan_id"):
        what = event["loan_id"]
    else:
        what = event.get("bank") or ""
    return f"[{label}] {what} ({event['key']})"


def message_text(events: list[dict], base: str) -> tuple[str, str]:
    """(subject, body) of one recipient's message: every event in Chinese, then in English, each
    with its key and a link; only the recipient's own events are passed in (R-SCOPE)."""
    n = len(events)
    zh = [f"PledgeWatch 预警：{n} 条新事件", ""]
    en = [f"PledgeWatch alerts: {n} new event(s)", ""]
    for i, e in enumerate(events, start=1):
        url = link(base, e)
        zh.append(f"{i}. {e['event_on']} {_line(e, 0)}\n   {url}")
        en.append(f"{i}. {e['event_on']} {_line(e, 1)}\n   {url}")
    subject = f"PledgeWatch 预警 {n} 条 / {n} alert(s)"
    return subject, "\n".join(zh + ["", "----", ""] + en) + "\n"


def filing_xlsx(con, bank: str, month: str) -> bytes:
    """The filing summary (九(二), portfolio.filing_summary) of ``month`` (YYYY-MM) narrowed in SQL to
    ``bank``'s own loans, as an XLSX: Chinese and English header rows, cells through queries.cells."""
    from openpyxl import Workbook

    from queries import xlsx_style

    start = dt.date.fromisoformat(month + "-01")
    start, end = portfolio.month_bounds(start)
    rows = pa.Table.from_pandas(portfolio.filing_summary(con, start, end), preserve_index=False)
    with runner.registered(con, "filing_rows", rows):
        own = runner.rows(con, "alerts/filing_pack", {"bank": bank})
    cols = list(rows.column_names)
    wb = Workbook()
    wb.remove(wb.active)
    ws = xlsx_style.header_sheet(wb, "filing_" + month, [labels.label(c, "zh") for c in cols],
                                 [labels.label(c, "en") for c in cols], fill="DCE6F1")
    for r in own:
        ws.append([r[c] for c in cols])
    for i, c in enumerate(cols, start=1):
        kind = labels.kind(c)
        fmt = {labels.MONEY: xlsx_style.MONEY_FORMAT, labels.DATE: xlsx_style.DATE_FORMAT}.get(kind)
        for row in range(3, ws.max_row + 1):
            if fmt:
                ws.cell(row=row, column=i).number_format = fmt
        xlsx_style.fit_width(ws, i, [labels.label(c, "zh")] + [str(r[c] or "") for r in own], 10, 48)
    cells.as_text(ws)  # ledger text: string cells, never formulas
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def send_email(cfg: dict, to: str, subject: str, body: str, attachments: list[tuple[str, bytes]]) -> None:
    """One e-mail through SMTP (cfg: SETTINGS); raises on any failure."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = cfg["smtp_sender"], to, subject
    msg.set_content(body)
    for name, data in attachments:
        msg.add_attachment(data, maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    port = cfg["smtp_port"] or (465 if cfg["smtp_security"] == "tls" else 25)
    timeout = cfg["smtp_timeout"]
    if cfg["smtp_security"] == "tls":
        smtp = smtplib.SMTP_SSL(cfg["smtp_host"], port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(cfg["smtp_host"], port, timeout=timeout)
    try:
        if cfg["smtp_security"] == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if cfg["smtp_user"]:
            smtp.login(cfg["smtp_user"], cfg["smtp_password"])
        smtp.send_message(msg)
    finally:
        # the server has accepted the message once send_message returns: a failing QUIT must not
        # make it count as failed (and be sent again)
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's signed robot URL: timestamp (ms) and sign = base64(HMAC-SHA256(secret,
    "timestamp\\nsecret")), URL-encoded; ``url`` unchanged without a secret."""
    if not secret:
        return url
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sep = "&" if urllib.parse.urlparse(url).query else "?"
    return f"{url}{sep}timestamp={stamp}&sign={urllib.parse.quote_plus(base64.b64encode(digest).decode())}"


def send_webhook(cfg: dict, url: str, body: str) -> None:
    """POST {"msgtype": "text", "text": {"content": body}} (DingTalk / WeCom robots); raises unless
    the answer is 2xx and, when JSON, has no non-zero errcode."""
    payload = json.dumps({"msgtype": "text", "text": {"content": body}}, ensure_ascii=False).encode()
    req = urllib.request.Request(signed_url(url, cfg["webhook_secret"]), data=payload, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=cfg["webhook_timeout"]) as resp:  # noqa: S310 (configured URL)
        answer = resp.read()
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0
    if code:
        raise RuntimeError(f"webhook errcode {code}")


def _error_text(exc: BaseException) -> str:
    # the exception's class and message only: smtplib and urllib do not put passwords in them, and
    # the URL (which may hold a robot token) is not added
    return f"{type(exc).__name__}: {exc}"[:500]


def deliver(con, run_id: int, profile, now: dt.datetime, overrides: dict | None = None) -> tuple[int, int]:
    """Send run ``run_id``'s pending deliveries (alerts/pending.sql), one message per (recipient,
    channel); record every attempt. Returns (events delivered, events failed) counted per
    (event, recipient, channel)."""
    cfg = settings(overrides)
    with runner.registered(con, "alert_batch", runner.arrow(con, "alerts/stored_parties")):
        recipients = runner.arrow(con, "alerts/recipients")
    with runner.registered(con, "alert_recipients", recipients):
        pending = runner.rows(con, "alerts/pending", {"run_id": run_id, "max_attempts": cfg["alert_max_attempts"]})
    groups: dict = {}
    for row in pending:
        groups.setdefault((row["username"], row["channel"], row["address"]), []).append(row)
    attempts, sent, failed = [], 0, 0
    for (username, channel, address), rows in groups.items():
        if channel == "email" and not cfg["smtp_host"]:
            continue  # e-mail not configured here: nothing attempted, nothing used up
        subject, body = message_text(rows, cfg["base_url"])
        try:
            if channel == "email":
                files = [(f"filing_{r['bank']}_{json.loads(r['detail'])['month']}.xlsx",
                          filing_xlsx(con, r["bank"], json.loads(r["detail"])["month"]))
                         for r in rows if r["kind"] == "filing_pack"]
                send_email(cfg, address, subject, body, files)
            else:
                send_webhook(cfg, address, body)
            outcome, error = "sent", None
            sent += len(rows)
        except Exception as exc:  # any failure of this one message: recorded, retried on a later run
            outcome, error = "failed", _error_text(exc)
            failed += len(rows)
        at = dt.datetime.now()
        attempts += [{"run_id": run_id, "kind": r["kind"], "key": r["key"], "username": username,
                      "channel": channel, "attempted_at": at, "outcome": outcome, "error": error} for r in rows]
    if attempts:
        schema = pa.schema([("run_id", pa.int32()), ("kind", pa.string()), ("key", pa.string()),
                            ("username", pa.string()), ("channel", pa.string()), ("attempted_at", pa.timestamp("us")),
                            ("outcome", pa.string()), ("error", pa.string())])
        with runner.registered(con, "alert_attempts", pa.Table.from_pylist(attempts, schema=schema)):
            runner.execute(con, "alerts/insert_deliveries")
    return sent, failed
