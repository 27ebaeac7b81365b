"""The back office's forms."""

import difflib
import unicodedata

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..decisions import PLACEHOLDERS, unknown_placeholders

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
