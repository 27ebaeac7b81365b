"""A team back office: each organiser's opinion, who decided, single-use account links, a per-organiser setting.

Revision ID: 0008
Revises: 0007

Self-contained: new tables and columns only.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('organiser_id', sa.Integer(), nullable=False),
        sa.Column('opinion', sa.String(length=30), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organiser_id'], ['organiser.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('proposal_id', 'organiser_id', name='uq_review_proposal_organiser'),
    )
    op.create_index('ix_review_proposal_id', 'review', ['proposal_id'])
    op.create_index('ix_review_organiser_id', 'review', ['organiser_id'])
    op.create_table(
        'account_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organiser_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=30), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['organiser_id'], ['organiser.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_account_token_organiser_id', 'account_token', ['organiser_id'])
    with op.batch_alter_table('proposal') as batch:
        batch.add_column(sa.Column('decided_by', sa.String(length=254), nullable=True))
    with op.batch_alter_table('organiser') as batch:
        batch.add_column(sa.Column('invited_by', sa.String(length=254), nullable=True))
        batch.add_column(sa.Column('hide_opinions', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('organiser') as batch:
        batch.drop_column('hide_opinions')
        batch.drop_column('invited_by')
    with op.batch_alter_table('proposal') as batch:
        batch.drop_column('decided_by')
    op.drop_index('ix_account_token_organiser_id', table_name='account_token')
    op.drop_table('account_token')
    op.drop_index('ix_review_organiser_id', table_name='review')
    op.drop_index('ix_review_proposal_id', table_name='review')
    op.drop_table('review')
