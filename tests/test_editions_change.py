"""A malformed announcement stops the site with a French message; a 2022 database migrates as it is."""

from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from bluehats import create_app
from bluehats.core.edition import EditionError
from bluehats.extensions import db
from bluehats.models import Proposal


@pytest.mark.parametrize(
    ("front", "key", "expected"),
    [
        ("event-start: 2023-12-06T14:00:00+01:00\nevent-end: 2023-12-06", "event-end", "ISO 8601 avec décalage"),
        ("days: demain", "days", "une liste de {start, end}"),
        (
            "days:\n  - start: 2023-12-06T14:00:00+01:00\n    end: 2023-12-06T13:00:00+01:00",
            "days",
            "chaque fin après son début",
        ),
        (
            "event-start: 2023-12-06T14:00:00+01:00\nevent-end: 2023-12-06T17:00:00+01:00\ndurations: [dix]",
            "durations",
            "liste de durées",
        ),
    ],
)
def test_a_malformed_announcement_stops_the_site_with_a_french_message(make_app, tmp_path, front, key, expected):
    post = tmp_path / "annonce-2024.md"
    post.write_text(
        "---\ntitle: Journées BlueHats 2024\ndate: 2024-10-01 10:00:00 +02:00\nvenue: Palais\naddress: Paris\n"
        "contact: a@b.fr\ncfp-deadline: 2024-11-01T00:00:00+01:00\nanswer-date: 2024-11-10T09:00:00+01:00\n"
        f"{front}\n---\nTexte.\n",
        encoding="utf-8",
    )
    with pytest.raises(EditionError) as raised:
        make_app(BLUEHATS_EVENT=str(post))
    message = str(raised.value)
    assert str(post) in message and f"« {key} »" in message and expected in message


def test_a_missing_key_is_named(make_app, tmp_path):
    post = tmp_path / "sans-lieu.md"
    post.write_text(
        "---\ntitle: T\ndate: 2024-10-01 10:00:00 +02:00\nevent-start: 2024-12-06T14:00:00+01:00\n"
        "event-end: 2024-12-06T17:00:00+01:00\naddress: Paris\ncontact: a@b.fr\n"
        "cfp-deadline: 2024-11-01T00:00:00+01:00\nanswer-date: 2024-11-10T09:00:00+01:00\n---\nTexte.\n",
        encoding="utf-8",
    )
    with pytest.raises(EditionError, match="la clé « venue » absente ; attendu : un texte"):
        make_app(BLUEHATS_EVENT=str(post))


def test_the_migration_keeps_a_2022_database(tmp_path, monkeypatch, migrated_postgresql):
    """A database made by the previous release (migrations up to 0004) keeps its rows and references."""
    if migrated_postgresql:
        pytest.skip("run on SQLite: the PostgreSQL test database is shared by the suite")
    monkeypatch.setenv("BLUEHATS_INSTANCE_PATH", str(tmp_path / "instance"))
    url = f"sqlite:///{tmp_path / 'release-1.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0004")
        db.engine.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:  # rows as the first release wrote them
        for number in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO proposal (first_name, last_name, email, administration, job_title, title, abstract,"
                    " kind, duration, status, honeypot, consent_at, created_at, updated_at, decision)"
                    " VALUES ('Camille', 'Dupont', :email, 'DINUM', '', :title, :abstract, 'autre', 15, 'submitted',"
                    " '', '2022-10-10 12:00:00', '2022-10-10 12:00:00', '2022-10-10 12:00:00', :decision)"
                ),
                {
                    "email": f"p{number}@x.gouv.fr",
                    "title": f"Intervention {number}",
                    "abstract": "x" * 60,
                    "decision": "accepted" if number == 2 else None,
                },
            )
        connection.execute(
            text(
                "INSERT INTO setting (key, value, updated_at) VALUES ('programme_published_at',"
                " '\"2022-10-21T09:00:00+02:00\"', '2022-10-20 10:00:00')"
            )
        )
    engine.dispose()
    with app.app_context():
        upgrade()
        rows = db.session.execute(select(Proposal.id, Proposal.reference, Proposal.edition, Proposal.title)).all()
        assert [(row.reference, row.edition, row.title) for row in rows] == [
            ("BH22-0001", "osxp-2022", "Intervention 1"),
            ("BH22-0002", "osxp-2022", "Intervention 2"),
            ("BH22-0003", "osxp-2022", "Intervention 3"),
        ]
        assert db.session.get(Proposal, 2).decision == "accepted"
        keys = db.session.scalars(text("SELECT key FROM setting")).all()
        assert keys == ["osxp-2022/programme_published_at"]
        # The expression index the double-submit check reads survived the migration.
        indexes = db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'")).all()
        assert "ix_proposal_email_lower_created" in indexes
        db.engine.dispose()
    assert Path(tmp_path / "release-1.sqlite").exists()
