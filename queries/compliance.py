"""Compliance checks C1–C11 of RULES.md on every loan disbursed by the as-of date.

Each rule is one SQL file, queries/sql/compliance/cNN_<what>.sql (FILES; C5 and C6, one check on two
fee columns, share one), returning the same columns: loan_id, rule, item, actual_value, limit_value,
actual_on, limit_on, detail (JSON text of the values that broke the rule). compliance/exceptions.sql
adds rule_key (the i18n key of the rule's description), credit_code, enterprise_name, bank and
disbursed_on and sorts them. Money and rates stay ``decimal.Decimal``.

C1–C6 and C11 check a loan's own terms against compliance/terms_base.sql (pledge value, LPR in
force, term limit), registered once as ``compliance_terms_base``. C10 needs the program status at
the end of the day before each disbursement; this module asks ``halt.status_on`` for exactly those
days and registers the answer as the relation ``halt_status`` read by c10_halt.sql.
"""

from __future__ import annotations

from contextlib import ExitStack

import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from queries import halt, runner

RULES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11")
# rule -> its SQL file (compliance/…); C5 and C6 are one check on two fee columns, so one file
FILES = {
    "C1": "compliance/c01_principal",
    "C2": "compliance/c02_term",
    "C3": "compliance/c03_pledge_rate",
    "C4": "compliance/c04_rate",
    "C5": "compliance/c05_c06_fees",
    "C6": "compliance/c05_c06_fees",
    "C7": "compliance/c07_annual_cap",
    "C8": "compliance/c08_patent_term",
    "C9": "compliance/c09_ban",
    "C10": "compliance/c10_halt",
    "C11": "compliance/c11_guarantor",
}
# the columns every rule file returns (compliance/exceptions.sql adds the rule key and loan names)
BROKEN_SCHEMA = pa.schema([("loan_id", pa.string()), ("rule", pa.string()), ("item", pa.string()),
                           ("actual_value", pa.decimal128(24, 8)), ("limit_value", pa.decimal128(24, 8)),
                           ("actual_on", pa.date32()), ("limit_on", pa.date32()), ("detail", pa.string())])

# What each rule means, in both languages (summary() carries them as description_zh / description_en).
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
TERMS_BASE = "compliance_terms_base"


def halt_status(con, as_of, profile=None, scope=None) -> pa.Table:
    """(day, status, npl_ratio) at the end of each day before a disbursement of a loan in ``scope``
    (R-HALT, halt.status_on: the status is program-wide)."""
    days = runner.frame(con, "compliance/c10_halt_days", runner.params(profile, as_of, scope))
    if days.empty:
        return pa.table({"day": pa.array([], pa.date32()), "status": pa.array([], pa.string()),
                         "npl_ratio": pa.array([], pa.float64())})
    status = halt.status_on(con, list(days["day"]), runner.profile_or_default(profile))
    return pa.table({
        "day": pa.array([pd.Timestamp(d).date() for d in status["day"]], pa.date32()),
        "status": pa.array([str(s) for s in status["status"]], pa.string()),
        # display only: the status itself was decided by the engine on DECIMAL
        "npl_ratio": pa.array([None if pd.isna(r) else str(r) for r in status["npl_ratio"]], pa.string()),
    })


def exceptions(con, as_of, profile=None, rules=RULES, scope=None) -> pd.DataFrame:
    """Every broken rule of every loan disbursed <= as_of, sorted by loan_id, rule (C1 … C11), item.

    ``rules`` limits the checks (C10 is the only one that calls the engine). ``scope`` (R-SCOPE)
    keeps the loans in it; C7 and C9 still count every loan (the cap and the ban are the
    enterprise's), but C9 names no notice loan outside the scope.
    """
    bound = runner.params(profile, as_of, scope)
    files = list(dict.fromkeys(FILES[r] for r in RULES if r in rules))  # C5 and C6 share one
    with ExitStack() as stack:
        stack.enter_context(runner.registered(con, TERMS_BASE, runner.relation(con, "compliance/terms_base", bound)))
        if "C10" in rules:
            stack.enter_context(runner.registered(con, HALT_STATUS, halt_status(con, as_of, profile, scope)))
        broken = [runner.arrow(con, name, bound).cast(BROKEN_SCHEMA) for name in files]
    table = pa.concat_tables(broken) if broken else BROKEN_SCHEMA.empty_table()
    table = table.filter(pa.compute.is_in(table["rule"], pa.array(list(rules), pa.string())))
    with runner.registered(con, "compliance_broken", table):
        return runner.objects(con, "compliance/exceptions", bound)


def summary(con, as_of, profile=None, exc: pd.DataFrame | None = None, scope=None) -> pd.DataFrame:
    """Loans breaking each rule: (rule, rule_key, description_zh, description_en, loans, rows), C1…C11.

    ``exc`` is exceptions()' frame at ``as_of`` (and ``scope``) when the caller has it already."""
    exc = exceptions(con, as_of, profile, scope=scope) if exc is None else exc
    rows = []
    for rule in RULES:
        hit = exc[exc["rule"] == rule]
        rows.append({"rule": rule, "rule_key": f"compliance.{rule}", "description_zh": DESCRIPTIONS[rule][0],
                     "description_en": DESCRIPTIONS[rule][1], "loans": int(hit["loan_id"].nunique()),
                     "rows": len(hit)})
    return pd.DataFrame(rows)


def headline(exc: pd.DataFrame, summary_rows: pd.DataFrame) -> dict:
    """The compliance page's headline from exceptions() and summary(): exceptions (rows in all),
    loans_flagged (distinct loans breaking any rule), first_rule (the first rule with an exception,
    C1 when none)."""
    with_hits = summary_rows.loc[summary_rows["rows"] > 0, "rule"].tolist()
    return {"exceptions": int(summary_rows["rows"].sum()), "loans_flagged": int(exc["loan_id"].nunique()),
            "first_rule": with_hits[0] if with_hits else RULES[0]}
