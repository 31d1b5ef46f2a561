"""Fixtures for the enquiry tests alone: mail servers on loopback, partners and handlers."""

import pytest


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": sorted(envelope.rcpt_tos), "message": message})
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m["message"] for m in self.messages if address in m["to"]]


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_smtp(settings, port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, with MAILERS pointed at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """MAILERS pointed at a loopback port nothing listens on."""
    use_smtp(settings, free_port())


@pytest.fixture
def mutuals_team_handler(make_handler, mutuals_team):
    """One of the Mutuals Team's own handlers, who see every enquiry."""
    return make_handler(mutuals_team, group="Mutuals Team handlers")


@pytest.fixture
def co_ops(make_partner):
    return make_partner(
        "Co-operatives UK", slug="co-operatives-uk",
        notification_emails="enquiries@co-operatives-uk.example.org",
    )  # fmt: skip


@pytest.fixture
def eoa(make_partner):
    return make_partner(
        "Employee Ownership Association", slug="employee-ownership-association",
        notification_emails="hello@eoa.example.org\nteam@eoa.example.org",
    )  # fmt: skip
