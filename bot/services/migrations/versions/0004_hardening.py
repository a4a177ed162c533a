"""hardening: reminder retries wait and give up late, claims have a holder and a heartbeat

Revision ID: 0004_hardening
Revises: 0003
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004_hardening'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
        batch_op.add_column(sa.Column('first_tried_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('retry_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('uncertain', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_column('uncertain')
        batch_op.drop_column('retry_at')
        batch_op.drop_column('first_tried_at')
        batch_op.drop_column('claimed_by')
