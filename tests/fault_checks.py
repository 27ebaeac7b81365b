"""What the fault tests look at from the outside: the 503 a visitor gets, the rows stored, the mails sent."""

from sqlalchemy import create_engine, text

from mailserver import Mailbox

NOT_SAVED = "Votre proposition n’a pas pu être enregistrée"


def stored(url: str, query: str) -> list:
    """Read rows straight from the database, as an operator would."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(query)).all())
    finally:
        engine.dispose()


def assert_nothing_half_written(url: str) -> list[str]:
    """Check that every stored proposal has its two mails, and return the stored titles."""
    proposals = stored(
        url,
        "SELECT p.title, count(m.id) FROM proposal p LEFT JOIN outbox_message m ON m.proposal_id = p.id "
        "GROUP BY p.id, p.title",
    )
    assert all(mails == 2 for _, mails in proposals), proposals
    return [title for title, _ in proposals]


def assert_mailed_once(mailbox: Mailbox, titles: list[str]) -> None:
    """Check that each stored proposal's speaker and the organiser got exactly one mail for it."""
    message_ids = [message["Message-ID"] for message in mailbox.messages]
    assert len(message_ids) == len(set(message_ids)) == 2 * len(titles)
    for title in titles:
        index = title.removeprefix("Intervention ")
        assert len(mailbox.to(f"agent{index}@interieur.gouv.fr")) == 1, title
    assert len(mailbox.to("orga@numerique.gouv.fr")) == len(titles)
