"""Editions: each proposal belongs to one, with its number and reference there; settings per edition; the archive.

Revision ID: 0006
Revises: 0005

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Every row before this revision was sent to the 2022 day: what the archive keeps of it.
EDITION_2022 = {
    'key': 'osxp-2022',
    'title': 'Journée BlueHats lors du salon Open Source Experience 2022',
    'name': 'Journée BlueHats 2022',
    'days': [['2022-11-08T09:00:00+01:00', '2022-11-08T18:00:00+01:00']],
    'place': 'Palais des congrès de Paris, salle 252B, 2 place de la Porte Maillot, 75017 Paris',
}
SETTINGS = ('answer_template_accepted', 'answer_template_declined', 'programme_published_at')


def upgrade():
    edition = op.create_table(
        'edition',
        sa.Column('key', sa.String(length=60), primary_key=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('days', sa.JSON(), nullable=False),
        sa.Column('place', sa.String(length=500), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    )
    # Plain ADD COLUMN, NOT NULL through a default: rebuilding the table on SQLite would lose its expression index.
    op.add_column('proposal', sa.Column('edition', sa.String(length=60), nullable=False, server_default='osxp-2022'))
    op.add_column('proposal', sa.Column('number', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('proposal', sa.Column('reference', sa.String(length=20), nullable=False, server_default=''))
    op.add_column('proposal', sa.Column('preferred_day', sa.String(length=10), nullable=True))

    connection = op.get_bind()
    proposal = sa.table(
        'proposal',
        sa.column('id', sa.Integer),
        sa.column('edition', sa.String),
        sa.column('number', sa.Integer),
        sa.column('reference', sa.String),
    )
    # The references speakers received (BH22-0007) stay exactly what they were: the id was the number.
    ids = [row.id for row in connection.execute(sa.select(proposal.c.id))]
    for proposal_id in ids:
        connection.execute(
            proposal.update()
            .where(proposal.c.id == proposal_id)
            .values(edition=EDITION_2022['key'], number=proposal_id, reference=f'BH22-{proposal_id:04d}')
        )
    if connection.dialect.name != 'sqlite':  # SQLite cannot drop a default without rebuilding the table
        for column in ('edition', 'number', 'reference'):
            op.alter_column('proposal', column, server_default=None)
    op.create_index('ix_proposal_edition', 'proposal', ['edition'])
    op.create_index('uq_proposal_edition_number', 'proposal', ['edition', 'number'], unique=True)
    op.create_index('uq_proposal_reference', 'proposal', ['reference'], unique=True)

    setting = sa.table('setting', sa.column('key', sa.String))
    for name in SETTINGS:
        connection.execute(
            setting.update().where(setting.c.key == name).values(key=f"{EDITION_2022['key']}/{name}")
        )
    if ids:
        from datetime import datetime, timezone

        now = datetime.now(timezone.utc)
        starts_at = datetime.fromisoformat(EDITION_2022['days'][0][0]).astimezone(timezone.utc)
        if connection.dialect.name == 'sqlite':  # SQLite keeps no offset: UTC, naive, as the models store it
            now, starts_at = now.replace(tzinfo=None), starts_at.replace(tzinfo=None)
        op.bulk_insert(edition, [{**EDITION_2022, 'starts_at': starts_at, 'recorded_at': now}])


def downgrade():
    setting = sa.table('setting', sa.column('key', sa.String))
    connection = op.get_bind()
    for name in SETTINGS:
        connection.execute(setting.update().where(setting.c.key == f'osxp-2022/{name}').values(key=name))
    op.drop_index('uq_proposal_reference', table_name='proposal')
    op.drop_index('uq_proposal_edition_number', table_name='proposal')
    op.drop_index('ix_proposal_edition', table_name='proposal')
    for column in ('preferred_day', 'reference', 'number', 'edition'):
        op.drop_column('proposal', column)
    op.drop_table('edition')
