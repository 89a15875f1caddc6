"""R-HALT: the 5 % halt trigger — halt status of every day, episodes, resume decisions, the status
at given days (C10 asks for the day before each disbursement).

halt/halt.sql decides each day's status over the program-wide daily series (ratio/npl_series.sql;
both staged by ``derived.stage_halt``, from the store or the process cache); halt/halt_episodes.sql,
halt/resumes.sql and halt/status_on.sql read it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pyarrow as pa

from queries import derived, runner

_NO_EPISODES = pa.schema([("start_on", pa.date32()), ("resume_on", pa.date32()), ("end_on", pa.date32()),
                          ("resume_while_breached", pa.bool_())])


def halt_episodes(con, profile, end=None) -> pd.DataFrame:
    """Halt episodes (R-HALT): start_on, resume_on, end_on, resume_while_breached.

    end_on / resume_on are null while the episode is still in force at ``end`` (default latest
    ledger date). A resume dated r ends the halt on r (halted through r − 1); if r is itself a
    breach day a new episode starts on r and resume_while_breached is true.
    """
    p = runner.params(profile)
    end = runner.as_date(end) if end is not None else derived.latest_ledger_date(con)
    if not derived.stage_halt(con, p, end):
        return _NO_EPISODES.empty_table().to_pandas()
    return runner.frame(con, "halt/halt_episodes", p)


def resumes(con, profile, end=None) -> pd.DataFrame:
    """Every resume decision (R-HALT): decided_on, npl_ratio, resume_while_breached (flagged: the
    ratio was still above the halt threshold that day), ended_halt, still_halted."""
    p = runner.params(profile)
    end = runner.as_date(end) if end is not None else derived.latest_ledger_date(con)
    if not derived.stage_halt(con, p, end):
        return pd.DataFrame(columns=["decided_on", "npl_ratio", "resume_while_breached", "ended_halt", "still_halted"])
    return runner.frame(con, "halt/resumes", p)


def status_on(con, dates: Iterable, profile) -> pd.DataFrame:
    """Program status at the END of each given day (R-HALT; C10 asks for the day before a
    disbursement): day, status, npl_ratio, halted, halted_since."""
    days = sorted({runner.as_date(d) for d in dates})
    frame = pd.DataFrame({"day": pd.Series(days, dtype="object")})
    p = runner.params(profile)
    if days:
        latest = derived.latest_ledger_date(con)
        end = max(days[-1], latest) if latest else days[-1]
        # days before the history starts are normal with a null ratio (halt/status_on.sql), so the
        # series need not reach back to them: the stored one (from the history start) serves
        staged = derived.stage_halt(con, p, end)
    else:
        staged = False
    with runner.registered(con, "pw_dates_input", frame):
        con.register("pw_dates", runner.arrow(con, "halt/dates"))
    return runner.frame(con, "halt/status_on" if staged else "halt/status_no_history", p)
