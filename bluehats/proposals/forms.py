"""The proposal form and its rules, each with a French message."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, FieldList, Form, FormField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from ..core.dates import format_date, format_time
from ..core.edition import Day, Edition
from ..core.vocabulary import Kind
from ..web.templating import current_edition
from .rules import (
    NAME_RULES,
    ChoiceField,
    ascii_local_part,
    deliverable_address,
    length,
    no_control_characters,
    no_encoded_word,
    one_line,
    strip,
    unix_newlines,
)

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
COSPEAKER_FIELDS = ("first_name", "last_name", "email", "administration")
MAX_COSPEAKERS = 3


class CoSpeakerForm(Form):
    """One co-speaker: a row wholly empty is ignored, a row partly filled needs its four fields."""

    first_name = StringField("Prénom", filters=[strip], validators=[Optional(), length(1, 100), one_line, *NAME_RULES])
    last_name = StringField("Nom", filters=[strip], validators=[Optional(), length(1, 100), one_line, *NAME_RULES])
    email = EmailField(
        "Adresse électronique",
        filters=[strip],
        validators=[Optional(), length(1, 254), one_line, ascii_local_part, deliverable_address],
    )
    administration = StringField(
        "Administration de rattachement",
        filters=[strip],
        validators=[Optional(), length(2, 200), one_line, no_control_characters],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """Check each field, then that a row begun is complete."""
        valid = super().validate(extra_validators)
        if self.is_empty():
            return valid
        for name in COSPEAKER_FIELDS:
            if not self[name].data:
                self[name].errors.append("Ce champ est obligatoire pour chaque co-intervenant·e indiqué·e.")
                valid = False
        return valid

    def is_empty(self) -> bool:
        """Tell whether nothing was typed in the row."""
        return not any(self[name].data for name in COSPEAKER_FIELDS)


# A first or last name: one line of 1 to 100 characters that reads as a name.
NAME_VALIDATORS = [DataRequired(REQUIRED), length(1, 100), one_line, no_control_characters, *NAME_RULES]


class ProposalForm(FlaskForm):
    """Proposer une intervention."""

    first_name = StringField(
        "Prénom",
        filters=[strip],
        validators=NAME_VALIDATORS,
    )
    last_name = StringField(
        "Nom",
        filters=[strip],
        validators=NAME_VALIDATORS,
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
    cospeakers = FieldList(
        FormField(CoSpeakerForm),
        "Co-intervenant·es",
        min_entries=MAX_COSPEAKERS,
        max_entries=MAX_COSPEAKERS,
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

    def cospeaker_data(self) -> list[dict[str, str]]:
        """Return the co-speakers typed, wholly empty rows left out."""
        rows = (entry.form for entry in self.cospeakers)
        return [{name: row[name].data for name in COSPEAKER_FIELDS} for row in rows if not row.is_empty()]

    def error_list(self) -> list[tuple[str, str, str]]:
        """Return (field id, label, first message) of each field in error, co-speakers' fields included."""
        found = []
        for field in self:
            if field.name == "cospeakers":
                for number, entry in enumerate(field, start=1):
                    found += [
                        (sub.id, f"Co-intervenant·e {number}, {sub.label.text.lower()}", sub.errors[0])
                        for sub in entry.form
                        if sub.errors
                    ]
            elif field.errors:
                found.append(
                    (field.id + ("-0" if field.type == "ChoiceField" else ""), field.label.text, field.errors[0])
                )
        return found


def day_label(day: Day) -> str:
    """Return « mercredi 6 décembre 2023, de 14 h à 17 h »."""
    return f"{format_date(day.start, weekday=True)}, de {format_time(day.start)} à {format_time(day.end)}"


class EditProposalForm(ProposalForm):
    """The speaker's edit: same rules; the address stays the one the private link was sent to."""

    email = None
    consent = None
    website = None
