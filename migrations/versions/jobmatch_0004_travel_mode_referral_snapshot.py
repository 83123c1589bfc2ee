"""a seeker's usual travel mode, and the seeker/post snapshot a referral keeps for learning

Revision ID: jobmatch_0004
Revises: jobmatch_0003
Create Date: 2026-12-06 08:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'jobmatch_0004'
down_revision = 'jobmatch_0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('seeker_profile') as batch:
        batch.add_column(sa.Column('travel_mode', sa.String(length=30), nullable=True))
    with op.batch_alter_table('referral') as batch:
        batch.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('referral') as batch:
        batch.drop_column('snapshot')
    with op.batch_alter_table('seeker_profile') as batch:
        batch.drop_column('travel_mode')
