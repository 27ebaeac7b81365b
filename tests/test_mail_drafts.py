"""The mails of a new proposal, drafted before it is stored, are exactly the mails composed once it is stored."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bluehats.core.clock import now
from bluehats.core.vocabulary import Kind, Notice, Status
from bluehats.extensions import db
from bluehats.mail import messages
from bluehats.mail.drafts import STAND_IN_ID, STAND_IN_REFERENCE, completed, new_proposal_drafts
from bluehats.models import CoSpeaker, Proposal
from bluehats.proposals.operations import submit_proposal

# Anything the form lets a visitor send (it refuses the ASCII control characters but tabs and line breaks),
# the stand-ins' own look-alikes included.
REFUSED = "".join(chr(code) for code in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
TEXT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters=REFUSED), min_size=1, max_size=80
) | st.sampled_from(
    [str(STAND_IN_ID), "BH-0123456789abcdef", "« Logiciels libres » : pourquoi ?", "https://x/proposition/1.a"]
)


def proposal(title: str, first_name: str, abstract: str, cospeakers: int) -> Proposal:
    """Return a proposal as the form makes it, not stored yet."""
    moment = now()
    made = Proposal(
        edition="osxp-2022",
        first_name=first_name,
        last_name="Dupont",
        email="camille.dupont@interieur.gouv.fr",
        administration="DINUM",
        job_title="",
        title=title,
        abstract=abstract,
        kind=Kind.EXPERIENCE,
        duration=15,
        status=Status.SUBMITTED,
        link_secret="un-secret-de-lien-personnel-assez-long",
        consent_at=moment,
        created_at=moment,
        updated_at=moment,
    )
    made.cospeakers = [
        CoSpeaker(
            position=index,
            first_name=f"Co{index}",
            last_name="Auteur",
            email=f"co{index}@x.fr",
            administration=first_name,
        )
        for index in range(cospeakers)
    ]
    return made


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, first_name=TEXT, abstract=TEXT, cospeakers=st.integers(0, 3), number=st.integers(1, 9999))
def test_drafted_then_completed_is_what_composing_after_storing_gives(
    app, title, first_name, abstract, cospeakers, number
):
    with app.test_request_context():
        made = proposal(title, first_name, abstract, cospeakers)
        drafts = new_proposal_drafts(made)
        made.number, made.reference = number, f"BH22-{number:04d}"
        db.session.add(made)
        db.session.flush()
        composed = [
            messages.speaker_confirmation(made),
            messages.organiser_notification(made, Notice.NEW),
            messages.cospeaker_copy(made),
        ]
        assert [draft.mail for draft in completed(drafts, made)] == [mail for mail in composed if mail is not None]
        db.session.rollback()


def test_a_submission_queues_mails_with_its_reference_and_links_and_no_stand_in(app):
    with app.test_request_context():
        data = {
            name: getattr(proposal("Titre", "Camille", "Une description.", 0), name)
            for name in (
                "first_name",
                "last_name",
                "email",
                "administration",
                "job_title",
                "title",
                "abstract",
                "kind",
                "duration",
            )
        }
        submission = submit_proposal(
            data,
            cospeakers=[
                {"first_name": "Alexis", "last_name": "Martin", "email": "alexis@x.fr", "administration": "MENJS"}
            ],
        )
        stored = db.session.get(Proposal, submission.proposal_id)
        assert [message.purpose for message in stored.messages] == ["speaker-new", "organisers-new", "cospeakers-new"]
        for message in stored.messages:
            for part in (message.subject, message.body_text, message.body_html):
                assert STAND_IN_REFERENCE not in part and str(STAND_IN_ID) not in part
        speaker = stored.messages[0]
        assert stored.reference in speaker.subject and stored.reference in speaker.body_text
        assert f"/proposition/{stored.id}." in speaker.body_text
        assert f"/organisation/propositions/{stored.id}" in stored.messages[1].body_text
