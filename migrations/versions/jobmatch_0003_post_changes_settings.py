"""a log of post changes (workers update their fitted tables from it) and admin-set matching settings

Revision ID: jobmatch_0003
Revises: jobmatch_0002
Create Date: 2026-12-06 05:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'jobmatch_0003'
down_revision = 'jobmatch_0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('match_post_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_post_change'))
    )
    with op.batch_alter_table('match_post_change') as batch:
        batch.create_index(batch.f('ix_match_post_change_post_id'), ['post_id'], unique=False)
    op.create_table('match_setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by'], ['user_account.id'], name=op.f('fk_match_setting_updated_by_user_account')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_match_setting'))
    )


def downgrade():
    op.drop_table('match_setting')
    with op.batch_alter_table('match_post_change') as batch:
        batch.drop_index(batch.f('ix_match_post_change_post_id'))
    op.drop_table('match_post_change')
