"""The back office's forms."""

import difflib
import unicodedata

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from ..core import clock
from ..core.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from ..core.vocabulary import Opinion
from ..decisions import PLACEHOLDERS, unknown_placeholders
from ..proposals.forms import ChoiceField

REQUIRED = "Ce champ est obligatoire."


class LoginForm(FlaskForm):
    """Log in with an address and a password."""

    email = EmailField("Adresse électronique", validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[DataRequired(REQUIRED), Length(max=200)])


class NoteForm(FlaskForm):
    """An internal note on a proposal."""

    text = TextAreaField(
        "Note interne",
        description="Visible des seuls organisateurs.",
        validators=[DataRequired("Écrivez la note avant de l’enregistrer."), Length(max=2000)],
    )


def known_placeholders(form: FlaskForm, field: StringField) -> None:
    """Refuse a {placeholder} that would be sent as typed."""
    unknown = unknown_placeholders(field.data or "")
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        hints = [f"{{{guess}}} au lieu de {{{name}}}" for name in unknown if (guess := closest_placeholder(name))]
        hint = f" Vouliez-vous écrire {' et '.join(hints)} ?" if hints else ""
        one = len(unknown) == 1
        raise ValidationError(
            f"{'Variable inconnue' if one else 'Variables inconnues'} : {names} "
            f"({'elle serait envoyée telle quelle' if one else 'elles seraient envoyées telles quelles'}).{hint} "
            f"Variables possibles : {known}."
        )


def closest_placeholder(name: str) -> str | None:
    """Return the known placeholder a mistyped one most likely meant ({prénom} → {prenom}), if any."""
    plain = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    matches = difflib.get_close_matches(plain, list(PLACEHOLDERS), n=1, cutoff=0.6)
    return matches[0] if matches else None


class TemplateForm(FlaskForm):
    """One answer's subject and body."""

    subject = StringField("Objet", validators=[DataRequired(REQUIRED), Length(max=200), known_placeholders])
    body = TextAreaField("Texte du courriel", validators=[DataRequired(REQUIRED), Length(max=5000), known_placeholders])


class OpinionForm(FlaskForm):
    """An organiser's opinion on a proposal, with an optional comment."""

    opinion = ChoiceField(
        "Mon avis",
        choices=[SelectChoice(opinion.value, opinion.label) for opinion in Opinion],
        validators=[InputRequired("Choisissez pour, réservé ou contre.")],
    )
    comment = TextAreaField(
        "Commentaire (facultatif)",
        description="Visible des autres organisateurs, avec votre avis.",
        validators=[Length(max=2000)],
    )


def acceptable_password(form: FlaskForm, field: PasswordField) -> None:
    """Refuse a password the site's rules refuse (length, common passwords, the account's address)."""
    problem = password_problem(field.data or "", getattr(form, "account_email", ""))
    if problem:
        raise ValidationError(problem)


NEW_PASSWORD_HINT = (
    f"Au moins {MIN_LENGTH} caractères, sans autre règle : une phrase de plusieurs mots, que vous n’utilisez "
    "nulle part ailleurs. Les mots de passe les plus courants sont refusés."
)


class NewPasswordForm(FlaskForm):
    """Choose a password (from an invitation or a reset link), typed twice."""

    password = PasswordField(
        "Nouveau mot de passe",
        description=NEW_PASSWORD_HINT,
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH), acceptable_password],
    )
    confirm = PasswordField(
        "Confirmez le mot de passe",
        validators=[DataRequired(REQUIRED), EqualTo("password", "Les deux mots de passe ne sont pas identiques.")],
    )

    def __init__(self, *args, account_email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account_email = account_email


class ChangePasswordForm(NewPasswordForm):
    """Change one's password: the current one first."""

    current = PasswordField("Mot de passe actuel", validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)])


class EmailForm(FlaskForm):
    """One address: an invitation, or « mot de passe oublié »."""

    email = EmailField("Adresse électronique", validators=[DataRequired(REQUIRED), Length(max=254)])


class PreferencesForm(FlaskForm):
    """An organiser's own settings."""

    hide_opinions = BooleanField(
        "Masquer les avis des autres tant que je n’ai pas donné le mien",
        description="Pour que le premier avis n’oriente pas les suivants.",
    )


class FrenchDateField(DateField):
    """A date field whose unreadable value gets a French message."""

    def process_formdata(self, valuelist: list) -> None:
        """Read the date, or fail in French."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Indiquez une date valide (aaaa-mm-jj).") from None


def in_the_past(form: FlaskForm, field: DateField) -> None:
    """Refuse a day after today: a purge never reaches a proposal still to come."""
    if field.data and field.data > clock.now().astimezone(clock.PARIS).date():
        raise ValidationError("Choisissez une date passée.")


class PurgeForm(FlaskForm):
    """The date before which proposals lose their personal data."""

    before = FrenchDateField(
        "Propositions reçues avant le",
        description="Au format aaaa-mm-jj si votre navigateur ne propose pas de calendrier.",
        validators=[InputRequired("Indiquez une date valide (aaaa-mm-jj)."), in_the_past],
    )
