"""PDP reviews, reminders, coaching sessions, unit targets

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('coachingsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('coachee', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('coachingsession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coachingsession_learner_id'), ['learner_id'], unique=False)

    op.create_table('pdpreview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('every_weeks', sa.Integer(), nullable=True),
    sa.Column('done_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pdpreview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdpreview_learner_id'), ['learner_id'], unique=False)

    op.create_table('unittarget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('learner_id', 'unit_code')
    )
    with op.batch_alter_table('unittarget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unittarget_learner_id'), ['learner_id'], unique=False)

    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=True),
    sa.Column('pdp_review_id', sa.Integer(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('same_day', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'blocked', 'failed', 'cancelled', name='reminderstatus'), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pdp_review_id'], ['pdpreview.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_learner_id'), ['learner_id'], unique=False)

    with op.batch_alter_table('acstatus', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True))

    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_start', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('quiet_end', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('blocked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.drop_column('blocked_at')
        batch_op.drop_column('quiet_end')
        batch_op.drop_column('quiet_start')

    with op.batch_alter_table('acstatus', schema=None) as batch_op:
        batch_op.drop_column('evidence_url')

    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_learner_id'))
        batch_op.drop_index('ix_reminder_due')

    op.drop_table('reminder')
    with op.batch_alter_table('unittarget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unittarget_learner_id'))

    op.drop_table('unittarget')
    with op.batch_alter_table('pdpreview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pdpreview_learner_id'))

    op.drop_table('pdpreview')
    with op.batch_alter_table('coachingsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coachingsession_learner_id'))

    op.drop_table('coachingsession')
