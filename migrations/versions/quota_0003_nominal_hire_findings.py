"""nominal hire findings recorded by counselors

Revision ID: quota_0003
Revises: quota_0002
Create Date: 2026-11-28 18:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'quota_0003'
down_revision = 'quota_0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quota_nominal_hire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('data_year', sa.Integer(), nullable=False),
    sa.Column('person_index', sa.String(length=64), nullable=False),
    sa.Column('cert_masked', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by', sa.Integer(), nullable=True),
    sa.Column('withdraw_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_quota_nominal_hire_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_nominal_hire'))
    )
    with op.batch_alter_table('quota_nominal_hire', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quota_nominal_hire_data_year'), ['data_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_quota_nominal_hire_employer_id'), ['employer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quota_nominal_hire', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quota_nominal_hire_employer_id'))
        batch_op.drop_index(batch_op.f('ix_quota_nominal_hire_data_year'))
    op.drop_table('quota_nominal_hire')
