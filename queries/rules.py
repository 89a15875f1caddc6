"""The rule index: each rule id of ../shared/spec/RULES.md → its SQL files → its functions → its tests.

One step from an id to its code: ``INDEX["R-NPL"].sql`` are files under queries/sql, ``functions``
dotted names, ``tests`` ``tests/<file>.py::<test>``. A rule not built yet names the issue that builds
it and nothing else; it gets its pointers when it lands. tests/test_rule_index.py fails when an id of
RULES.md has no entry, an entry names an id RULES.md does not have, or a pointer leads nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """Where one rule lives. ``issue``: the open issue that builds it (then nothing else is set)."""

    title: str
    sql: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    issue: int | None = None


GOLDEN = "tests/test_engine_golden.py::"
PROPERTY = "tests/test_engine_property.py::test_engine_agrees_with_day_by_day_reference"
CLAIMS = "tests/test_obligations.py::"
COMPLIANCE = "tests/test_compliance.py::"
SUBSIDIES = "tests/test_subsidies.py::"
PROJ = "tests/test_r_proj.py::"
BREAK = "tests/test_r_break.py::"
WALL = "tests/test_r_wall.py::"
HHI = "tests/test_r_hhi.py::"
ROLL = "tests/test_r_roll.py::"
OUTLOOK_PROPERTY = "tests/test_outlook_property.py::test_projection_and_breach_agree_with_reference"


def _c(file: str, title: str, *tests: str, sql: tuple[str, ...] = ()) -> Rule:
    return Rule(title, sql=(f"compliance/{file}.sql", *sql, "compliance/exceptions.sql"),
                functions=("queries.compliance.exceptions",), tests=tuple(COMPLIANCE + t for t in tests))


INDEX: dict[str, Rule] = {
    "R-SCHED": Rule(
        "repayment schedule",
        sql=("schedule/dues.sql", "schedule/loan_dues.sql"),
        functions=("queries.schedule.dues", "queries.derived.prepare"),
        tests=(GOLDEN + "test_generated_schedule_clips_to_month_end_2023",
               GOLDEN + "test_generated_schedule_clips_to_29_february_2024",
               GOLDEN + "test_generated_interest_rounds_half_up",
               GOLDEN + "test_profile_interest_day_fixes_the_day_of_month",
               GOLDEN + "test_supplied_schedule_wins_over_generation")),
    "R-OUT": Rule(
        "outstanding principal",
        sql=("dpd/flows.sql", "dpd/snapshot.sql", "dpd/loan_state.sql", "dpd/loan_payments.sql"),
        functions=("queries.dpd.loan_snapshot", "queries.dpd.loan_state_at", "queries.dpd.payments"),
        tests=(GOLDEN + "test_compensation_and_write_off_reduce_outstanding_recovery_does_not", PROPERTY)),
    "R-DPD": Rule(
        "days past due",
        sql=("dpd/due_status.sql", "dpd/loan_state.sql", "dpd/snapshot.sql", "dpd/ageing.sql"),
        functions=("queries.dpd.loan_state_at", "queries.dpd.loan_snapshot", "queries.dpd.ageing",
                   "queries.dpd.loan_history"),
        tests=(GOLDEN + "test_due_paid_on_its_due_date_is_never_late",
               GOLDEN + "test_a_due_is_not_late_on_its_own_due_date_and_one_day_late_the_next",
               GOLDEN + "test_tolerance_001_is_tolerated_002_is_not",
               GOLDEN + "test_streams_are_separate_and_loan_dpd_is_the_larger",
               GOLDEN + "test_ageing_bucket_boundaries", PROPERTY)),
    "R-NPL": Rule(
        "point-in-time non-performing ratio",
        sql=("ratio/summary.sql", "ratio/npl_series.sql", "ratio/series_status.sql", "ratio/breakdown.sql"),
        functions=("queries.ratio.summary", "queries.ratio.npl_series", "queries.ratio.month_end_series",
                   "queries.ratio.breakdown"),
        tests=(GOLDEN + "test_overdue_loan_counts_with_its_whole_outstanding",
               GOLDEN + "test_null_ratio_without_active_loans",
               GOLDEN + "test_breakdown_and_scope", PROPERTY)),
    "R-HALT": Rule(
        "5% halt trigger",
        sql=("halt/halt.sql", "halt/halt_episodes.sql", "halt/resumes.sql", "halt/status_on.sql", "halt/day.sql",
             "ratio/summary.sql"),
        functions=("queries.halt.halt_episodes", "queries.halt.resumes", "queries.halt.status_on",
                   "queries.ratio.summary", "queries.derived.stage_halt"),
        tests=(GOLDEN + "test_exactly_five_percent_is_warning_not_breach",
               GOLDEN + "test_five_point_zero_one_percent_breaches_and_headroom_is_negative",
               GOLDEN + "test_halt_stays_after_the_ratio_falls_until_a_resume",
               GOLDEN + "test_halt_episodes_and_resume_while_breached", PROPERTY)),
    "R-CLASS": Rule(
        "five-category classification",
        sql=("classification/classification.sql", "dpd/snapshot.sql"),
        functions=("queries.classification.classification",),
        tests=(GOLDEN + "test_five_category_boundaries_and_bank_ratio",)),
    "R-ALERT60": Rule(
        "overdue-60-day alerts",
        sql=("alert60/alerts.sql",),
        functions=("queries.alert60.alerts",),
        tests=(GOLDEN + "test_alert_at_60_days_not_59",)),
    "R-COMP": Rule(
        "compensation claims and their deadline",
        sql=("claims/claim_notices.sql", "claims/notice_state.sql", "claims/claims.sql"),
        functions=("queries.claims.claims", "queries.claims.notice_state"),
        tests=(CLAIMS + "test_claim_is_pending_through_the_deadline_and_late_the_day_after",
               CLAIMS + "test_claim_settles_within_one_fen_of_the_expected_amount",
               CLAIMS + "test_claim_paid_after_the_deadline_is_late_until_paid_then_settled",
               CLAIMS + "test_notice_before_60_days_past_due_is_premature",
               CLAIMS + "test_earliest_of_several_notices_opens_the_claim_and_outstanding_is_taken_at_it",
               CLAIMS + "test_direct_pledge_notice_is_the_banks_own_disposal_not_a_guarantor_claim")),
    "R-LOSS": Rule(
        "loss sharing and recoveries",
        sql=("claims/loss_sharing.sql", "claims/notice_state.sql"),
        functions=("queries.claims.loss_sharing",),
        tests=(CLAIMS + "test_loss_and_recoveries_split_by_share_with_the_bank_taking_the_rounding",
               CLAIMS + "test_direct_pledge_loss_is_the_banks_alone")),
    "R-BAN": Rule(
        "three-year ban",
        sql=("bans/bans.sql",),
        functions=("queries.bans.bans",),
        tests=(CLAIMS + "test_ban_runs_to_the_same_calendar_day_three_years_later_and_29_february_ends_28_february",)),
    "R-SUB": Rule(
        "subsidies",
        sql=("subsidies/paid_off.sql", "subsidies/eligible.sql", "subsidies/by_enterprise.sql",
             "subsidies/year_total.sql", "subsidies/paid.sql", "subsidies/comparison.sql", "subsidies/rollup.sql"),
        functions=("queries.subsidies.eligible", "queries.subsidies.by_enterprise", "queries.subsidies.year_total",
                   "queries.subsidies.paid", "queries.subsidies.comparison", "queries.subsidies.rollup"),
        tests=(SUBSIDIES + "test_yearly_cap_cuts_the_interest_part_first",
               SUBSIDIES + "test_capped_amount_goes_to_the_earliest_repaid_loan_first",
               SUBSIDIES + "test_on_time_requirement_uses_r_dpd",
               SUBSIDIES + "test_loans_not_repaid_by_the_borrower_are_not_eligible",
               SUBSIDIES + "test_lpr_base_is_the_interest_at_the_lpr_when_lower",
               SUBSIDIES + "test_comparison_sets_paid_beside_eligible_under_the_eligibility_year")),
    "C1": _c("c01_principal", "single-loan cap", "test_c1_single_loan_cap_is_inclusive",
             sql=("compliance/terms_base.sql",)),
    "C2": _c("c02_term", "maximum term", "test_c2_term_ends_on_the_same_calendar_day",
             sql=("compliance/terms_base.sql",)),
    "C3": _c("c03_pledge_rate", "pledge rate", "test_c3_exactly_60_percent_of_the_lower_value_passes",
             sql=("compliance/terms_base.sql",)),
    "C4": _c("c04_rate", "rate over LPR", "test_c4_rate_against_the_lpr_in_force_on_disbursement",
             "test_c4_loan_before_any_lpr_on_record_cannot_pass", sql=("compliance/terms_base.sql",)),
    "C5": _c("c05_c06_fees", "guarantee fee", "test_c5_c6_fees_at_most_one_percent",
             sql=("compliance/terms_base.sql",)),
    "C6": _c("c05_c06_fees", "appraisal fee", "test_c5_c6_fees_at_most_one_percent",
             sql=("compliance/terms_base.sql",)),
    "C7": _c("c07_annual_cap", "annual cap per enterprise",
             "test_c7_annual_cap_flags_the_loan_that_crosses_it_and_every_later_one_that_year"),
    "C8": _c("c08_patent_term", "pledged patents' remaining term", "test_c8_pledged_patents_need_three_more_years"),
    "C9": _c("c09_ban", "no loan inside a ban window", "test_c9_ban_window_ends_inclusive_three_years_after_the_notice"),
    "C10": _c("c10_halt", "no loan while halted", "test_c10_uses_the_status_at_the_end_of_the_day_before_disbursement",
              sql=("compliance/c10_halt_days.sql",)),
    "C11": _c("c11_guarantor", "guarantor named for indirect pledges only",
              "test_c11_guarantor_named_exactly_for_indirect_pledges", sql=("compliance/terms_base.sql",)),
    "R-SCOPE": Rule("who sees what", issue=13),
    "R-FRESH": Rule("data freshness", issue=14),
    "R-IPSTAT": Rule("the pledged IP's legal status", issue=15),
    "R-COVER": Rule("collateral coverage", issue=15),
    "R-WALL": Rule(
        "the maturity wall",
        sql=("outlook/wall.sql",),
        functions=("queries.outlook.wall", "queries.outlook.outlook"),
        tests=(WALL + "test_wall_by_horizon_bank_and_lateness",)),
    "R-PROJ": Rule(
        "projected ratio and days to breach",
        sql=("outlook/projection.sql", "outlook/days_to_breach.sql"),
        functions=("queries.outlook.projection", "queries.outlook.days_to_breach", "queries.outlook.outlook"),
        tests=(PROJ + "test_good_loans_repaying_alone_breach_on_a_known_day",
               PROJ + "test_stress_loan_with_late_history_keeps_its_principal",
               PROJ + "test_late_history_of_the_renewed_loan_counts_for_stress",
               PROJ + "test_already_above_is_zero_and_short_schedule_is_completed_at_maturity",
               OUTLOOK_PROPERTY)),
    "R-BREAK": Rule(
        "headroom in loans",
        sql=("outlook/break_count.sql", "outlook/break_loans.sql"),
        functions=("queries.outlook.breach", "queries.outlook.outlook"),
        tests=(BREAK + "test_headroom_exactly_one_loans_outstanding_needs_one_more_loan",
               BREAK + "test_largest_loans_come_first_not_loan_id_order",
               BREAK + "test_negative_headroom_is_zero_and_never_enough_is_null", OUTLOOK_PROPERTY)),
    "R-HHI": Rule(
        "concentration",
        sql=("outlook/hhi.sql",),
        functions=("queries.outlook.hhi", "queries.outlook.outlook"),
        tests=(HHI + "test_two_equal_banks_is_one_half",
               HHI + "test_three_way_split_is_exact_and_ip_type_uses_cover_weights")),
    "R-ROLL": Rule(
        "roll rates",
        sql=("outlook/roll.sql",),
        functions=("queries.outlook.roll", "queries.outlook.month_ends"),
        tests=(ROLL + "test_loan_repaid_between_month_ends_rolls_to_repaid",
               ROLL + "test_loan_closed_by_renewal_takes_its_renewals_bucket")),
    "R-NOTIFY": Rule("alerts delivered", issue=14),
}
