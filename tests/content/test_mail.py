"""Outgoing mail: `flask mail test` through a real SMTP server, plain and with STARTTLS and a login."""

import pytest
import smtp_inbox as smtp
from smtp_inbox import Inbox, self_signed_certificate

from blogapp.content.mail import MailError, send_mail


def test_mail_test_command_delivers_a_message(runner, smtp_inbox):
    result = runner.invoke(args=["mail", "test", "you@example.org"])
    assert result.exit_code == 0, result.output
    assert "Sent a test message to you@example.org" in result.output
    [message] = smtp_inbox.to("you@example.org")
    assert message["From"] == "News <news@example.org>"
    assert message["Subject"] == "Test message from Treatment Notes"
    assert "can send mail" in message.get_content()


def test_mail_goes_over_starttls_with_the_configured_login(app, runner, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    inbox = Inbox()
    controller = smtp.start(inbox, tls=(cert, key))
    try:
        app.config.update(
            MAIL_HOST="127.0.0.1",
            MAIL_PORT=controller.port,
            MAIL_SECURITY="starttls",
            MAIL_CA_FILE=cert,
            MAIL_USERNAME=smtp.USER,
            MAIL_PASSWORD=smtp.PASSWORD,
            MAIL_FROM="news@example.org",
        )
        result = runner.invoke(args=["mail", "test", "you@example.org"])
        assert result.exit_code == 0, result.output
        assert inbox.logins == [smtp.USER] and len(inbox.to("you@example.org")) == 1
        app.config["MAIL_PASSWORD"] = "wrong"
        refused = runner.invoke(args=["mail", "test", "you@example.org"])
        assert refused.exit_code == 1 and "did not accept" in refused.output
    finally:
        controller.stop()


def test_mail_test_command_says_what_is_missing(runner):
    result = runner.invoke(args=["mail", "test", "you@example.org"])
    assert result.exit_code == 1
    assert "Mail is not configured: set BLOGAPP_MAIL_HOST and BLOGAPP_MAIL_FROM." in result.output


def test_an_unreachable_mail_server_is_a_clear_error(app, runner, smtp_inbox):
    app.config.update(MAIL_PORT=1, MAIL_TIMEOUT=2)
    result = runner.invoke(args=["mail", "test", "you@example.org"])
    assert result.exit_code == 1 and "The mail server did not accept the message" in result.output
    assert "Traceback" not in result.output


def test_a_header_that_would_inject_lines_is_refused(app, smtp_inbox):
    with app.app_context(), pytest.raises(MailError, match="did not accept"):
        send_mail("you@example.org\nBcc: them@example.org", "Hi", "Body")
    assert smtp_inbox.messages == []
