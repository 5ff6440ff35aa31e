"""What the city's report (hasselthelpt/report.py) reads of the sign-ups: per sign-up its vacancy, when it came
in, when the organisation answered and the outcome. Never a name, address, phone number or message.

Read-only. The columns `answered_at` and `outcome` are those of endpoint/answer_migrations.py; the follow-up
work writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .storage import Storage, parse_stamp, stamp

SIGNUP_KIND = "aanmelding"  # forms.FORMS' sign-up form, as storage keeps it in `kind`


@dataclass(frozen=True)
class SignupFact:
    vacancy: str  # the vacancy's slug
    created_at: dt.datetime  # UTC
    answered_at: dt.datetime | None  # UTC; None: the organisation has not answered
    outcome: str | None  # answer_migrations.OUTCOMES, or None

    @property
    def response_days(self) -> float | None:
        """Days from the sign-up to the organisation's first answer."""
        if self.answered_at is None:
            return None
        return max((self.answered_at - self.created_at).total_seconds(), 0.0) / 86400


def signup_facts(storage: Storage, since: dt.datetime | None = None,
                 until: dt.datetime | None = None) -> list[SignupFact]:
    """Every sign-up received in [since, until), oldest first, with its answer and outcome."""
    sql = "SELECT vacancy, created_at, answered_at, outcome FROM submissions WHERE kind = ?"
    params: list = [SIGNUP_KIND]
    if since:
        sql += " AND created_at >= ?"
        params.append(stamp(since))
    if until:
        sql += " AND created_at < ?"
        params.append(stamp(until))
    with storage.transaction(write=False) as cur:
        rows = cur.all(sql + " ORDER BY created_at, id", tuple(params))
    return [SignupFact(vacancy or "", parse_stamp(created), parse_stamp(answered) if answered else None, outcome)
            for vacancy, created, answered, outcome in rows]
