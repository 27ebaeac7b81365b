"""The back office's forms."""

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
        raise ValidationError(f"Variable inconnue : {names}. Variables possibles : {known}.")


class TemplateForm(FlaskForm):
    """One answer's subject and body."""

    subject = StringField("Objet", validators=[DataRequired(REQUIRED), Length(max=200), known_placeholders])
    body = TextAreaField("Texte du courriel", validators=[DataRequired(REQUIRED), Length(max=5000), known_placeholders])
