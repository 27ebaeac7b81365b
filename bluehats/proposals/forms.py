"""The proposal form and its rules, each with a French message."""

import re
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from ..core.dates import format_date, format_time
from ..core.edition import Day, Edition
from ..core.vocabulary import Kind
from ..web.templating import current_edition

ABSTRACT_MIN = 50
ABSTRACT_MAX = 1500

# A helping hand while typing, not a closed list: any administration is accepted.
ADMINISTRATIONS = (
    "Direction interministérielle du numérique (DINUM)",
    "Ministère de l’Intérieur et des Outre-mer",
    "Ministère de l’Économie, des Finances et de la Souveraineté industrielle et numérique",
    "Ministère des Armées",
    "Ministère de la Justice",
    "Ministère de l’Éducation nationale et de la Jeunesse",
    "Ministère de l’Enseignement supérieur et de la Recherche",
    "Ministère de la Transition écologique et de la Cohésion des territoires",
    "Ministère de la Santé et de la Prévention",
    "Ministère du Travail, du Plein emploi et de l’Insertion",
    "Ministère de la Culture",
    "Ministère de l’Agriculture et de la Souveraineté alimentaire",
    "Ministère de l’Europe et des Affaires étrangères",
    "Ministère de la Transformation et de la Fonction publiques",
    "Services du Premier ministre",
    "Collectivité territoriale",
    "Établissement public",
    "Hôpital public",
    "Université ou établissement d’enseignement supérieur",
)

REQUIRED = "Ce champ est obligatoire."
INDIFFERENT = "indifferent"
EDITABLE = ("first_name", "last_name", "administration", "job_title", "title", "abstract", "kind", "duration")
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


class ProposalForm(FlaskForm):
    """Proposer une intervention."""

    first_name = StringField(
        "Prénom",
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            length(1, 100),
            one_line,
            no_control_characters,
            plain_name,
            no_encoded_word,
        ],
    )
    last_name = StringField(
        "Nom",
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            length(1, 100),
            one_line,
            no_control_characters,
            plain_name,
            no_encoded_word,
        ],
    )
    email = EmailField(
        "Adresse électronique",
        description=(
            "Votre adresse professionnelle, quel que soit votre employeur public (ministère, collectivité, "
            "établissement…), par exemple prenom.nom@ville-exemple.fr. La confirmation et la réponse y seront envoyées."
        ),
        filters=[strip],
        validators=[DataRequired(REQUIRED), length(1, 254), one_line, ascii_local_part, deliverable_address],
    )
    administration = StringField(
        "Administration de rattachement",
        description="Ministère, direction, collectivité ou établissement public.",
        filters=[strip],
        validators=[DataRequired(REQUIRED), length(2, 200), one_line, no_control_characters],
    )
    job_title = StringField(
        "Fonction (facultatif)",
        filters=[strip],
        validators=[Optional(), length(1, 200), one_line, no_control_characters],
    )
    title = StringField(
        "Titre de l’intervention",
        filters=[strip],
        validators=[DataRequired(REQUIRED), length(5, 150), one_line, no_control_characters, no_encoded_word],
    )
    abstract = TextAreaField(
        "Description de l’intervention",
        description=(
            f"Quelques lignes : le sujet, ce que le public en retiendra ({ABSTRACT_MIN} à {ABSTRACT_MAX} caractères)."
        ),
        filters=[strip, unix_newlines],
        validators=[DataRequired(REQUIRED), length(ABSTRACT_MIN, ABSTRACT_MAX), no_control_characters],
    )
    kind = ChoiceField(
        "Type d’intervention",
        choices=[SelectChoice(kind.value, kind.label) for kind in Kind],
        validators=[InputRequired("Choisissez le type d’intervention.")],
    )
    # The edition's formats and days: set for each form by __init__.
    duration = ChoiceField("Durée souhaitée", choices=[])
    preferred_day = ChoiceField(
        "Le jour qui vous convient le mieux",
        description="Nous en tiendrons compte autant que possible pour construire le programme.",
        choices=[],
        validators=[InputRequired("Choisissez le jour qui vous convient, ou « Indifférent ».")],
    )
    consent = BooleanField(
        "J’accepte que ces informations soient utilisées pour étudier ma proposition et construire le programme",
        validators=[
            DataRequired("Vous devez accepter l’utilisation de vos informations pour envoyer votre proposition.")
        ],
    )
    # Honeypot: hidden from people and from autofill; robots fill it in.
    website = StringField("Ne pas remplir ce champ", filters=[strip], validators=[Optional(), length(0, 500)])

    def __init__(self, *args: Any, edition: Edition | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        edition = edition or current_edition()
        minutes = [str(value) for value in edition.durations]
        spoken = minutes[0] if len(minutes) == 1 else f"{', '.join(minutes[:-1])} ou {minutes[-1]}"
        self.duration.choices = [SelectChoice(value, f"{value} minutes") for value in minutes]
        self.duration.description = f"Chaque présentation tient en {minutes[0]} à {minutes[-1]} minutes."
        self.duration.validators = [InputRequired(f"Choisissez une durée : {spoken} minutes.")]
        if edition.several_days:
            self.preferred_day.choices = [
                *(SelectChoice(day.key, day_label(day)) for day in edition.days),
                SelectChoice(INDIFFERENT, "Indifférent"),
            ]
        else:
            del self.preferred_day  # one day: nothing to prefer

    def proposal_data(self) -> dict[str, Any]:
        """Return the validated fields, as the model names them."""
        data: dict[str, Any] = {name: self[name].data for name in EDITABLE}
        data["job_title"] = data["job_title"] or ""
        data["duration"] = int(data["duration"])
        data["kind"] = Kind(data["kind"])
        chosen = self.preferred_day.data if "preferred_day" in self else None
        data["preferred_day"] = chosen if chosen and chosen != INDIFFERENT else None
        if "email" in self:
            data["email"] = self.email.data
        return data


def day_label(day: Day) -> str:
    """Return « mercredi 6 décembre 2023, de 14 h à 17 h »."""
    return f"{format_date(day.start, weekday=True)}, de {format_time(day.start)} à {format_time(day.end)}"


class EditProposalForm(ProposalForm):
    """The speaker's edit: same rules; the address stays the one the private link was sent to."""

    email = None
    consent = None
    website = None
