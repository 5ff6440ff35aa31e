"""The outbox: mails queued with their submission are sent over SMTP, with retries and back-off.

A mail server that is down delays mail but loses nothing: a failed mail stays in the outbox and is tried
again after 30 s, 60 s, 120 s ... up to an hour (HH_OUTBOX_RETRY), until it is sent. Each mail is leased
while it is being sent, so several senders (gunicorn workers, `hasselthelpt outbox`) never send it twice at
the same time. Delivery is at least once: a crash between the server's "OK" and our commit sends it again.

A mail that fails for a reason a retry will not cure (the server answers 5xx, or the message cannot be built
or encoded) is given up after PERMANENT_TRIES attempts, and any mail after MAX_TRIES (about a week at the
default hourly retry): it becomes a dead letter with its reason, which `hasselthelpt outbox` shows and
`hasselthelpt outbox --retry ID` queues again once the cause is fixed.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import logging
import smtplib
import threading
from typing import Callable

from .config import EndpointSettings
from .mails import build_message
from .storage import UTC, OutboxMail, Storage

log = logging.getLogger("hasselthelpt.outbox")
LEASE_SECONDS = 120
PERMANENT_TRIES = 3  # a 5xx answer may be a passing misconfiguration: try a few times before giving up
MAX_TRIES = 200  # any error: at most an hour apart, this is about a week
MESSAGE_ERRORS = (ValueError, TypeError, LookupError, email.errors.MessageError)  # building or encoding one
PER_MAIL = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused,
            smtplib.SMTPNotSupportedError, *MESSAGE_ERRORS)  # errors of one mail: the connection goes on


def permanent(error: BaseException) -> bool:
    """Whether a retry cannot cure this error: the server refused with a 5xx code, or the message itself is
    wrong (it cannot be built, or encoded for this server)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, (smtplib.SMTPNotSupportedError, *MESSAGE_ERRORS))


def backoff(attempts: int, first: float, largest: float) -> float:
    """Seconds to wait after the given number of failed attempts (1, 2, ...)."""
    return min(first * 2 ** max(attempts - 1, 0), largest)


def reason(error: BaseException) -> str:
    """An error as a person reads it: the server's own answer, with its code, where there is one."""
    def answer(code: int, text: bytes | str) -> str:
        return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the mail server refused " + "; ".join(f"{addr}: {answer(*reply)}"
                                                     for addr, reply in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"the mail server answered {answer(error.smtp_code, error.smtp_error)} ({type(error).__name__})"
    return f"{type(error).__name__}: {error}"


class Outbox:
    def __init__(self, storage: Storage, settings: EndpointSettings,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(UTC)):
        self.storage, self.settings, self.clock = storage, settings, clock

    def _connect(self) -> smtplib.SMTP:
        smtp = self.settings.smtp
        conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        try:
            if smtp.starttls:
                conn.starttls()
            if smtp.user:
                conn.login(smtp.user, smtp.password)
        except BaseException:
            conn.close()
            raise
        return conn

    def _failed(self, mail: OutboxMail, error: BaseException) -> None:
        attempts = mail.attempts + 1
        delay = backoff(attempts, *self.settings.retry)
        why = reason(error)
        now = self.clock()
        if attempts >= MAX_TRIES or (permanent(error) and attempts >= PERMANENT_TRIES):
            log.error("Mail %s given up after %s attempt(s): %s (see 'hasselthelpt outbox')", mail.id, attempts, why)
            self.storage.mail_failed(mail.id, why, now, dead_at=now)
            return
        log.warning("Mail %s not sent (attempt %s, next in %.0f s): %s", mail.id, attempts, delay, why)
        self.storage.mail_failed(mail.id, why, now + dt.timedelta(seconds=delay))

    def send_due(self, limit: int = 50) -> tuple[int, int]:
        """Send the mails that are due now; returns (sent, failed)."""
        mails = self.storage.claim_mails(self.clock(), LEASE_SECONDS, limit)
        if not mails:
            return 0, 0
        try:
            conn = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            for mail in mails:
                self._failed(mail, exc)
            return 0, len(mails)
        sent = failed = 0
        with conn:
            for i, mail in enumerate(mails):
                try:
                    message = build_message(self.settings.mail_from, mail.to, mail.subject, mail.body,
                                            mail.reply_to, mail.attachment, mail.html, mail.headers)
                    conn.send_message(message)
                except PER_MAIL as exc:
                    self._failed(mail, exc)  # this mail only: go on with the next
                    failed += 1
                    continue
                except (OSError, smtplib.SMTPException) as exc:  # the connection is gone: retry all later
                    for rest in mails[i:]:
                        self._failed(rest, exc)
                    return sent, failed + len(mails) - i
                self.storage.mail_sent(mail.id, self.clock())
                sent += 1
        return sent, failed

    def run(self, stop: threading.Event, wake: threading.Event, idle_seconds: float = 5.0) -> None:
        """Send until `stop` is set; `wake` (set after each new submission) sends at once."""
        while not stop.is_set():
            try:
                while self.send_due()[0]:
                    pass
            except Exception:  # the database may be away for a moment: log, and try again later
                log.exception("The outbox could not send")
            wake.wait(idle_seconds)
            wake.clear()


def start_thread(outbox: Outbox, idle_seconds: float = 5.0) -> tuple[threading.Event, threading.Event]:
    """Run the outbox in a daemon thread; returns (stop, wake)."""
    stop, wake = threading.Event(), threading.Event()
    threading.Thread(target=outbox.run, args=(stop, wake, idle_seconds), name="hasselthelpt-outbox",
                     daemon=True).start()
    return stop, wake
