"""registry extract, certificate checks, official data time, year setting source and verification deadline

Revision ID: quota_0005
Revises: quota_0004
Create Date: 2026-12-06 05:37:01

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'quota_0005'
down_revision = 'quota_0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quota_registry_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_index', sa.String(length=64), nullable=False),
    sa.Column('cert_index', sa.String(length=64), nullable=False),
    sa.Column('cert_cipher', sa.Text(), nullable=False),
    sa.Column('cert_masked', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('category', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('issuing_area', sa.String(length=6), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('extract_date', sa.Date(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_registry_record')),
    sa.UniqueConstraint('person_index', name=op.f('uq_quota_registry_record_person_index'))
    )
    with op.batch_alter_table('quota_registry_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quota_registry_record_cert_index'), ['cert_index'], unique=False)
        batch_op.create_index(batch_op.f('ix_quota_registry_record_issuing_area'), ['issuing_area'], unique=False)

    op.create_table('quota_certificate_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('data_year', sa.Integer(), nullable=False),
    sa.Column('person_index', sa.String(length=64), nullable=False),
    sa.Column('cert_masked', sa.String(length=20), nullable=False),
    sa.Column('issuing_area', sa.String(length=6), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('evidence_file', sa.String(length=100), nullable=True),
    sa.Column('evidence_name', sa.String(length=200), nullable=True),
    sa.Column('evidence_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_quota_certificate_check_employer_id_employer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_certificate_check')),
    sa.UniqueConstraint('employer_id', 'data_year', 'person_index', name='uq_quota_cert_check')
    )
    with op.batch_alter_table('quota_certificate_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quota_certificate_check_data_year'), ['data_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_quota_certificate_check_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quota_certificate_check_status'), ['status'], unique=False)

    with op.batch_alter_table('quota_official_data', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('quota_year_setting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('social_average_wage_source', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('verification_deadline', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('quota_year_setting', schema=None) as batch_op:
        batch_op.drop_column('verification_deadline')
        batch_op.drop_column('social_average_wage_source')

    with op.batch_alter_table('quota_official_data', schema=None) as batch_op:
        batch_op.drop_column('imported_at')

    with op.batch_alter_table('quota_certificate_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quota_certificate_check_status'))
        batch_op.drop_index(batch_op.f('ix_quota_certificate_check_employer_id'))
        batch_op.drop_index(batch_op.f('ix_quota_certificate_check_data_year'))

    op.drop_table('quota_certificate_check')
    with op.batch_alter_table('quota_registry_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quota_registry_record_issuing_area'))
        batch_op.drop_index(batch_op.f('ix_quota_registry_record_cert_index'))

    op.drop_table('quota_registry_record')
