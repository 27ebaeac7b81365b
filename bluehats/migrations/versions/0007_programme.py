"""The programme as organisers build it: co-speakers, breaks, public title and speakers, recordings, slides.

Revision ID: 0007
Revises: 0006

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cospeaker',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('proposal_id', sa.Integer(), sa.ForeignKey('proposal.id', ondelete='CASCADE'), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('first_name', sa.String(length=100), nullable=False),
        sa.Column('last_name', sa.String(length=100), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('administration', sa.String(length=200), nullable=False),
    )
    op.create_index('ix_cospeaker_proposal_id', 'cospeaker', ['proposal_id'])
    op.create_table(
        'programme_break',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('edition', sa.String(length=60), nullable=False),
        sa.Column('label', sa.String(length=100), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_programme_break_edition', 'programme_break', ['edition'])
    # Plain ADD COLUMN: rebuilding the table on SQLite would lose its expression index.
    op.add_column('proposal', sa.Column('public_title', sa.String(length=200), nullable=True))
    op.add_column('proposal', sa.Column('public_speakers', sa.String(length=300), nullable=True))
    op.add_column('proposal', sa.Column('video_url', sa.String(length=500), nullable=True))
    op.add_column('proposal', sa.Column('slides_file', sa.String(length=80), nullable=True))
    op.add_column('proposal', sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for column in ('cancelled_at', 'slides_file', 'video_url', 'public_speakers', 'public_title'):
        op.drop_column('proposal', column)
    op.drop_index('ix_programme_break_edition', table_name='programme_break')
    op.drop_table('programme_break')
    op.drop_index('ix_cospeaker_proposal_id', table_name='cospeaker')
    op.drop_table('cospeaker')
