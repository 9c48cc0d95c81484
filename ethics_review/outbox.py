"""The notifications' outbox: messages stored with the action that caused them, sent later.

``Outbox.add(conn, messages)`` inserts inside the caller's write transaction, so a message
exists exactly when its action committed. ``send`` mails every pending message over SMTP
and marks it sent; a message that fails (server down, address refused, no address) keeps
its row, unsent, with the error, and goes again at the next ``send``: nothing is lost. A
crash between the mail leaving and its row being marked sends it again next time (at least
once); run one sender at a time (a cron job: ``cartable outbox send``).

Configuration (environment):

- ``CARTABLE_SMTP_URL``: ``smtp://host:port`` (``?starttls=true`` to upgrade),
  ``smtps://host:port`` for TLS from the start, with ``user:password@`` when the server
  wants a login; unset, nothing is sent and messages wait in the outbox;
- ``CARTABLE_MAIL_ADDRESSES``: a YAML file mapping usernames to addresses
  (``rprp: rprp@css-x.example``) — accounts carry no address;
- ``CARTABLE_MAIL_DOMAIN``: for a username the file does not name, ``username@domain``;
- ``CARTABLE_MAIL_FROM``: the sender (default ``cartable@`` the domain, or ``localhost``).
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import yaml
from pydantic import BaseModel
from sqlalchemy import Connection, and_, insert, select, update

from catalog.database import Database, as_utc
from catalog.errors import CartableError
from ethics_review.notifications import Message
from ethics_review.tables import notification_outbox as outbox

logger = logging.getLogger(__name__)

TIMEOUT = 10  # seconds to reach the SMTP server
SUBJECT_MAX = 300


class OutboxMessage(BaseModel):
    """A stored message."""

    id: int
    created_on: datetime
    recipient: str
    subject: str
    body: str
    request_id: str
    kind: str
    sent_on: datetime | None = None
    error: str | None = None


class SendReport(BaseModel):
    """What one ``send`` did."""

    configured: bool
    sent: list[int] = []
    failed: dict[int, str] = {}  # id -> error
    pending: int = 0  # still unsent afterwards


class MailSettings(BaseModel):
    """Where mail goes and how usernames become addresses."""

    smtp_url: str | None = None
    domain: str | None = None
    addresses: dict[str, str] = {}
    sender: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MailSettings:
        """Settings from ``CARTABLE_SMTP_URL``, ``CARTABLE_MAIL_ADDRESSES``,
        ``CARTABLE_MAIL_DOMAIN`` and ``CARTABLE_MAIL_FROM``."""
        env = os.environ if environ is None else environ
        path = env.get("CARTABLE_MAIL_ADDRESSES")
        return cls(
            smtp_url=env.get("CARTABLE_SMTP_URL") or None,
            domain=env.get("CARTABLE_MAIL_DOMAIN") or None,
            addresses=read_addresses(Path(path)) if path else {},
            sender=env.get("CARTABLE_MAIL_FROM") or None,
        )

    def address(self, username: str) -> str | None:
        """The address of an account: from the file, else ``username@domain``."""
        if username in self.addresses:
            return self.addresses[username]
        return f"{username}@{self.domain}" if self.domain else None

    def from_address(self) -> str:
        """The sender's address."""
        return self.sender or f"cartable@{self.domain or 'localhost'}"


def read_addresses(path: Path) -> dict[str, str]:
    """Username -> address from a YAML file; CartableError (one line) when it is not one."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CartableError(f"mail addresses {path}: {error.strerror}") from None
    except yaml.YAMLError:
        raise CartableError(f"mail addresses {path}: not YAML") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and "@" in v for k, v in data.items()
    ):
        raise CartableError(f"mail addresses {path}: expected username: address lines")
    return data


def _now() -> datetime:
    return datetime.now(UTC)


class Outbox:
    """The outbox of one catalogue database."""

    def __init__(
        self,
        database: Database,
        settings: MailSettings | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.database = database
        self.settings = settings or MailSettings()
        self.clock = clock

    def add(self, conn: Connection, messages: Sequence[Message]) -> int:
        """Store messages inside the caller's write transaction; how many were stored.

        A reminder already stored (same request, recipient and subject, which names the
        grant's end) is not stored again: the daily job may ask every day.
        """
        stored = 0
        for message in messages:
            if message.kind == "reminder" and self._has(conn, message):
                continue
            conn.execute(
                insert(outbox).values(
                    created_on=self.clock(),
                    recipient=message.recipient,
                    subject=message.subject[:SUBJECT_MAX],
                    body=message.body,
                    request_id=message.request_id,
                    kind=message.kind,
                )
            )
            stored += 1
        return stored

    @staticmethod
    def _has(conn: Connection, message: Message) -> bool:
        same = and_(
            outbox.c.request_id == message.request_id,
            outbox.c.kind == message.kind,
            outbox.c.recipient == message.recipient,
            outbox.c.subject == message.subject[:SUBJECT_MAX],
        )
        return conn.execute(select(outbox.c.id).where(same).limit(1)).first() is not None

    def record(self, messages: Sequence[Message]) -> int:
        """Store messages in a write transaction of their own."""
        with self.database.write() as conn:
            return self.add(conn, messages)

    def messages(
        self, *, pending_only: bool = False, request_id: str | None = None
    ) -> list[OutboxMessage]:
        """Stored messages, oldest first (only the unsent ones with ``pending_only``)."""
        query = select(outbox).order_by(outbox.c.id)
        if pending_only:
            query = query.where(outbox.c.sent_on.is_(None))
        if request_id is not None:
            query = query.where(outbox.c.request_id == request_id)
        with self.database.read() as conn:
            rows = conn.execute(query).all()
        return [
            OutboxMessage.model_validate(
                {
                    **row._mapping,
                    "created_on": as_utc(row.created_on),
                    "sent_on": as_utc(row.sent_on) if row.sent_on else None,
                }
            )
            for row in rows
        ]

    def pending(self) -> list[OutboxMessage]:
        """The messages not sent yet."""
        return self.messages(pending_only=True)

    def send(self, smtp_url: str | None = None) -> SendReport:
        """Mail every pending message through ``smtp_url`` (default: the settings'); with
        neither, send nothing. Failures are recorded on their rows, never raised."""
        url = smtp_url or self.settings.smtp_url
        waiting = self.pending()
        if not url:
            return SendReport(configured=False, pending=len(waiting))
        _endpoint(url)  # a malformed URL is the configuration's error, not the messages'
        report = SendReport(configured=True)
        if not waiting:
            return report
        try:
            server = _connect(url)
        except (OSError, smtplib.SMTPException) as error:
            reason = _reason(error)
            logger.warning("SMTP server %s unreachable: %s", urlsplit(url).hostname, reason)
            for message in waiting:
                self._mark(message.id, error=f"SMTP {urlsplit(url).hostname}: {reason}")
                report.failed[message.id] = reason
            report.pending = len(waiting)
            return report
        with server:
            for message in waiting:
                failure = self._send_one(server, message)
                if failure is None:
                    report.sent.append(message.id)
                else:
                    report.failed[message.id] = failure
        report.pending = len(report.failed)
        return report

    def _send_one(self, server: smtplib.SMTP, message: OutboxMessage) -> str | None:
        address = self.settings.address(message.recipient)
        if address is None:
            error = (
                f"no address for {message.recipient} "
                "(CARTABLE_MAIL_ADDRESSES or CARTABLE_MAIL_DOMAIN)"
            )
            self._mark(message.id, error=error)
            return error
        mail = self._mail(message, address)
        try:
            server.send_message(mail)
        except (OSError, smtplib.SMTPException) as failure:
            error = _reason(failure)
            self._mark(message.id, error=error)
            return error
        self._mark(message.id, sent_on=self.clock())
        return None

    def _mail(self, message: OutboxMessage, address: str) -> EmailMessage:
        sender = self.settings.from_address()
        mail = EmailMessage()
        mail["From"] = sender
        mail["To"] = address
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(self.clock())
        mail["Message-ID"] = make_msgid(
            f"outbox-{message.id}", domain=sender.rsplit("@", 1)[-1] or None
        )
        mail["X-Cartable-Request"] = message.request_id
        mail.set_content(message.body)
        return mail

    def _mark(self, message_id: int, *, sent_on: datetime | None = None, error: str = "") -> None:
        values = {"sent_on": sent_on, "error": None} if sent_on else {"error": error[:2000]}
        with self.database.write() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == message_id, outbox.c.sent_on.is_(None))
                .values(**values)
            )


def _reason(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {_text(text)}" for code, text in error.recipients.values()]
        return "recipient refused: " + "; ".join(codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return " ".join(str(error).split()) or type(error).__name__


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _endpoint(url: str) -> tuple[str, int]:
    """Host and port of an ``smtp://`` or ``smtps://`` URL; CartableError for another."""
    parts = urlsplit(url)
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        port = 0
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or not port:
        shown = f"{parts.scheme}://{parts.hostname or ''}" + (f":{port}" if port else "")
        raise CartableError(f"SMTP URL {shown}: smtp://host:port or smtps://host:port")
    return parts.hostname, port


def _connect(url: str) -> smtplib.SMTP:
    """An SMTP session on ``smtp://`` or ``smtps://host:port``, logged in when the URL says."""
    parts = urlsplit(url)
    host, port = _endpoint(url)
    server: smtplib.SMTP
    if parts.scheme == "smtps":
        server = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT)
    else:
        server = smtplib.SMTP(host, port, timeout=TIMEOUT)
    try:
        starttls = parse_qs(parts.query).get("starttls", ["false"])[0].lower()
        if parts.scheme == "smtp" and starttls in ("1", "true", "yes"):
            server.starttls(context=ssl.create_default_context())
        if parts.username:
            server.login(unquote(parts.username), unquote(parts.password or ""))
    except BaseException:
        server.close()
        raise
    return server
