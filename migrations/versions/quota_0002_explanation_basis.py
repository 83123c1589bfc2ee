"""quota assessments keep the basis of their explanation; the explanation text becomes optional

Revision ID: quota_0002
Revises: quota_0001
Create Date: 2026-11-28 18:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'quota_0002'
down_revision = 'quota_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quota_assessment') as batch:
        batch.add_column(sa.Column('explanation_basis', sa.JSON(), nullable=True))
        batch.alter_column('explanation', existing_type=sa.JSON(), nullable=True)


def downgrade():
    with op.batch_alter_table('quota_assessment') as batch:
        batch.alter_column('explanation', existing_type=sa.JSON(), nullable=False)
        batch.drop_column('explanation_basis')
