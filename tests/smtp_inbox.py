"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail tests, and the messages it received."""

import email
import email.policy
import re
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

USER, PASSWORD = "newsroom", "relay password"


@dataclass
class Inbox:
    """What the server received: parsed messages, and the envelopes' recipients."""

    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """Return the messages sent to `address`."""
        return [message for message in self.messages if message["To"] == address]

    def wait_for(self, count: int, seconds: float = 10) -> list[EmailMessage]:
        """Wait until `count` messages have arrived (mail sent in the background); return them all."""
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"
        return self.messages

    def link(self, message: EmailMessage, path: str) -> str:
        """Return the path of the first link in `message` under `path` (e.g. "/reset-password/")."""
        match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", message.get_content())
        assert match, message.get_content()
        return match.group(1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _authenticate(inbox: Inbox):
    def check(server, session, envelope, mechanism, auth_data):
        good = auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
        if good:
            inbox.logins.append(USER)
        return AuthResult(success=good)

    return check


def self_signed_certificate(folder) -> tuple[str, str]:
    """Write a certificate for 127.0.0.1 and its key into `folder`; return their paths."""
    cert, key = str(folder / "smtp-cert.pem"), str(folder / "smtp-key.pem")
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
    subprocess.run(
        [*request, "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )
    return cert, key


def start(inbox: Inbox, tls: tuple[str, str] | None = None) -> Controller:
    """Start a server delivering into `inbox`; with a certificate, it requires STARTTLS and a login."""
    options = {}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        options = {"tls_context": context, "require_starttls": True, "authenticator": _authenticate(inbox)}
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **options)
    controller.start()
    return controller


@pytest.fixture
def smtp_inbox(app):
    """Run a plain SMTP server on 127.0.0.1, point the app's mail settings at it, and return its Inbox."""
    inbox = Inbox()
    controller = start(inbox)
    app.config.update(
        MAIL_HOST="127.0.0.1", MAIL_PORT=controller.port, MAIL_SECURITY="none", MAIL_FROM="News <news@example.org>"
    )
    yield inbox
    controller.stop()
