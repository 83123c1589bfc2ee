"""claims and filings rewritten in place: the counted people in a table of their own

The review gives every claim of the year its verdict. While the verdict was part of an index (the
unique partial index of accepted claims, and the partial index of the others), each of those
updates wrote a new row version and an entry in every index of the table. Now no index holds the
verdict and claim pages keep room free (fillfactor 50), so PostgreSQL rewrites a claim in place;
a person counting for one employer a year is enforced by the primary key of quota_counted_person,
which triggers on quota_claim keep equal to the accepted claims. Filings and their history entries
likewise: the filing status leaves its index (every reader selects by year or employer first) and
both tables keep room free, so marking a year's filings assessed rewrites them in place.

Revision ID: quota_0011
Revises: quota_0010
Create Date: 2026-12-06 11:20:00

"""

import sqlalchemy as sa
from alembic import op

from quota.models import COUNTED_TRIGGERS, COUNTED_TRIGGERS_DROP

# revision identifiers, used by Alembic.
revision = "quota_0011"
down_revision = "quota_0010"
branch_labels = None
depends_on = None

ACCEPTED = sa.text("verdict = 'accepted'")
OPEN = sa.text("verdict <> 'accepted'")
ROOMY = ("quota_claim", "quota_filing", "quota_filing_version")  # rewritten in place by the review


def upgrade():
    op.create_table(
        "quota_counted_person",
        sa.Column("data_year", sa.Integer(), nullable=False),
        sa.Column("person_index", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("data_year", "person_index", name=op.f("pk_quota_counted_person")),
    )
    op.execute(
        "INSERT INTO quota_counted_person (data_year, person_index, claim_id) "
        "SELECT data_year, person_index, id FROM quota_claim WHERE verdict = 'accepted'"
    )
    dialect = op.get_bind().dialect.name
    for statement in COUNTED_TRIGGERS[dialect]:
        op.execute(statement)
    with op.batch_alter_table("quota_claim", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_quota_claim_accepted_person", sqlite_where=ACCEPTED, postgresql_where=ACCEPTED
        )
        batch_op.drop_index(
            "ix_quota_claim_year_person_open", sqlite_where=OPEN, postgresql_where=OPEN
        )
        batch_op.create_index(
            "ix_quota_claim_year_person", ["data_year", "person_index"], unique=False
        )
    with op.batch_alter_table("quota_filing", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_filing_status")
    if dialect == "postgresql":  # new pages only; existing ones as they are rewritten
        for table in ROOMY:
            op.execute(f"ALTER TABLE {table} SET (fillfactor = 50)")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in ROOMY:
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
    with op.batch_alter_table("quota_filing", schema=None) as batch_op:
        batch_op.create_index("ix_quota_filing_status", ["status"], unique=False)
    for statement in COUNTED_TRIGGERS_DROP[dialect]:
        op.execute(statement)
    with op.batch_alter_table("quota_claim", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_claim_year_person")
        batch_op.create_index(
            "ix_quota_claim_year_person_open",
            ["data_year", "person_index"],
            unique=False,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )
        batch_op.create_index(
            "uq_quota_claim_accepted_person",
            ["data_year", "person_index"],
            unique=True,
            sqlite_where=ACCEPTED,
            postgresql_where=ACCEPTED,
        )
    op.drop_table("quota_counted_person")
