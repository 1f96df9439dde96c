"""A real SMTP server on loopback (aiosmtpd) for mail tests, optionally with STARTTLS and login."""
from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Inbox:
    """What the server received, as parsed messages (thread-safe)."""

    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Recipients the server refuses permanently (550), as a mail server does for an unknown mailbox.
    refused: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
            message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
            self.messages.append(message)
        return "250 OK"

    def take(self) -> list[Message]:
        with self.lock:
            taken, self.messages = self.messages, []
        return taken


class SmtpServer:
    """Start and stop an aiosmtpd server on 127.0.0.1 on a fixed port (so it can be 'down' and come back)."""

    def __init__(self, *, tls_dir: Path | None = None, username: str | None = None,
                 password: str | None = None) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.username, self.password = username, password
        self.cert_file: Path | None = None
        self._tls_context: ssl.SSLContext | None = None
        if tls_dir is not None:
            self.cert_file, key_file = tls_dir / "cert.pem", tls_dir / "key.pem"
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key_file), "-out", str(self.cert_file)],
                check=True, capture_output=True,
            )
            self._tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._tls_context.load_cert_chain(self.cert_file, key_file)
        self._controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == self.username \
            and auth_data.password.decode() == self.password
        return AuthResult(success=ok)

    def start(self) -> SmtpServer:
        kwargs = {}
        if self._tls_context is not None:
            kwargs.update(tls_context=self._tls_context, require_starttls=True)
        if self.username:
            kwargs.update(authenticator=self._authenticate, auth_required=True,
                          auth_require_tls=self._tls_context is not None)
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def config(self) -> dict[str, object]:
        settings: dict[str, object] = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_TIMEOUT_SECONDS": 5}
        if self.cert_file is not None:
            settings.update(MAIL_USE_STARTTLS=True, MAIL_CA_FILE=str(self.cert_file))
        if self.username:
            settings.update(MAIL_USERNAME=self.username, MAIL_PASSWORD=self.password)
        return settings
