"""filing versions keep the submission key of the save, so a retried save gets the first answer

Revision ID: quota_0006
Revises: quota_0005
Create Date: 2026-12-06 06:12:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'quota_0006'
down_revision = 'quota_0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quota_filing_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_quota_filing_submission', ['filing_id', 'submission_key'])


def downgrade():
    with op.batch_alter_table('quota_filing_version', schema=None) as batch_op:
        batch_op.drop_constraint('uq_quota_filing_submission', type_='unique')
        batch_op.drop_column('submission_key')
