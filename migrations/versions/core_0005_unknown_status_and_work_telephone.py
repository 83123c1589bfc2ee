"""unknown employment status and wish to work (nullable), a staff account's work telephone

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-12-06 08:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "core_0005"
down_revision = "core_0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person") as batch:
        batch.alter_column("employment_type", existing_type=sa.String(length=20), nullable=True)
        batch.alter_column("wish_to_work", existing_type=sa.Boolean(), nullable=True)
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("phone")
    op.execute("UPDATE person SET employment_type = 'unemployed' WHERE employment_type IS NULL")
    op.execute("UPDATE person SET wish_to_work = false WHERE wish_to_work IS NULL")
    with op.batch_alter_table("person") as batch:
        batch.alter_column("employment_type", existing_type=sa.String(length=20), nullable=False)
        batch.alter_column("wish_to_work", existing_type=sa.Boolean(), nullable=False)
