"""review indexes: no index the review maintains for nothing

The annual review updates every claim and filing of the year and adds an assessment per filing, so
each index on those tables costs it a write per row. Dropped or narrowed: quota_filing.employer_id
(uq_quota_filing_year starts with it), quota_assessment.current and .data_year (every reader asks
for a year's current assessments: one partial index), and the (year, person) index of claims,
which now holds only the claims not accepted (the accepted ones are in the unique partial index).

Revision ID: quota_0010
Revises: quota_0009
Create Date: 2026-12-06 08:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "quota_0010"
down_revision = "quota_0009"
branch_labels = None
depends_on = None

OPEN = sa.text("verdict <> 'accepted'")
CURRENT = sa.text("current")


def upgrade():
    with op.batch_alter_table("quota_filing", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_filing_employer_id")
    with op.batch_alter_table("quota_assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_assessment_current")
        batch_op.drop_index("ix_quota_assessment_data_year")
        batch_op.create_index(
            "ix_quota_assessment_current_year",
            ["data_year"],
            unique=False,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        )
    with op.batch_alter_table("quota_claim", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_claim_year_person")
        batch_op.create_index(
            "ix_quota_claim_year_person_open",
            ["data_year", "person_index"],
            unique=False,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade():
    with op.batch_alter_table("quota_claim", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_quota_claim_year_person_open", sqlite_where=OPEN, postgresql_where=OPEN
        )
        batch_op.create_index(
            "ix_quota_claim_year_person", ["data_year", "person_index"], unique=False
        )
    with op.batch_alter_table("quota_assessment", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_quota_assessment_current_year", sqlite_where=CURRENT, postgresql_where=CURRENT
        )
        batch_op.create_index("ix_quota_assessment_data_year", ["data_year"], unique=False)
        batch_op.create_index("ix_quota_assessment_current", ["current"], unique=False)
    with op.batch_alter_table("quota_filing", schema=None) as batch_op:
        batch_op.create_index("ix_quota_filing_employer_id", ["employer_id"], unique=False)
