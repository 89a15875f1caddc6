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


SCHED = "tests/test_r_sched.py::"
OUT = "tests/test_r_out.py::"
DPD = "tests/test_r_dpd.py::"
NPL = "tests/test_r_npl.py::"
HALT = "tests/test_r_halt.py::"
CLASS = "tests/test_r_class.py::"
ALERT60 = "tests/test_r_alert60.py::"
PROPERTY = "tests/test_engine_property.py::test_engine_agrees_with_day_by_day_reference"
COMP = "tests/test_r_comp.py::"
LOSS = "tests/test_r_loss.py::"
BAN = "tests/test_r_ban.py::"
SUBSIDIES = "tests/test_r_sub.py::"
GIVEN = "tests/test_given_expect.py::"  # given/expect cases, one test per query
IPSTAT = "tests/test_r_ipstat.py::"
COVER = "tests/test_r_cover.py::"
COLLATERAL_PROPERTY = "tests/test_collateral_property.py::test_collateral_watch_and_coverage_agree_with_the_reference_on_every_day"
PROJ = "tests/test_r_proj.py::"
BREAK = "tests/test_r_break.py::"
WALL = "tests/test_r_wall.py::"
HHI = "tests/test_r_hhi.py::"
ROLL = "tests/test_r_roll.py::"
FRESH = "tests/test_r_fresh.py::"
NOTIFY = "tests/test_r_notify.py::"
DELIVERY = "tests/test_alert_delivery.py::"
OUTLOOK_PROPERTY = "tests/test_outlook_property.py::test_projection_and_breach_agree_with_reference"
SCOPE = "tests/test_r_scope_queries.py::"
SCOPE_REPORT = "tests/test_r_scope_report.py::"
SCOPE_PAGES = "tests/test_r_scope_pages.py::"  # the AppTest tour of every page per demo account


def _c(n: int, name: str, title: str, *tests: str, sql: tuple[str, ...] = (), file: str = "",
       case: bool = False) -> Rule:
    """A C-rule: its own SQL file, queries.compliance.exceptions, tests in tests/test_c<nn>.py (or ``file``);
    ``case``: a given/expect case of tests/test_given_expect.py has a row failing it."""
    return Rule(title, sql=(f"compliance/c{n:02d}_{name}.sql", *sql, "compliance/exceptions.sql"),
                functions=("queries.compliance.exceptions",),
                tests=tuple(f"tests/{file or f'test_c{n:02d}.py'}::{t}" for t in tests)
                + ((GIVEN + "test_compliance_exceptions",) if case else ()))


INDEX: dict[str, Rule] = {
    "R-SCHED": Rule(
        "repayment schedule",
        sql=("schedule/dues.sql", "schedule/loan_dues.sql", "schedule/loan_cumulative.sql"),
        functions=("queries.schedule.dues", "queries.schedule.cumulative", "queries.derived.prepare"),
        tests=(SCHED + "test_generated_schedule_clips_to_month_end_2023",
               SCHED + "test_generated_schedule_clips_to_29_february_2024",
               SCHED + "test_generated_interest_rounds_half_up",
               SCHED + "test_profile_interest_day_fixes_the_day_of_month",
               SCHED + "test_supplied_schedule_wins_over_generation")),
    "R-OUT": Rule(
        "outstanding principal",
        sql=("dpd/flows.sql", "dpd/snapshot.sql", "dpd/loan_state.sql", "dpd/loan_payments.sql"),
        functions=("queries.dpd.loan_snapshot", "queries.dpd.loan_state_at", "queries.dpd.payments"),
        tests=(OUT + "test_compensation_and_write_off_reduce_outstanding_recovery_does_not",
               GIVEN + "test_dpd_snapshot", PROPERTY)),
    "R-DPD": Rule(
        "days past due",
        sql=("dpd/due_status.sql", "dpd/loan_state.sql", "dpd/snapshot.sql", "dpd/ageing.sql", "dpd/first_late.sql"),
        functions=("queries.dpd.loan_state_at", "queries.dpd.loan_snapshot", "queries.dpd.ageing",
                   "queries.dpd.loan_history"),
        tests=(DPD + "test_due_paid_on_its_due_date_is_never_late",
               DPD + "test_a_due_is_not_late_on_its_own_due_date_and_one_day_late_the_next",
               DPD + "test_tolerance_001_is_tolerated_002_is_not",
               DPD + "test_streams_are_separate_and_loan_dpd_is_the_larger",
               DPD + "test_ageing_bucket_boundaries",
               DPD + "test_loan_state_probes_many_days_and_skips_unknown_loans",
               GIVEN + "test_dpd_snapshot", PROPERTY)),
    "R-NPL": Rule(
        "point-in-time non-performing ratio",
        sql=("ratio/summary.sql", "ratio/npl_series.sql", "ratio/series_status.sql", "ratio/breakdown.sql",
             "ratio/loan_changes.sql"),
        functions=("queries.ratio.summary", "queries.ratio.npl_series", "queries.ratio.month_end_series",
                   "queries.ratio.breakdown"),
        tests=(NPL + "test_overdue_loan_counts_with_its_whole_outstanding",
               NPL + "test_null_ratio_without_active_loans",
               NPL + "test_breakdown_and_scope",
               NPL + "test_month_end_series_comes_from_the_daily_series",
               GIVEN + "test_ratio_summary", PROPERTY)),
    "R-HALT": Rule(
        "5% halt trigger",
        sql=("halt/halt.sql", "halt/halt_episodes.sql", "halt/resumes.sql", "halt/status_on.sql", "halt/day.sql",
             "ratio/summary.sql"),
        functions=("queries.halt.halt_episodes", "queries.halt.resumes", "queries.halt.status_on",
                   "queries.ratio.summary", "queries.derived.stage_halt"),
        tests=(HALT + "test_exactly_five_percent_is_warning_not_breach",
               HALT + "test_five_point_zero_one_percent_breaches_and_headroom_is_negative",
               HALT + "test_halt_stays_after_the_ratio_falls_until_a_resume",
               HALT + "test_halt_episodes_and_resume_while_breached",
               GIVEN + "test_ratio_summary", GIVEN + "test_halt_episodes", PROPERTY)),
    "R-CLASS": Rule(
        "five-category classification",
        sql=("classification/classification.sql", "dpd/snapshot.sql"),
        functions=("queries.classification.classification",),
        tests=(CLASS + "test_five_category_boundaries_and_bank_ratio", GIVEN + "test_dpd_snapshot")),
    "R-ALERT60": Rule(
        "overdue-60-day alerts",
        sql=("alert60/alerts.sql",),
        functions=("queries.alert60.alerts",),
        tests=(ALERT60 + "test_alert_at_60_days_not_59", GIVEN + "test_alert60_alerts")),
    "R-COMP": Rule(
        "compensation claims and their deadline",
        sql=("claims/claim_notices.sql", "claims/notice_state.sql", "claims/claims.sql"),
        functions=("queries.claims.claims", "queries.claims.notice_state"),
        tests=(COMP + "test_claim_is_pending_through_the_deadline_and_late_the_day_after",
               COMP + "test_claim_settles_within_one_fen_of_the_expected_amount",
               COMP + "test_claim_paid_after_the_deadline_is_late_until_paid_then_settled",
               COMP + "test_notice_before_60_days_past_due_is_premature",
               COMP + "test_earliest_of_several_notices_opens_the_claim_and_outstanding_is_taken_at_it",
               COMP + "test_direct_pledge_notice_is_the_banks_own_disposal_not_a_guarantor_claim",
               GIVEN + "test_claims_claims")),
    "R-LOSS": Rule(
        "loss sharing and recoveries",
        sql=("claims/loss_sharing.sql", "claims/notice_state.sql"),
        functions=("queries.claims.loss_sharing",),
        tests=(LOSS + "test_loss_and_recoveries_split_by_share_with_the_bank_taking_the_rounding",
               LOSS + "test_direct_pledge_loss_is_the_banks_alone")),
    "R-BAN": Rule(
        "three-year ban",
        sql=("bans/bans.sql",),
        functions=("queries.bans.bans",),
        tests=(BAN + "test_ban_runs_to_the_same_calendar_day_three_years_later_and_29_february_ends_28_february",)),
    "R-SUB": Rule(
        "subsidies",
        sql=("subsidies/paid_off.sql", "subsidies/eligible.sql", "subsidies/eligible_sorted.sql",
             "subsidies/by_enterprise.sql",
             "subsidies/year_total.sql", "subsidies/paid.sql", "subsidies/comparison.sql", "subsidies/rollup.sql"),
        functions=("queries.subsidies.eligible", "queries.subsidies.by_enterprise", "queries.subsidies.year_total",
                   "queries.subsidies.paid", "queries.subsidies.comparison", "queries.subsidies.rollup"),
        tests=(SUBSIDIES + "test_yearly_cap_cuts_the_interest_part_first",
               SUBSIDIES + "test_capped_amount_goes_to_the_earliest_repaid_loan_first",
               SUBSIDIES + "test_on_time_requirement_uses_r_dpd",
               SUBSIDIES + "test_loans_not_repaid_by_the_borrower_are_not_eligible",
               SUBSIDIES + "test_lpr_base_is_the_interest_at_the_lpr_when_lower",
               SUBSIDIES + "test_comparison_sets_paid_beside_eligible_under_the_eligibility_year",
               GIVEN + "test_subsidies_eligible")),
    "C1": _c(1, "principal", "single-loan cap", "test_c1_single_loan_cap_is_inclusive",
             sql=("compliance/terms_base.sql",)),
    "C2": _c(2, "term", "maximum term", "test_c2_term_ends_on_the_same_calendar_day",
             sql=("compliance/terms_base.sql",)),
    "C3": _c(3, "pledge_rate", "pledge rate", "test_c3_exactly_60_percent_of_the_lower_value_passes",
             sql=("compliance/terms_base.sql",), case=True),
    "C4": _c(4, "rate", "rate over LPR", "test_c4_rate_against_the_lpr_in_force_on_disbursement",
             "test_c4_loan_before_any_lpr_on_record_cannot_pass", sql=("compliance/terms_base.sql",)),
    "C5": _c(5, "c06_fees", "guarantee fee", "test_c5_c6_fees_at_most_one_percent",
             sql=("compliance/terms_base.sql",), file="test_c05_c06.py", case=True),
    "C6": _c(5, "c06_fees", "appraisal fee", "test_c5_c6_fees_at_most_one_percent",
             sql=("compliance/terms_base.sql",), file="test_c05_c06.py"),
    "C7": _c(7, "annual_cap", "annual cap per enterprise",
             "test_c7_annual_cap_flags_the_loan_that_crosses_it_and_every_later_one_that_year", case=True),
    "C8": _c(8, "patent_term", "pledged patents' remaining term", "test_c8_pledged_patents_need_three_more_years",
             case=True),
    "C9": _c(9, "ban", "no loan inside a ban window", "test_c9_ban_window_ends_inclusive_three_years_after_the_notice",
             case=True),
    "C10": _c(10, "halt", "no loan while halted", "test_c10_uses_the_status_at_the_end_of_the_day_before_disbursement",
              sql=("compliance/c10_halt_days.sql",), case=True),
    "C11": _c(11, "guarantor", "guarantor named for indirect pledges only",
              "test_c11_guarantor_named_exactly_for_indirect_pledges", sql=("compliance/terms_base.sql",)),
    "R-SCOPE": Rule(
        "who sees what",
        sql=("dpd/snapshot.sql", "claims/claim_notices.sql", "claims/claims.sql", "claims/loss_sharing.sql",
             "bans/bans.sql", "compliance/exceptions.sql", "compliance/c09_ban.sql", "compliance/terms_base.sql",
             "subsidies/eligible.sql", "subsidies/paid.sql", "renewals/renewal_chains.sql",
             "portfolio/loan_ids.sql", "portfolio/loan_terms.sql", "portfolio/loan_collateral.sql",
             "portfolio/loan_events.sql", "portfolio/institutions.sql", "portfolio/filing_summary.sql",
             "portfolio/disbursements_by_month.sql", "portfolio/disbursed_in_year.sql", "ratio/breakdown.sql",
             "dpd/loan_payments.sql", "schedule/loan_dues.sql", "schedule/loan_start.sql",
             "collateral/status_history.sql", "outlook/break_loans.sql", "outlook/wall.sql"),
        functions=("queries.runner.params", "queries.runner.scope_params", "queries.runner.scope_for",
                   "queries.runner.program", "queries.report.build_report", "queries.report.parse_scope",
                   "queries.report.check_scope", "queries.portfolio.loan_terms", "queries.compliance.exceptions",
                   "queries.subsidies.eligible", "queries.claims.claims", "queries.ratio.breakdown"),
        tests=(SCOPE + "test_snapshot_alerts_ageing_classification_are_the_partys_loans",
               SCOPE + "test_claims_loss_sharing_and_bans_are_the_partys_loans",
               SCOPE + "test_compliance_is_the_partys_loans_and_names_no_other_partys_loan",
               SCOPE + "test_subsidies_are_the_partys_loans_with_the_enterprise_caps_unchanged",
               SCOPE + "test_portfolio_lists_and_totals_are_the_partys_loans",
               SCOPE + "test_collateral_is_the_partys_loans",
               SCOPE + "test_breakdowns_of_a_party_are_its_own_loans_only",
               SCOPE + "test_one_loan_lookups_answer_an_out_of_scope_loan_as_an_unknown_one",
               SCOPE + "test_a_renewal_of_another_partys_loan_does_not_name_it",
               SCOPE + "test_the_scoped_ratio_is_the_partys_book_and_the_program_figures_stay",
               SCOPE + "test_dashboard_wrappers_read_the_scope_themselves",
               SCOPE + "test_the_overview_shows_a_partys_own_ratio_beside_the_program_ratio",
               SCOPE_REPORT + "test_scope_bank_lists_exactly_that_banks_loans",
               SCOPE_REPORT + "test_scope_guarantor_and_appraiser_list_exactly_their_loans",
               SCOPE_REPORT + "test_a_bad_or_unknown_scope_is_refused_in_both_languages",
               "tests/test_r_scope_roles.py::test_party_roles_are_limited_to_their_organisation",
               SCOPE_PAGES + "test_no_page_state_or_download_shows_anything_of_a_loan_outside_the_scope",
               SCOPE_PAGES + "test_the_account_sees_its_own_loans",
               SCOPE_PAGES + "test_the_figures_shown_are_the_engines_with_the_accounts_scope",
               SCOPE_PAGES + "test_pages_the_role_may_not_open_are_absent_and_their_urls_fall_back"),
    ),
    "R-FRESH": Rule(
        "data freshness",
        sql=("freshness/loan_records.sql", "freshness/written.sql", "freshness/loan_batches.sql",
             "freshness/bank_freshness.sql", "freshness/bank_files.sql"),
        functions=("queries.freshness.banks", "queries.freshness.stale_banks", "queries.freshness.files",
                   "queries.freshness.report_section"),
        tests=(FRESH + "test_a_bank_without_records_or_files_goes_stale_after_35_days",
               FRESH + "test_a_bank_that_still_files_is_not_stale",
               FRESH + "test_freshness_days_comes_from_the_profile",
               FRESH + "test_bureau_table_last_file_rows_rejects_missing_months",
               FRESH + "test_report_key_stale_banks",
               FRESH + "test_scope_narrows_the_banks",
               NOTIFY + "test_a_gap_of_ten_days_yields_every_event_once"),
    ),
    "R-IPSTAT": Rule(
        "the pledged IP's legal status",
        sql=("collateral/ip_watch.sql", "collateral/fee_calendar.sql", "collateral/status_history.sql"),
        functions=("queries.collateral.ip_watch", "queries.collateral.fee_calendar", "queries.collateral.watch",
                   "queries.collateral.status_history", "queries.collateral.report_sections"),
        tests=(IPSTAT + "test_fee_due_in_exactly_30_days_is_due_soon_and_31_is_not",
               IPSTAT + "test_grace_ends_six_months_after_the_due_date_and_the_patent_lapses_the_day_after",
               IPSTAT + "test_a_fee_paid_late_within_grace_clears_the_watch",
               IPSTAT + "test_a_restored_patent_is_valid_again_from_its_restoration_date",
               IPSTAT + "test_several_records_on_one_day_follow_the_precedence_order",
               IPSTAT + "test_a_release_after_disbursement_loses_the_ip_one_before_does_not",
               IPSTAT + "test_without_records_the_ip_is_valid_and_next_fee_due_is_the_filing_anniversary",
               IPSTAT + "test_trademarks_have_no_fee_watch_but_expire_before_maturity_and_are_lost_after_expiry",
               IPSTAT + "test_fee_paid_until_comes_from_the_latest_record_that_gives_one",
               COLLATERAL_PROPERTY)),
    "R-COVER": Rule(
        "collateral coverage",
        sql=("collateral/coverage.sql", "collateral/totals.sql"),
        functions=("queries.collateral.coverage", "queries.collateral.totals", "queries.collateral.report_sections"),
        tests=(COVER + "test_coverage_of_exactly_60_percent_is_not_under_secured",
               COVER + "test_items_without_values_count_equally",
               COVER + "test_values_weigh_when_every_item_has_one_and_the_lower_of_appraised_and_fair_is_the_base",
               COVER + "test_all_items_lost_leaves_no_pledge_value_and_everything_uncovered",
               COVER + "test_a_loan_without_items_keeps_its_full_pledge_value",
               COVER + "test_totals_sum_the_outstanding_of_loans_with_lost_or_at_risk_ip_and_the_uncovered",
               COLLATERAL_PROPERTY)),
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
    "R-NOTIFY": Rule(
        "alerts delivered",
        sql=("alerts/recipients.sql", "alerts/pending.sql", "alerts/inbox.sql", "alerts/insert_events.sql",
             "alerts/open_conditions.sql", "alerts/insert_open.sql", "alerts/filing_pack.sql",
             "alerts/acknowledge.sql"),
        functions=("queries.alerts.run", "queries.alerts.evaluate", "queries.alerts.recipients",
                   "queries.alerts.inbox", "queries.alerts.acknowledge", "queries.alert_delivery.deliver",
                   "queries.alert_delivery.message_text", "queries.alert_delivery.filing_xlsx"),
        tests=(NOTIFY + "test_each_day_yields_the_independently_computed_events",
               NOTIFY + "test_the_story_of_the_spell",
               NOTIFY + "test_every_event_reaches_each_recipient_exactly_once",
               NOTIFY + "test_a_bank_hears_only_of_its_own_loans",
               NOTIFY + "test_running_twice_for_one_day_sends_nothing_new",
               NOTIFY + "test_a_gap_of_ten_days_yields_every_event_once",
               DELIVERY + "test_smtp_killed_mid_run_then_delivered_once",
               DELIVERY + "test_retries_back_off_by_runs_and_stop",
               DELIVERY + "test_monthly_filing_pack_is_each_banks_own_loans",
               "tests/test_inbox.py::test_inbox_shows_the_jobs_events_scoped_per_role"),
    ),
}
