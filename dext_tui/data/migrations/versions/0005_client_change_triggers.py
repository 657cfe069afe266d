"""client_change: the database itself records which clients changed, whoever wrote

Triggers on the client table and the tables that hang off a client append
(practice_id, seq, client_id) to `client_change` and bump the practice's
`change_seq`, so a change made by plain SQL (an admin's script, the products'
own updates) reaches the live list like a change made through the services.

SQLite has only row triggers: each changed row bumps the number (its writers
are serialised, so numbers follow commit order). PostgreSQL uses statement
triggers over transition tables: one bump per practice per transaction (a
transaction-local setting remembers it), whose row lock orders writers by
commit, and a NOTIFY on `dext_client_change` that wakes listening lists.

A service's transaction numbers its change itself (`services/writing.py`) and
says so in `practice.change_numbered` until just before it commits: the
triggers then record the clients under that number instead of adding one.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHANNEL = "dext_client_change"
# Tables whose rows belong to one client (by client_id), beside the client itself.
CLIENT_PARTS = (
    "prepare_account",
    "precision_account",
    "solo_account",
    "solo_business",
    "practice_access",
)
EVENTS = ("insert", "update", "delete")
BUMP = "UPDATE practice SET change_seq = change_seq + 1"


def upgrade() -> None:
    # ADD and DROP COLUMN in place, not as a batch: SQLite's batch copies the table, and
    # a practice with clients cannot be dropped under enforced foreign keys.
    op.add_column(
        "practice",
        sa.Column("change_numbered", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "client_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_client_change_practice_seq", "client_change", ["practice_id", "seq"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_triggers()
    else:
        _create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("client", *CLIENT_PARTS):
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_client_change ON {table}")
        op.execute("DROP FUNCTION IF EXISTS dext_record_client_changes()")
        op.execute("DROP FUNCTION IF EXISTS dext_change_seq(integer)")
    else:
        for table in ("client", *CLIENT_PARTS):
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_client_change")
    op.drop_index("ix_client_change_practice_seq", table_name="client_change")
    op.drop_table("client_change")
    op.execute("ALTER TABLE practice DROP COLUMN change_numbered")


def _create_sqlite_triggers() -> None:
    for table in ("client", *CLIENT_PARTS):
        for event in EVENTS:
            row = "OLD" if event == "delete" else "NEW"
            if table == "client":
                bump = f"{BUMP} WHERE id = {row}.practice_id AND NOT change_numbered"
                record = (
                    f"SELECT id, change_seq, {row}.id FROM practice WHERE id = {row}.practice_id"
                )
            else:  # a client's delete cascading here finds no client: its own trigger says it
                practice = f"(SELECT practice_id FROM client WHERE id = {row}.client_id)"
                bump = f"{BUMP} WHERE id = {practice} AND NOT change_numbered"
                record = (
                    f"SELECT id, change_seq, {row}.client_id FROM practice WHERE id = {practice}"
                )
            op.execute(
                f"""
                CREATE TRIGGER {table}_{event}_client_change AFTER {event.upper()} ON {table}
                BEGIN
                    {bump};
                    INSERT INTO client_change (practice_id, seq, client_id) {record};
                END
                """
            )


def _create_postgresql_triggers() -> None:
    op.execute(
        f"""
        CREATE FUNCTION dext_change_seq(changed_practice integer) RETURNS integer
        LANGUAGE plpgsql AS $$
        DECLARE
            setting text := 'dext.change_seq_' || changed_practice;
            taken integer := nullif(current_setting(setting, true), '')::integer;
            numbered boolean;
        BEGIN
            IF taken IS NULL THEN
                -- A service's transaction has numbered its change already (and holds
                -- the row's lock): its number it is.
                SELECT change_seq, change_numbered INTO taken, numbered
                FROM practice WHERE id = changed_practice;
                IF NOT numbered THEN
                    taken := NULL;
                END IF;
            END IF;
            IF taken IS NULL THEN
                -- The row lock is held to commit: the next writer waits, so numbers
                -- follow commit order.
                UPDATE practice SET change_seq = change_seq + 1 WHERE id = changed_practice
                RETURNING change_seq INTO taken;
                PERFORM set_config(setting, taken::text, true);
                PERFORM pg_notify('{CHANNEL}', changed_practice::text);
            END IF;
            RETURN taken;
        END $$
        """
    )
    record = """
        INSERT INTO client_change (practice_id, seq, client_id)
        SELECT changed.practice_id, practices.seq, changed.client_id
        FROM changed JOIN practices USING (practice_id)
    """
    practices = """
        practices AS MATERIALIZED (
            SELECT practice_id, dext_change_seq(practice_id) AS seq
            FROM (SELECT DISTINCT practice_id FROM changed) AS changed_practices
        )
    """
    op.execute(
        f"""
        CREATE FUNCTION dext_record_client_changes() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'client' THEN
                WITH changed AS (SELECT DISTINCT practice_id, id AS client_id FROM changed_rows),
                {practices}
                {record};
            ELSE
                -- A client's delete cascading here finds no client: its own trigger says it.
                WITH changed AS (
                    SELECT DISTINCT client.practice_id, client.id AS client_id
                    FROM changed_rows JOIN client ON client.id = changed_rows.client_id
                ),
                {practices}
                {record};
            END IF;
            RETURN NULL;
        END $$
        """
    )
    for table in ("client", *CLIENT_PARTS):
        for event in EVENTS:
            transition = "OLD" if event == "delete" else "NEW"
            op.execute(
                f"CREATE TRIGGER {table}_{event}_client_change AFTER {event.upper()} ON {table} "
                f"REFERENCING {transition} TABLE AS changed_rows "
                "FOR EACH STATEMENT EXECUTE FUNCTION dext_record_client_changes()"
            )
