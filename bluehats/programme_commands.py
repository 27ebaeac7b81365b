"""What organisers do to decisions and the programme, as commands: flask decisions set, flask programme …."""

from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .cli import decisions_cli
from .core import clock
from .core.dates import parse_moment
from .core.vocabulary import Decision, Status
from .decisions import decide
from .extensions import db
from .models import Proposal
from .programme import ScheduleError, add_break, place_talk, set_publication
from .talks import set_video
from .web.templating import current_edition

programme_cli = AppGroup("programme", help="Le programme de l’édition en cours.")
ACTOR = "ligne de commande"


def moment(value: str, what: str) -> datetime:
    """Read an ISO 8601 date and time with its offset, or stop with a French message."""
    try:
        return parse_moment(value)
    except ValueError as error:
        raise click.ClickException(
            f"{what} « {value} » illisible : attendu une date ISO 8601 avec décalage, "
            "par exemple 2022-11-08T09:30:00+01:00."
        ) from error


def proposal_by_reference(reference: str) -> Proposal:
    """Return the current edition's proposal with this reference, or stop with a French message."""
    proposal = db.session.scalars(select(Proposal).where(Proposal.reference == reference.strip().upper())).first()
    if proposal is None or proposal.edition != current_edition().key:
        raise click.ClickException(f"Aucune proposition {reference} dans l’édition {current_edition().key}.")
    return proposal


def set_decision(reference: str, decision: str) -> None:
    """Accept, decline, or put back a proposal to decide (pending)."""
    proposal = proposal_by_reference(reference)
    if proposal.status != Status.SUBMITTED:
        raise click.ClickException(
            f"{proposal.reference} est {proposal.status.label.lower()} : pas de décision possible."
        )
    chosen = None if decision == "pending" else Decision(decision)
    if not decide(proposal.id, chosen, ACTOR):
        raise click.ClickException(
            f"La réponse de {proposal.reference} est déjà partie : la décision ne peut plus changer."
        )
    click.echo(f"{proposal.reference} : {chosen.label.lower() if chosen else 'à décider'}.")


@programme_cli.command("place")
@click.argument("reference")
@click.argument("start")
def place_command(reference: str, start: str) -> None:
    """Give an accepted talk its start time (ISO 8601 with offset)."""
    try:
        talk = place_talk(current_edition(), reference.strip().upper(), moment(start, "Horaire"), ACTOR)
    except ScheduleError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{talk.reference} placée le {talk.starts_at.isoformat(timespec='minutes') if talk.starts_at else ''}.")


@programme_cli.command("break")
@click.argument("label")
@click.argument("start")
@click.argument("end")
def break_command(label: str, start: str, end: str) -> None:
    """Add a break to the programme, such as « Pause déjeuner »."""
    try:
        add_break(current_edition(), label, moment(start, "Début"), moment(end, "Fin"))
    except ScheduleError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Pause « {' '.join(label.split())} » ajoutée.")


@programme_cli.command("publish")
@click.option("--at", "at", help="Date et heure ISO 8601 de la publication (par défaut : maintenant).")
def publish_command(at: str | None) -> None:
    """Publish the programme now, or at a given moment."""
    when = moment(at, "Date") if at else clock.now()
    set_publication(when)
    click.echo(f"Programme publié {'à partir du ' + when.isoformat(timespec='minutes') if at else 'maintenant'}.")


@programme_cli.command("hold")
def hold_command() -> None:
    """Hold the programme back: visitors will not see it until it is published."""
    set_publication(None)
    click.echo("Programme retenu : il ne sera publié que sur demande.")


@programme_cli.command("video")
@click.argument("reference")
@click.argument("url")
def video_command(reference: str, url: str) -> None:
    """Give a talk its recording's link (after the day)."""
    proposal = proposal_by_reference(reference)
    try:
        set_video(proposal.id, url, ACTOR)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{proposal.reference} : enregistrement {url}.")


@decisions_cli.command("set")
@click.argument("reference")
@click.argument("decision", type=click.Choice(["accepted", "declined", "pending"]))
def set_command(reference: str, decision: str) -> None:
    """Record the decision on a proposal: accepted, declined, or pending (to decide again)."""
    set_decision(reference, decision)
