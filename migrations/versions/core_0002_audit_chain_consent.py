"""audit trail append-only (triggers) and hash-chained; who recorded a person's consent

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-12-06 05:50:00

"""

import sqlalchemy as sa
from alembic import op

from core import audit_chain

# revision identifiers, used by Alembic.
revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_method", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("consent_recorded_by", sa.Integer(), nullable=True))

    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing_entries()
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_hash"), ["hash"])
    for statement in audit_chain.trigger_statements(op.get_bind().dialect.name):
        op.execute(statement)


def _chain_existing_entries():
    """Entries written before this revision join the chain in id order."""
    bind = op.get_bind()
    types = {"at": sa.DateTime(), "old": sa.JSON(), "new": sa.JSON()}
    names = (*audit_chain.FIELDS, "prev_hash", "hash")
    event = sa.table("audit_event", *(sa.column(name, types.get(name)) for name in names))
    prev, last_id = audit_chain.GENESIS, 0
    rows = bind.execute(sa.select(event).order_by(event.c.id)).mappings().all()
    for row in rows:
        digest = audit_chain.entry_hash(dict(row), prev)
        bind.execute(
            event.update().where(event.c.id == row["id"]).values(prev_hash=prev, hash=digest)
        )
        prev, last_id = digest, row["id"]
    bind.execute(
        sa.text(
            "INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (:id, :last_id, :hash)"
        ),
        {"id": audit_chain.HEAD_ID, "last_id": last_id, "hash": prev},
    )


def downgrade():
    for statement in audit_chain.drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_event_hash"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("consent_recorded_by")
        batch_op.drop_column("consent_method")
