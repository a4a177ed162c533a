"""one send budget that all workers share

Revision ID: 0006_send_budget
Revises: 0005_push_expanded_at
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006_send_budget'
down_revision = '0005_push_expanded_at'
branch_labels = None
depends_on = None


def upgrade() -> None:
    budget = op.create_table(
        'send_budget',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('tokens', sa.Float(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    # The bucket starts empty: a fresh start sends its first message after one token's time.
    op.execute(budget.insert().values(id=1, tokens=0.0, updated_at=sa.func.now()))


def downgrade() -> None:
    op.drop_table('send_budget')
