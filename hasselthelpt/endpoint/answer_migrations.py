"""The storage's migrations for what became of a sign-up: the organisation's answer and the outcome.

Kept apart from storage.py's own list so that the follow-up work (reminders, the "did it lead to a match?"
mail) and the city's report (hasselthelpt/report.py) share two plain, nullable columns on `submissions`:

- `answered_at`: UTC, ISO 8601 (storage.stamp), when the organisation first answered the sign-up (any of
  "contact opgenomen", "match", "geen match"); NULL: no answer yet.
- `outcome`: the latest known outcome, one of OUTCOMES; NULL: none known.

Only sign-ups (kind 'aanmelding') carry them. storage.MIGRATIONS appends these, so `migrate()` applies them
once, in order, like every other migration.
"""

from __future__ import annotations

# outcome value -> Dutch label, as the organisation's one-click links name them
OUTCOMES = {
    "contact": "Contact opgenomen",
    "match": "Match",
    "geen-match": "Geen match",
}

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0008_signup_answers", """
        ALTER TABLE submissions ADD COLUMN answered_at TEXT;  -- sign-ups: when the organisation first answered
        ALTER TABLE submissions ADD COLUMN outcome TEXT        -- sign-ups: contact, match, geen-match (OUTCOMES)
    """),
)
