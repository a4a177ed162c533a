"""learners, enrolled units, AC status

Revision ID: 0001
Revises: 
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('learner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sa.Enum('learner', 'tutor', 'admin', name='role'), nullable=False),
    sa.Column('qualification', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('last_unit', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_active_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('telegram_id')
    )
    op.create_table('acstatus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('state', sa.Enum('not_started', 'drafting', 'done', 'signed_off', name='acstate'), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('learner_id', 'unit_code', 'ref')
    )
    with op.batch_alter_table('acstatus', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acstatus_learner_id'), ['learner_id'], unique=False)

    op.create_table('enrolledunit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('learner_id', 'unit_code')
    )
    with op.batch_alter_table('enrolledunit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolledunit_learner_id'), ['learner_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('enrolledunit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolledunit_learner_id'))

    op.drop_table('enrolledunit')
    with op.batch_alter_table('acstatus', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acstatus_learner_id'))

    op.drop_table('acstatus')
    op.drop_table('learner')
