"""Revocable private links (a random secret per proposal) and sessions that logout really ends.

Revision ID: 0005
Revises: 0004

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Existing proposals keep NULL: the links already mailed to their speakers stay valid until renewed.
    with op.batch_alter_table('proposal') as batch:
        batch.add_column(sa.Column('link_secret', sa.String(length=64), nullable=True))
    with op.batch_alter_table('organiser') as batch:
        batch.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    organiser = sa.table('organiser', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (organiser_id,) in connection.execute(sa.select(organiser.c.id)).all():
        connection.execute(
            organiser.update().where(organiser.c.id == organiser_id).values(session_token=secrets.token_urlsafe(24))
        )
    with op.batch_alter_table('organiser') as batch:
        batch.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('organiser') as batch:
        batch.drop_column('session_token')
    with op.batch_alter_table('proposal') as batch:
        batch.drop_column('link_secret')
