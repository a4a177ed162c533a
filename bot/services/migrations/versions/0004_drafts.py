"""draft checks: a cohort's switch

Revision ID: 0004_drafts
Revises: 0004_practice
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_drafts'
down_revision = '0004_practice'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft_checks', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('draft_checks')
