"""The proposal form and its rules, each with a French message."""

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, StopValidation, ValidationError

from ..core.vocabulary import Kind
from ..models import DURATIONS

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
        validators=[DataRequired(REQUIRED), length(1, 100), one_line, no_control_characters, plain_name],
    )
    last_name = StringField(
        "Nom",
        filters=[strip],
        validators=[DataRequired(REQUIRED), length(1, 100), one_line, no_control_characters, plain_name],
    )
    email = EmailField(
        "Adresse électronique",
        description=(
            "Format attendu : prenom.nom@administration.gouv.fr. La confirmation et la réponse y seront envoyées."
        ),
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            length(1, 254),
            one_line,
            ascii_local_part,
            Email(
                message="Saisissez une adresse électronique valide, au format prenom.nom@administration.gouv.fr.",
                check_deliverability=False,
                # An address whose local part is not ASCII needs SMTPUTF8, which few mail servers offer.
                allow_smtputf8=False,
            ),
        ],
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
        validators=[DataRequired(REQUIRED), length(5, 150), one_line, no_control_characters],
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
    duration = ChoiceField(
        "Durée souhaitée",
        description="Chaque présentation tient en 5 à 20 minutes.",
        choices=[SelectChoice(str(minutes), f"{minutes} minutes") for minutes in DURATIONS],
        validators=[InputRequired("Choisissez une durée : 5, 10, 15 ou 20 minutes.")],
    )
    consent = BooleanField(
        "J’accepte que ces informations soient utilisées pour étudier ma proposition et construire le programme",
        validators=[
            DataRequired("Vous devez accepter l’utilisation de vos informations pour envoyer votre proposition.")
        ],
    )
    # Honeypot: hidden from people and from autofill; robots fill it in.
    website = StringField("Ne pas remplir ce champ", filters=[strip], validators=[Optional(), length(0, 500)])

    def proposal_data(self) -> dict[str, str | int]:
        """Return the validated fields, as the model names them."""
        data = {name: self[name].data for name in EDITABLE}
        data["job_title"] = data["job_title"] or ""
        data["duration"] = int(data["duration"])
        data["kind"] = Kind(data["kind"])
        if "email" in self:
            data["email"] = self.email.data
        return data


class EditProposalForm(ProposalForm):
    """The speaker's edit: same rules; the address stays the one the private link was sent to."""

    email = None
    consent = None
    website = None
