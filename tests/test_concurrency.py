"""A rush before the deadline: real gunicorn, 4 workers, 200 proposals at once from separate sessions."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text

from servers import gunicorn as serve
from servers import propose, site_environment

PROPOSALS = 200


@pytest.fixture
def gunicorn(tmp_path, database_url, smtp):
    """The real app behind gunicorn, 4 workers, mailing to the test's SMTP server."""
    environment = site_environment(tmp_path / "instance", database_url, smtp.port)
    with serve(environment, tmp_path / "gunicorn.log") as server:
        yield server.port


@pytest.mark.slow
def test_two_hundred_concurrent_proposals_are_each_stored_once_and_mailed_once(gunicorn, database_url, smtp):
    with ThreadPoolExecutor(max_workers=PROPOSALS) as pool:
        statuses = list(pool.map(lambda index: propose(gunicorn, index).status, range(PROPOSALS)))
    assert statuses == [303] * PROPOSALS

    engine = create_engine(database_url)
    with engine.connect() as connection:
        titles = connection.execute(text("SELECT title FROM proposal")).scalars().all()
        mails = connection.execute(text("SELECT status, count(*) FROM outbox_message GROUP BY status")).all()
    engine.dispose()
    assert sorted(titles) == sorted(f"Intervention {index}" for index in range(PROPOSALS))
    assert dict(mails) == {"sent": 2 * PROPOSALS}
    message_ids = [message["Message-ID"] for message in smtp.messages]
    assert len(message_ids) == len(set(message_ids)) == 2 * PROPOSALS
    for index in range(PROPOSALS):
        assert len(smtp.to(f"agent{index}@interieur.gouv.fr")) == 1
