"""conflict decisions kept so that they outlive amendments

Revision ID: quota_0004
Revises: quota_0003
Create Date: 2026-11-28 19:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'quota_0004'
down_revision = 'quota_0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quota_conflict_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_year', sa.Integer(), nullable=False),
    sa.Column('person_index', sa.String(length=64), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_quota_conflict_decision_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_conflict_decision')),
    sa.UniqueConstraint('data_year', 'person_index', name='uq_quota_conflict_decision')
    )


def downgrade():
    op.drop_table('quota_conflict_decision')
