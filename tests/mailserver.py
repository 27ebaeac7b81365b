"""A real SMTP server for the tests: aiosmtpd on a loopback port, keeping what it accepts."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from helpers import free_port


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []
        self.sessions: list[Any] = []

    async def handle_DATA(self, server, session, envelope):
        self.sessions.append(session)
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """Return the messages whose envelope names this recipient."""
        return [
            message
            for message, envelope in zip(self.messages, self.envelopes, strict=True)
            if address in envelope.rcpt_tos
        ]


def start_smtp(handler: Any, port: int | None = None) -> Controller:
    """Start a real SMTP server on a loopback port (a free one unless given)."""
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller
