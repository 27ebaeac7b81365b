"""Command line: the flask outbox, proposals, organisers and decisions groups; the others register here."""

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from .admin import accounts, operations
from .admin.queries import with_export_details
from .core import clock
from .core.dates import day_start
from .core.exports import csv_rows, json_chunks
from .core.typography import plural
from .core.vocabulary import MessageStatus
from .decisions import answer_time, send_decisions, unanswered
from .extensions import db
from .mail import outbox
from .models import Organiser, OutboxMessage, Proposal
from .web.templating import current_edition

outbox_cli = AppGroup("outbox", help="La file des courriels.")
proposals_cli = AppGroup("proposals", help="Les propositions d’intervention.")
organisers_cli = AppGroup("organisers", help="Les comptes des organisateurs.")
decisions_cli = AppGroup("decisions", help="Les réponses aux propositions.")

WATCH_INTERVAL = 5.0
PURGE_CHUNK = 500


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """Show how far a long command is, on a terminal only; yield the function that moves it on by n items."""
    if total <= 0 or not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar.update


@outbox_cli.command("deliver")
@click.option("--watch", is_flag=True, help="Continuer à envoyer, en respectant l’attente entre deux essais.")
@click.option(
    "--reclaim",
    is_flag=True,
    help="Reprendre aussi les courriels réservés par un envoi interrompu (seulement si aucun autre envoi ne tourne).",
)
def deliver_command(watch: bool, reclaim: bool) -> None:
    """Send the pending mails (all at once by hand; --watch keeps running)."""
    if not watch:
        total = outbox.DeliveryReport()
        with progress(pending_now(), "Envoi des courriels") as advance:
            while True:  # every pending message, in batches, whatever its backoff
                report = outbox.deliver(force=True, reclaim=reclaim)
                total.add(report)
                advance(report.sent + report.retried + report.failed)
                if report.sent + report.failed < outbox.BATCH_SIZE or report.retried:
                    break
        print_report(total)
        print_held_claims()
        sys.exit(1 if total.retried or total.failed else 0)
    click.echo("Envoi des courriels en continu (Ctrl+C pour arrêter).", err=True)
    while True:
        report = outbox.deliver()
        if report.sent or report.retried or report.failed:
            print_report(report)
            sys.stdout.flush()  # a service's log (journald, a platform's) shows each line as it happens
        if report.sent + report.retried + report.failed < outbox.BATCH_SIZE:
            time.sleep(WATCH_INTERVAL)


def pending_now() -> int:
    """Count the mails a delivery run by hand sends: pending and due, whatever their backoff."""
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.not_before <= clock.now())
    )


def print_report(report: outbox.DeliveryReport) -> None:
    """Print what a delivery run did."""
    click.echo(f"{plural(report.sent, 'envoyé')}, {report.retried} à réessayer, {report.failed} en échec.")
    for error in report.errors:
        click.echo(f"  {error}", err=True)


def print_held_claims() -> None:
    """Say which mails another delivery (running, or killed) still holds, and when they will be taken back."""
    held = outbox.held_claims(clock.now())
    if held:
        until = when(max(row.claimed_until for row in held))
        reserved = plural(len(held), "courriel réservé", "courriels réservés")
        click.echo(
            f"{reserved} par un autre envoi jusqu’à {until}, puis repris par l’envoi "
            "suivant ; si cet envoi a été interrompu et qu’aucun autre ne tourne, "
            "flask outbox deliver --reclaim les envoie tout de suite."
        )


def when(moment: datetime) -> str:
    """Write a moment for the operator, in Paris time."""
    return moment.astimezone(clock.PARIS).isoformat(timespec="seconds")


@outbox_cli.command("list")
@click.option("--all", "show_all", is_flag=True, help="Montrer aussi les courriels envoyés.")
def list_command(show_all: bool) -> None:
    """Show the queue: id, status, attempts, next try, recipients, subject, last error."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if not show_all:
        query = query.where(OutboxMessage.status != MessageStatus.SENT)
    rows = db.session.scalars(query).all()
    if not rows:
        click.echo("Aucun courriel en attente." if not show_all else "Aucun courriel.")
    held = dict(outbox.held_claims(clock.now()))
    for message in rows:
        due = when(max(message.not_before, message.next_attempt_at))
        if message.id in held:
            due = f"réservé jusqu’à {when(held[message.id])}"
        click.echo(
            f"{message.id}\t{message.status}\t{plural(message.attempts, 'essai')}\t{due}\t"
            f"{', '.join(message.recipients)}\t{message.subject}"
            + (f"\t{message.last_error}" if message.last_error else "")
        )


@proposals_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "--edition", help="L’édition à exporter (son nom court, par exemple osxp-2022) ; par défaut l’édition en cours."
)
def export_command(fmt: str, edition: str | None) -> None:
    """Write every proposal of an edition to standard output, and nothing else there."""
    key = edition or current_edition().key
    proposals = db.session.scalars(
        with_export_details(select(Proposal).where(Proposal.edition == key).order_by(Proposal.id))
    )
    chunks = csv_rows(proposals) if fmt == "csv" else json_chunks(proposals)
    out = sys.stdout.buffer  # bytes: UTF-8 whatever the terminal's locale
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
    out.flush()


@proposals_cli.command("purge")
@click.option("--before", "before", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="AAAA-MM-JJ")
def purge_command(before: datetime) -> None:
    """Erase the personal data of the proposals received before DATE (data-protection duty)."""
    cutoff = day_start(before.date())
    total = db.session.scalar(select(func.count()).where(Proposal.created_at < cutoff, Proposal.purged_at.is_(None)))
    with progress(total, "Anonymisation") as advance:
        count = operations.purge_before(cutoff, "ligne de commande", advance)
    click.echo(f"{plural(count, 'proposition anonymisée', 'propositions anonymisées')}.")


@organisers_cli.command("add")
@click.argument("email")
def add_organiser_command(email: str) -> None:
    """Create an organiser (or set a new password); the password is asked twice, or read from stdin."""
    if sys.stdin.isatty():
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt="Confirmez le mot de passe")
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        organiser = accounts.add_organiser(email, password)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Compte prêt : {organiser.email}")


@organisers_cli.command("list")
def list_organisers_command() -> None:
    """List the organisers' accounts."""
    for organiser in db.session.scalars(select(Organiser).order_by(Organiser.email)):
        last = organiser.last_login_at.isoformat(timespec="minutes") if organiser.last_login_at else "jamais"
        state = "invitation en attente" if organiser.is_pending else f"dernière connexion : {last}"
        click.echo(f"{organiser.email}\t{state}")


@organisers_cli.command("remove")
@click.argument("email")
def remove_organiser_command(email: str) -> None:
    """Delete an organiser's account."""
    if not accounts.remove_organiser(email):
        raise click.ClickException(f"Aucun compte pour {email}.")
    click.echo(f"Compte supprimé : {email}")


@decisions_cli.command("send")
def send_decisions_command() -> None:
    """Queue the answers of every decided proposal not yet answered; they leave on the answer date."""
    with progress(len(unanswered()), "Réponses") as advance:
        messages = send_decisions("ligne de commande", advance)
    leaves = answer_time(clock.now())
    queued = plural(len(messages), "réponse mise", "réponses mises")
    click.echo(f"{queued} en file d’envoi, départ le {leaves.isoformat(timespec='minutes')}.")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    # Imported here: that module adds « flask decisions set » to this module's decisions group.
    from .accessibility.commands import accessibility_cli
    from .programme_commands import programme_cli

    for group in (outbox_cli, proposals_cli, organisers_cli, decisions_cli, programme_cli, accessibility_cli):
        app.cli.add_command(group)
