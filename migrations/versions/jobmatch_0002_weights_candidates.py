"""learned weights keep their held-out comparison; a version not better than the active one is a candidate

Revision ID: jobmatch_0002
Revises: jobmatch_0001
Create Date: 2026-12-06 05:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'jobmatch_0002'
down_revision = 'jobmatch_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match_weights') as batch:
        batch.add_column(sa.Column('status', sa.String(length=12), nullable=False, server_default='active'))
        batch.add_column(sa.Column('baseline_auc', sa.Numeric(5, 4), nullable=True))
        batch.add_column(sa.Column('ndcg', sa.Numeric(5, 4), nullable=True))
        batch.add_column(sa.Column('baseline_ndcg', sa.Numeric(5, 4), nullable=True))
        batch.add_column(sa.Column('note', sa.String(length=300), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('match_weights') as batch:
        for name in ('note', 'baseline_ndcg', 'ndcg', 'baseline_auc', 'status'):
            batch.drop_column(name)
