"""Delivering the outbox over SMTP, with retries and back-off. A failure never loses a message.

The sweep writes ``OutboxMessage`` rows in the same transaction as the reminders they belong to; this module
sends them later, outside that transaction, because no transaction may stay open across a network call.

Each message is first *claimed* (a conditional update to ``sending`` with a lease, committed), then sent, then
marked ``sent`` (committed). Two senders can therefore never send the same message at the same time. If a sender
dies between sending and marking, the lease expires and the message is sent again: delivery is at-least-once,
and the stable ``Message-ID`` lets mail servers and clients drop that rare duplicate.

Failures: a connection problem or a temporary SMTP answer (4xx) keeps the message ``pending`` and retries it with
exponential back-off, capped at an hour, for as long as it takes (a mail server down for a day delays mail, it
does not drop it). A permanent answer (5xx, e.g. an unknown recipient) is retried too, and after
``MAIL_MAX_ATTEMPTS`` the message is parked as ``failed``, still in the table: the admin page "Mail" lists it
(``outbox_overview``) and sends it again on request (``retry_failed``).

A message that can never be sent as it is (a recipient that is no valid address, e.g. one with a line break
stored before addresses were checked, or a header that cannot be written) is parked as ``failed`` at once, before
any connection is made, and the run goes on with the next one: one bad row never holds up the mails behind it.
"""
from __future__ import annotations

import ipaddress
import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, or_, select, update

from thuiszitters.extensions import db
from thuiszitters.identifiers import InvalidIdentifier, normalize_email
from thuiszitters.reminders.models import OutboxMessage

log = logging.getLogger(__name__)

SEND_LEASE = timedelta(minutes=10)
BASE_DELAY_SECONDS = 60
MAX_DELAY_SECONDS = 3600


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    skipped: bool = False


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the n-th failed attempt: 1, 2, 4, ... minutes, at most an hour."""
    exponent = max(0, attempts - 1)
    return timedelta(seconds=min(BASE_DELAY_SECONDS * (2 ** min(exponent, 20)), MAX_DELAY_SECONDS))


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _describe(exc: Exception) -> str:
    """The error class and SMTP code only: server texts can echo the recipient's address."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code = "/".join(sorted({str(answer[0]) for answer in exc.recipients.values()}))
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:500]


def _connect(config: dict[str, Any]) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                        timeout=float(config.get("MAIL_TIMEOUT_SECONDS", 10)))
    try:
        smtp.ehlo()
        if config.get("MAIL_USE_STARTTLS"):
            context = ssl.create_default_context(cafile=config.get("MAIL_CA_FILE") or None)
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except Exception:
        _close(smtp)
        raise
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


class UnsendableMessage(Exception):
    """This message can never be sent as it is stored; ``reason`` says why (no address in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# RFC 3834: a mail no person typed. Well-behaved out-of-office and vacation responders do not answer it.
AUTO_SUBMITTED = "auto-generated"
# Exchange and Outlook ignore Auto-Submitted; this asks them for no out-of-office or other automatic reply.
# Not "All": that would also suppress non-delivery reports, which tell the sender's mailbox that an address died.
AUTO_RESPONSE_SUPPRESS = "OOF, AutoReply"
# When BASE_URL has no usable host (a reserved name: it can never collide with a real domain).
FALLBACK_MESSAGE_ID_DOMAIN = "thuiszitters.invalid"
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")


def message_id_domain(base_url: str) -> str:
    """The right-hand side of every Message-ID: the host of THUISZITTERS_BASE_URL, this installation's own name.

    Not the sender's domain: that is often a shared mail domain (or "localhost" in a default set-up), while the
    app's host names the system that made the mail. An IP address is written as an address literal.
    """
    try:
        host = (urlsplit(base_url.strip()).hostname or "").rstrip(".")
        host = host.encode("idna").decode("ascii") if host else ""
    except (ValueError, UnicodeError):
        return FALLBACK_MESSAGE_ID_DOMAIN
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host if _DOMAIN.fullmatch(host) else FALLBACK_MESSAGE_ID_DOMAIN
    return f"[{address}]" if address.version == 6 else str(address)


def build_email(message: OutboxMessage, sender: str, domain: str) -> EmailMessage:
    """The mail for an outbox row; raises `UnsendableMessage` when its recipient or a header cannot be sent.

    `domain` is the right-hand side of its Message-ID (`message_id_domain`).
    """
    try:
        recipient = normalize_email(message.recipient)
    except InvalidIdentifier as exc:
        raise UnsendableMessage(f"InvalidRecipient {exc.code}") from None
    try:
        email = _compose(message, recipient, sender, domain)
        email.as_bytes()  # header folding and encoding errors surface here, not halfway through an SMTP dialogue
    except (ValueError, TypeError, LookupError) as exc:
        raise UnsendableMessage(type(exc).__name__) from None
    return email


def _compose(message: OutboxMessage, recipient: str, sender: str, domain: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    # Stable per outbox row, so a re-send after a crash is recognisable as the same mail.
    email["Message-ID"] = f"<outbox-{message.id}-{int(message.created_at.timestamp())}@{domain}>"
    email["Auto-Submitted"] = AUTO_SUBMITTED
    email["X-Auto-Response-Suppress"] = AUTO_RESPONSE_SUPPRESS
    email.set_content(message.body)
    return email


def _claim(message_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(("pending", "sending")),
               OutboxMessage.next_attempt_at <= now)
        .values(status="sending", attempts=OutboxMessage.attempts + 1, next_attempt_at=now + SEND_LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _mark_failed(message: OutboxMessage, exc: Exception, now: datetime, max_attempts: int) -> None:
    give_up = _is_permanent(exc) and message.attempts >= max_attempts
    message.status = "failed" if give_up else "pending"
    message.next_attempt_at = now + retry_delay(message.attempts)
    message.last_error = _describe(exc)
    db.session.commit()
    log.warning("mail %s not delivered (attempt %s): %s", message.id, message.attempts, message.last_error)


def _mark_unsendable(message: OutboxMessage, exc: UnsendableMessage) -> None:
    message.status = "failed"
    message.last_error = exc.reason[:500]
    db.session.commit()
    log.warning("mail %s cannot be sent and is parked as failed: %s", message.id, message.last_error)


def deliver_outbox(now: datetime, *, limit: int = 200) -> DeliveryResult:
    """Send the mails that are due. Commits per message (a job edge): claim, send, mark."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return DeliveryResult(skipped=True)
    due_ids = list(db.session.scalars(
        select(OutboxMessage.id)
        .where(or_(OutboxMessage.status == "pending", OutboxMessage.status == "sending"),
               OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ))
    db.session.commit()
    result = DeliveryResult()
    domain = message_id_domain(str(config.get("BASE_URL") or ""))
    smtp: smtplib.SMTP | None = None
    try:
        for message_id in due_ids:
            if not _claim(message_id, now):
                continue  # another sender has it
            message = db.session.get(OutboxMessage, message_id, populate_existing=True)
            if message is None:
                continue
            try:
                email = build_email(message, config["MAIL_SENDER"], domain)
            except UnsendableMessage as exc:
                result.failed += 1
                _mark_unsendable(message, exc)
                continue
            try:
                if smtp is None:
                    smtp = _connect(config)
                smtp.send_message(email)
            except (smtplib.SMTPException, OSError) as exc:
                result.failed += 1
                _mark_failed(message, exc, now, int(config.get("MAIL_MAX_ATTEMPTS", 8)))
                per_message = isinstance(
                    exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError | smtplib.SMTPNotSupportedError)
                if not per_message:
                    _close(smtp)
                    smtp = None
                    break  # the server is unreachable or refuses us: leave the rest for the next run
                continue
            message.status = "sent"
            message.sent_at = now
            message.last_error = None
            db.session.commit()
            result.sent += 1
    finally:
        _close(smtp)
    return result


# --- The admin's view of the outbox --------------------------------------------------------------------------

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


@dataclass(frozen=True)
class OutboxOverview:
    counts: dict[str, int]
    failed: list[OutboxMessage]  # newest first, at most ``limit``
    delayed: list[OutboxMessage]  # still being retried after at least one failed attempt


def outbox_overview(*, limit: int = 100) -> OutboxOverview:
    """Counts per status and the messages that need a beheerder's eye (failed, or retried after an error)."""
    counts = dict.fromkeys(OUTBOX_STATUSES, 0)
    for status, count in db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)):
        counts[status] = count
    failed = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)))
    delayed = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "pending", OutboxMessage.last_error.is_not(None))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))
    return OutboxOverview(counts, failed, delayed)


def held_messages(*, limit: int = 20) -> list[OutboxMessage]:
    """The newest mails still waiting in the outbox: what a developer without an SMTP server reads instead."""
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)))


def retry_failed(now: datetime, *, actor_id: int, message_id: int | None = None) -> int:
    """Put failed mails (all, or one) back in the queue with a fresh count of attempts; returns how many.

    A conditional update: a message that is no longer ``failed`` (retried by someone else meanwhile) is left as it
    is. The last error stays until the next attempt replaces it. Writes an audit event; does not commit.
    """
    from thuiszitters.audit.services import ACTIVITY_ADMIN, record

    query = update(OutboxMessage).where(OutboxMessage.status == "failed")
    if message_id is not None:
        query = query.where(OutboxMessage.id == message_id)
    count = db.session.execute(
        query.values(status="pending", attempts=0, next_attempt_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if count:
        record("mail.retry", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="outbox_message",
               object_id=message_id, changes={"status": ["failed", "pending"], "count": [None, count]})
    return count
