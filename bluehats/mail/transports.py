"""Handing outbox messages to a mail server (or to the log): MIME building, SMTP with a timeout, refusals sorted."""

import email.policy
import logging
import smtplib
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache

from flask import current_app
from flask_mail import Connection
from sqlalchemy import Row

log = logging.getLogger(__name__)


class TemporaryFailure(Exception):
    """The server refused for now (4xx) or could not be reached: try again later."""

    def __init__(self, text: str, connection_lost: bool = False) -> None:
        super().__init__(text)
        self.connection_lost = connection_lost


class PermanentFailure(Exception):
    """The server refused for good (5xx): keep the error, never retry."""


class ConsoleTransport:
    """Write mails to the log (development, BLUEHATS_MAIL_DELIVERY=console)."""

    def close(self) -> None:
        """Nothing to close."""

    def send(self, message: Row) -> str | None:
        """Log the message."""
        log.info(
            "Courriel (console)\nMessage-ID: %s\nTo: %s\nReply-To: %s\nSubject: %s\n\n%s",
            message.message_id,
            ", ".join(message.recipients),
            message.reply_to or "",
            message.subject,
            message.body_text,
        )
        return None


class TimeoutConnection(Connection):
    """Flask-Mail's connection, with the socket timeout it lacks."""

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        """Open the SMTP connection with BLUEHATS_SMTP_TIMEOUT seconds for every network step."""
        timeout = current_app.config["BLUEHATS_SMTP_TIMEOUT"]
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class SMTPTransport:
    """Send over one SMTP connection, opened on first use and reused for the batch."""

    def __init__(self) -> None:
        self.connection: TimeoutConnection | None = None

    def send(self, message: Row) -> str | None:
        """Send one message; classify the server's refusals as temporary or permanent."""
        try:
            if self.connection is None:
                # configure_host() directly: Flask-Mail's MAIL_SUPPRESS_SEND must not hide a real send.
                connection = TimeoutConnection(current_app.extensions["mail"])
                connection.host = connection.configure_host()
                self.connection = connection
            refused = self._send(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise self._refusal(min(codes), describe(error.recipients)) from error
        except smtplib.SMTPResponseException as error:
            reason = error.smtp_error
            text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
            raise self._refusal(error.smtp_code, f"{error.smtp_code} {text}") from error
        except ValueError as error:  # a header with a line break, an address that is not ASCII
            # The server may have seen MAIL FROM already: the next message starts on a new connection.
            self.close(broken=True)
            raise PermanentFailure(f"en-tête invalide : {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            self.close(broken=True)
            raise TemporaryFailure(f"{type(error).__name__}: {error}", connection_lost=True) from error
        return describe(refused) if refused else None

    def _refusal(self, code: int, text: str) -> Exception:
        # smtplib resets the session after a refusal, except after 421, when the server hangs up.
        if code == 421:
            self.close(broken=True)
            return TemporaryFailure(text, connection_lost=True)
        return PermanentFailure(text) if code >= 500 else TemporaryFailure(text)

    def _send(self, message: Row) -> dict:
        assert self.connection is not None and self.connection.host is not None
        mime = as_mime(message)
        envelope_to = [address.addr_spec for address in mime["To"].addresses]
        return self.connection.host.sendmail(mime["From"].addresses[0].addr_spec, envelope_to, mime.as_bytes())

    def close(self, broken: bool = False) -> None:
        """Close the connection (politely unless it is already broken)."""
        if self.connection is None:
            return
        host, self.connection = self.connection.host, None
        if host is None:
            return
        try:
            host.close() if broken else host.quit()
        except (smtplib.SMTPException, OSError):
            host.close()


class KnownHeaders(HeaderRegistry):
    """The standard library's header registry, making each header's class once, and a header met again only once."""

    @lru_cache(maxsize=64)  # noqa: B019 - one registry for the process, kept for its life
    def __getitem__(self, name: str) -> type:
        """Return the class of a header by its name (the base registry builds a new class on every call)."""
        return super().__getitem__(name)

    def __call__(self, name: str, value):
        """Return a header; one given as text is parsed once (From, MIME-Version, Content-Type recur in every mail)."""
        if isinstance(value, str):
            return self.parsed(name, value)
        return super().__call__(name, value)

    # Headers are immutable once made: a message holds them, its copies and the next message may share them.
    @lru_cache(maxsize=256)  # noqa: B019 - one registry for the process, kept for its life
    def parsed(self, name: str, value: str):
        """Parse a header given as text (cached: parsing is most of the time a message takes to build)."""
        return super().__call__(name, value)


class QuickFold(email.policy.EmailPolicy):
    """The standard library's mail policy, writing a short header of plain ASCII as it is, without refolding it."""

    def fold_binary(self, name: str, value) -> bytes:
        """Write one header: `Name: value` when it fits one line unchanged, else as the standard library folds it."""
        # The standard library rebuilds every header's parse tree to fold it, even one that fits on a line: half
        # of the time a message took to write. What it would write for such a header is that same line.
        text = str(value)
        plain = text.isascii() and text.isprintable() and "=?" not in text
        if text and plain and len(name) + 2 + len(text) <= self.max_line_length:
            return f"{name}: {text}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


# Building a message was a third of the outbox's time per mail, a fifth of it in those classes.
SMTP_POLICY = QuickFold(linesep="\r\n", header_factory=KnownHeaders())


@lru_cache(maxsize=4096)
def parse_address(text: str) -> Address:
    """Parse « Name <address> » with the standard library's strict (and slow: cached) header parser."""
    return email.policy.default.header_factory("To", text).addresses[0]


def as_mime(message: Row) -> EmailMessage:
    """Build the MIME message: text and HTML parts, the stored Message-ID, headers quoted by the standard library.

    Flask-Mail gives the configuration and the connection (TimeoutConnection), not the message: its Message
    (0.10) writes 8-bit body lines of any length (3,007 octets for a long description, measured), which
    RFC 5322 caps at 998 and some servers refuse; EmailMessage picks a transfer encoding that fits.
    """
    mime = EmailMessage(policy=SMTP_POLICY)
    mime["Subject"] = message.subject
    mime["From"] = message.sender  # parsed once: the same in every mail
    mime["To"] = [parse_address(recipient) for recipient in message.recipients]
    if message.reply_to:
        mime["Reply-To"] = parse_address(message.reply_to)
    mime["Date"] = format_datetime(message.created_at)
    mime["Message-ID"] = message.message_id  # the same on every attempt
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.body_text)
    mime.add_alternative(message.body_html, subtype="html")
    return mime


def describe(refused: dict[str, tuple[int, bytes]]) -> str:
    """Describe refused recipients as the server answered."""
    return "; ".join(f"{who}: {code} {reason.decode(errors='replace')}" for who, (code, reason) in refused.items())


def make_transport() -> ConsoleTransport | SMTPTransport:
    """Return the transport the configuration asks for."""
    if current_app.config["BLUEHATS_MAIL_DELIVERY"] == "console":
        return ConsoleTransport()
    return SMTPTransport()
