"""Compliance checks C1–C11 of RULES.md on every loan disbursed by the as-of date.

Each group of rules is one SQL file (queries/sql/compliance_*.sql) with the same columns:
loan_id, rule, rule_key (the i18n key of the rule's description), credit_code, enterprise_name,
bank, disbursed_on, item, actual_value, limit_value, actual_on, limit_on, detail (JSON text of
the values that broke the rule). Money and rates stay ``decimal.Decimal``.

C10 needs the program status at the end of the day before each disbursement; this module asks
``engine.status_on`` for exactly those days and registers the answer as the relation
``halt_status`` read by compliance_halt.sql.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from pipelines import profile as profile_mod
from queries.obligations import params, registered, run

RULES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11")

# What each rule means, in both languages (the dashboard's i18n tables use rule_key).
DESCRIPTIONS = {
    "C1": ("单笔贷款金额不超过上限", "Principal within the single-loan cap"),
    "C2": ("贷款期限不超过1年", "Term within the maximum (same calendar day)"),
    "C3": ("质押率不超过60%（质物价值取评估值与公允值孰低）",
           "Principal within the pledge rate of the pledge value (lower of appraised and fair value)"),
    "C4": ("利率不超过放款日一年期LPR加50个基点", "Rate within the 1-year LPR in force plus the spread"),
    "C5": ("担保费率不超过1%", "Guarantee fee within 1% of principal"),
    "C6": ("评估费率不超过1%", "Appraisal fee within 1% of principal"),
    "C7": ("同一企业每年贷款额度不超过(含)上限", "Enterprise's principal in a calendar year within the cap"),
    "C8": ("质押发明/实用新型专利剩余有效期不少于3年", "Pledged patents run at least 3 more years"),
    "C9": ("代偿后3年内不得再贷", "No loan within 3 years after a compensation notice"),
    "C10": ("业务暂停期间不得放款", "No loan while the program is halted"),
    "C11": ("间接质押须有担保公司，直接质押不得有", "Indirect pledge names a guarantor; direct names none"),
}

HALT_STATUS = "halt_status"
_SQL_ONLY = ("compliance_terms", "compliance_annual_cap", "compliance_patents", "compliance_bans")


def halt_status(con, as_of, profile=None) -> pa.Table:
    """(day, status, npl_ratio) at the end of each day before a disbursement (R-HALT), from the engine."""
    from queries import engine  # written alongside; import late

    prof = profile or profile_mod.load()
    days = run(con, "compliance_halt_days", params(as_of, prof))
    if days.empty:
        return pa.table({"day": pa.array([], pa.date32()), "status": pa.array([], pa.string()),
                         "npl_ratio": pa.array([], pa.float64())})
    status = engine.status_on(con, list(days["day"]), prof)
    if not isinstance(status, pd.DataFrame):
        status = status.to_pandas() if hasattr(status, "to_pandas") else pd.DataFrame(status)
    return pa.table({
        "day": pa.array([pd.Timestamp(d).date() for d in status["day"]], pa.date32()),
        "status": pa.array([str(s) for s in status["status"]], pa.string()),
        # display only: the status itself was decided by the engine on DECIMAL
        "npl_ratio": pa.array([None if pd.isna(r) else str(r) for r in status["npl_ratio"]], pa.string()),
    })


def exceptions(con, as_of, profile=None, rules=RULES) -> pd.DataFrame:
    """Every broken rule of every loan disbursed <= as_of, sorted by loan_id, rule (C1 … C11), item.

    ``rules`` limits the checks (C10 is the only one that calls the engine).
    """
    prof = profile or profile_mod.load()
    bound = params(as_of, prof)
    frames = [run(con, name, bound) for name in _SQL_ONLY]
    if "C10" in rules:
        with registered(con, HALT_STATUS, halt_status(con, as_of, prof)):
            frames.append(run(con, "compliance_halt", bound))
    out = pd.concat(frames, ignore_index=True)
    out = out[out["rule"].isin(rules)]
    order = {r: i for i, r in enumerate(RULES)}
    out = out.assign(_o=out["rule"].map(order), _i=out["item"].fillna(""))
    return out.sort_values(["loan_id", "_o", "_i"]).drop(columns=["_o", "_i"]).reset_index(drop=True)


def summary(con, as_of, profile=None, exc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Loans breaking each rule: (rule, rule_key, description_zh, description_en, loans, rows), C1…C11.

    ``exc`` is exceptions()' frame at ``as_of`` when the caller has it already."""
    exc = exceptions(con, as_of, profile) if exc is None else exc
    rows = []
    for rule in RULES:
        hit = exc[exc["rule"] == rule]
        rows.append({"rule": rule, "rule_key": f"compliance.{rule}", "description_zh": DESCRIPTIONS[rule][0],
                     "description_en": DESCRIPTIONS[rule][1], "loans": int(hit["loan_id"].nunique()),
                     "rows": len(hit)})
    return pd.DataFrame(rows)
