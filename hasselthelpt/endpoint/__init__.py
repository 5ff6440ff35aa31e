"""The form endpoint: sign-ups for vacancies, matching-appointment requests and vacancy submissions.

`create_app(settings)` (app.py) builds the WSGI application. Settings come from the environment, read once
at the edge (config.py); storage (SQLite or PostgreSQL, storage.py) commits each submission together with its
notification mails, which the outbox (outbox.py) delivers over SMTP with retries.
"""

from .app import create_app
from .config import EndpointSettings, from_env

__all__ = ["create_app", "EndpointSettings", "from_env"]
