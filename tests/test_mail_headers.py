"""A mail leaves with the bytes the standard library's SMTP policy writes, though the outbox writes them faster."""

import email.policy
from collections import namedtuple
from datetime import UTC, datetime
from email.utils import formataddr

from hypothesis import given, settings
from hypothesis import strategies as st

from bluehats.mail.transports import as_mime

# An outbox row as the transport reads it.
Row = namedtuple("Row", "subject sender recipients reply_to created_at message_id body_text body_html")

# What a visitor's name or title may hold once the form has let it through: tabs refused, line breaks too.
TYPED = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from(list(" \"'()<>@,;:\\.[]=?«»–…")),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(
    name=TYPED,
    subject=TYPED,
    body=st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=300),
    reply_to=st.booleans(),
)
def test_a_message_is_written_as_the_standard_library_writes_it(name, subject, body, reply_to):
    row = Row(
        subject=" ".join(subject.split()),  # messages.one_line() has made it one line already
        sender="Journée BlueHats <logiciels-libres@data.gouv.fr>",
        recipients=[formataddr((" ".join(name.split()), "camille.dupont@interieur.gouv.fr"))],
        reply_to="Organisation <orga@numerique.gouv.fr>" if reply_to else None,
        created_at=datetime(2022, 10, 3, 14, 5, tzinfo=UTC),
        message_id="<179647764513.13298.4342394692935388294.speaker-new@data.gouv.fr>",
        body_text=body,
        body_html=f"<p>{body}</p>",
    )
    mime = as_mime(row)
    assert mime.as_bytes() == mime.as_bytes(policy=email.policy.SMTP)
