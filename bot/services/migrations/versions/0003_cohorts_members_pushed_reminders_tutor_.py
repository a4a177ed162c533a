"""cohorts, members, pushed reminders, tutor digest

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tutor_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('qualification', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('invite_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('group_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('nudges', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tutor_id'], ['learner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_chat_id'),
    sa.UniqueConstraint('invite_code'),
    sa.UniqueConstraint('tutor_id', 'name')
    )
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_tutor_id'), ['tutor_id'], unique=False)

    op.create_table('cohortmember',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'learner_id')
    )
    with op.batch_alter_table('cohortmember', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohortmember_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohortmember_learner_id'), ['learner_id'], unique=False)

    op.create_table('push',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('target', sa.Enum('members', 'group', 'both', name='pushtarget'), nullable=True),
    sa.Column('cancelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('push', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_cohort_id'), ['cohort_id'], unique=False)

    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('nudged_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('digest_weekday', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('digest_time', sqlmodel.sql.sqltypes.AutoString(), nullable=True))

    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('push_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default='text'))
        batch_op.create_index(batch_op.f('ix_reminder_push_id'), ['push_id'], unique=False)
        batch_op.create_foreign_key('fk_reminder_push_id_push', 'push', ['push_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_constraint('fk_reminder_push_id_push', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reminder_push_id'))
        batch_op.drop_column('kind')
        batch_op.drop_column('push_id')

    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.drop_column('digest_time')
        batch_op.drop_column('digest_weekday')
        batch_op.drop_column('nudged_at')
        batch_op.drop_column('username')

    with op.batch_alter_table('push', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_cohort_id'))

    op.drop_table('push')
    with op.batch_alter_table('cohortmember', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohortmember_learner_id'))
        batch_op.drop_index(batch_op.f('ix_cohortmember_cohort_id'))

    op.drop_table('cohortmember')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_tutor_id'))

    op.drop_table('cohort')
