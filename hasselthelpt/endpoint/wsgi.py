"""The WSGI entry point for deployment: `gunicorn 'hasselthelpt.endpoint.wsgi:app()'`.

This is an edge: it reads the HH_* environment variables (config.py) once, opens the storage, and starts
the outbox in each worker process (mails are leased, so workers never send one twice at a time).
"""

from __future__ import annotations

import logging
import os

from .app import Endpoint, create_app
from .config import from_env
from .outbox import Outbox, start_thread


def app(outbox: bool = True) -> Endpoint:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = from_env(os.environ)
    endpoint = create_app(settings)
    if outbox:
        _, wake = start_thread(Outbox(endpoint.storage, settings, endpoint.clock))
        endpoint.on_stored = wake.set
    return endpoint
