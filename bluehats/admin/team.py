"""The team: invite an organiser, remove one's access; my account: password and opinion settings."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_user, logout_user

from ..extensions import limiter
from .account_links import LINK_LIFETIME, invite
from .accounts import change_password, remove_access, set_hide_opinions
from .blueprint import actor, bp
from .forms import ChangePasswordForm, EmailForm, PreferencesForm
from .queries import team as list_team


def render_team(form: EmailForm | None = None):
    """Render the team page with its invitation form."""
    hours = int(LINK_LIFETIME.total_seconds() // 3600)
    return render_template("admin/team.html", organisers=list_team(), form=form or EmailForm(), hours=hours)


@bp.get("/equipe")
def team():
    """List the organisers; invite one."""
    return render_team()


@bp.post("/equipe/inviter")
def team_invite():
    """Invite someone by address: they receive a single-use link to choose their password."""
    form = EmailForm()
    if not form.validate_on_submit():
        return render_team(form), 400
    try:
        organiser = invite(form.email.data, actor())
    except ValueError as error:
        form.email.errors.append(str(error))
        return render_team(form), 400
    flash(f"Invitation envoyée à {organiser.email}.", "success")
    return redirect(url_for("admin.team"), code=303)


@bp.post("/equipe/<int:organiser_id>/retirer")
def team_remove(organiser_id: int):
    """Remove an organiser's access (their sessions end); the last organiser cannot remove themself."""
    myself = organiser_id == current_user.id
    if not remove_access(organiser_id, current_user.id):
        flash("Impossible : il faut au moins un autre organisateur qui puisse se connecter.", "error")
        return redirect(url_for("admin.team"), code=303)
    if myself:
        logout_user()
        flash("Votre accès est retiré.", "info")
        return redirect(url_for("admin.login"), code=303)
    flash("Accès retiré : ses sessions sont terminées.", "success")
    return redirect(url_for("admin.team"), code=303)


def render_account(password_form: ChangePasswordForm | None = None):
    """Render my account's page."""
    return render_template(
        "admin/account.html",
        password_form=password_form or ChangePasswordForm(account_email=current_user.email),
        preferences_form=PreferencesForm(data={"hide_opinions": current_user.hide_opinions}),
    )


@bp.get("/compte")
def account():
    """Show my settings: password, hiding the others' opinions."""
    return render_account()


@bp.post("/compte/mot-de-passe")
@limiter.limit("10 per 15 minutes")
def account_password():
    """Change my password: every other session ends, this one goes on."""
    form = ChangePasswordForm(account_email=current_user.email)
    if not form.validate_on_submit():
        return render_account(form), 400
    organiser = change_password(current_user.id, form.current.data, form.password.data)
    if organiser is None:
        form.current.errors.append("Mot de passe actuel incorrect.")
        return render_account(form), 400
    login_user(organiser)  # this browser carries the new session token; every other copy is refused
    flash("Mot de passe changé. Vos autres sessions sont terminées.", "success")
    return redirect(url_for("admin.account"), code=303)


@bp.post("/compte/preferences")
def account_preferences():
    """Save my settings."""
    form = PreferencesForm()
    if form.validate_on_submit():
        set_hide_opinions(current_user.id, form.hide_opinions.data)
        flash("Réglage enregistré.", "success")
    return redirect(url_for("admin.account"), code=303)
