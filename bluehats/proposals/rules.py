"""The rules a field of the call's forms follows, each with its French message."""

import re

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import Length, StopValidation, ValidationError

# Control characters (NUL, escape …) have no place in a name or a talk; tabs and line breaks
# are refused separately in one-line fields.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")


def no_control_characters(form: FlaskForm, field: StringField) -> None:
    """Refuse invisible control characters."""
    if field.data and _CONTROL.search(field.data):
        raise ValidationError(
            "Ce champ contient des caractères invisibles non autorisés. Retapez-le sans copier-coller."
        )


_ADDRESS_MAKERS = re.compile(r'[<>,;"@]')


def plain_name(form: FlaskForm, field: StringField) -> None:
    """Refuse in a name the characters that make a mail address (a name is shown in mail headers)."""
    if field.data and _ADDRESS_MAKERS.search(field.data):
        raise ValidationError('Ce champ ne peut pas contenir les caractères < > , ; " @.')


def no_encoded_word(form: FlaskForm, field: StringField) -> None:
    """Refuse « =? », which mail software reads as the start of an encoded header (the field goes in one)."""
    if field.data and "=?" in field.data:
        raise ValidationError("Ce champ ne peut pas contenir un signe = suivi d’un point d’interrogation.")


def one_line(form: FlaskForm, field: StringField) -> None:
    """Refuse line breaks in a one-line field (they would also break a mail header)."""
    if field.data and _LINE_BREAK.search(field.data):
        raise ValidationError("Ce champ doit tenir sur une seule ligne.")


def strip(value: str | None) -> str | None:
    """Trim the spaces around a typed value."""
    return value.strip() if isinstance(value, str) else value


def unix_newlines(value: str | None) -> str | None:
    """Count a line break as one character, as the browser's counter does."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def length(minimum: int, maximum: int) -> Length:
    """Return a length rule with its French message."""
    if minimum <= 1:
        return Length(max=maximum, message=f"Ce champ ne doit pas dépasser {maximum} caractères.")
    return Length(
        min=minimum,
        max=maximum,
        message=f"Ce champ doit compter entre {minimum} et {maximum} caractères.",
    )


def ascii_local_part(form: FlaskForm, field: StringField) -> None:
    """Explain why an address with accents or non-Latin letters before the @ is refused."""
    local = (field.data or "").rpartition("@")[0]
    if local and not local.isascii():
        raise StopValidation(
            "La partie avant le @ ne peut contenir que des lettres sans accent, des chiffres et . _ - + : "
            "nous ne pourrions pas vous écrire à cette adresse."
        )


def deliverable_address(form: FlaskForm, field: StringField) -> None:
    """Check the address's form, and keep its domain in ASCII (IDNA) so that any mail server takes it."""
    try:
        # A local part that is not ASCII needs SMTPUTF8, which few mail servers offer (ascii_local_part says so).
        checked = validate_email(field.data or "", check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise ValidationError(
            "Saisissez une adresse électronique valide, par exemple prenom.nom@ville-exemple.fr."
        ) from error
    field.data = checked.ascii_email or field.data


# What a name must not hold: it goes in mail headers.
NAME_RULES = (plain_name, no_encoded_word)


class ChoiceField(RadioField):
    """A radio group whose unknown value gets a French message."""

    def pre_validate(self, form: FlaskForm) -> None:
        """Refuse a value that is not one of the choices."""
        if self.data is not None and self.data not in {choice.value for choice in self.choices}:
            raise ValidationError("Choisissez une des options proposées.")
