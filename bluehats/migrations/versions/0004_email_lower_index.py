"""Index proposals by lower-cased address, as the double-submit check reads them.

Revision ID: 0004
Revises: 0003

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_proposal_email_created', table_name='proposal')
    op.create_index('ix_proposal_email_lower_created', 'proposal', [sa.text('lower(email)'), 'created_at'])


def downgrade():
    op.drop_index('ix_proposal_email_lower_created', table_name='proposal')
    op.create_index('ix_proposal_email_created', 'proposal', ['email', 'created_at'])
