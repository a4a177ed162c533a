"""pushes reach the members a cohort has when they fall due

Revision ID: 0005_push_expanded_at
Revises: 0004_drafts
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005_push_expanded_at'
down_revision = '0004_drafts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('push', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expanded_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
    # Pushes scheduled before this revision already have their reminder rows.
    op.execute("UPDATE push SET expanded_at = created_at WHERE target IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('push', schema=None) as batch_op:
        batch_op.drop_column('expanded_at')
