"""Database triggers that make the audit log append-only below the ORM (models.py).

* audit_auditevent: every UPDATE and DELETE is refused (and TRUNCATE on PostgreSQL).
* audit_auditidentity: DELETE is refused; an UPDATE is allowed only when it pseudonymises
  the identity (label changes while pseudonymised_at goes from empty to set) or clears
  the link to a deleted account; nothing else may change.
* audit_flush_in_progress: a one-column table, not a model, so `manage.py flush` leaves it
  alone. Only the audit app's `flush` command writes a row there for the length of a
  flush (tests and development empty the whole database that way); while it holds a row
  the triggers let the flush through.
"""

from django.db import migrations

MESSAGE = "audit log is append-only"

SQLITE_FORWARD = [
    "CREATE TABLE audit_flush_in_progress (started integer NOT NULL)",
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM audit_flush_in_progress)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM audit_flush_in_progress)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_identity_no_delete BEFORE DELETE ON audit_auditidentity
    WHEN NOT EXISTS (SELECT 1 FROM audit_flush_in_progress)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_identity_only_pseudonymised BEFORE UPDATE ON audit_auditidentity
    WHEN NOT (
        NEW.id = OLD.id
        AND (NEW.user_id IS OLD.user_id OR NEW.user_id IS NULL)
        AND (
            (NEW.label = OLD.label AND NEW.pseudonymised_at IS OLD.pseudonymised_at)
            OR (OLD.pseudonymised_at IS NULL AND NEW.pseudonymised_at IS NOT NULL)
        )
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_identity_only_pseudonymised",
    "DROP TRIGGER IF EXISTS audit_identity_no_delete",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TABLE IF EXISTS audit_flush_in_progress",
]

POSTGRES_FORWARD = [
    "CREATE TABLE audit_flush_in_progress (started integer NOT NULL)",
    f"""CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM audit_flush_in_progress) THEN
            IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE FUNCTION audit_identity_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.id = OLD.id
            AND (NEW.user_id IS NOT DISTINCT FROM OLD.user_id OR NEW.user_id IS NULL)
            AND (
                (NEW.label = OLD.label
                    AND NEW.pseudonymised_at IS NOT DISTINCT FROM OLD.pseudonymised_at)
                OR (OLD.pseudonymised_at IS NULL AND NEW.pseudonymised_at IS NOT NULL)
            )
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_identity_no_delete BEFORE DELETE ON audit_auditidentity
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_identity_no_truncate BEFORE TRUNCATE ON audit_auditidentity
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_identity_only_pseudonymised BEFORE UPDATE ON audit_auditidentity
    FOR EACH ROW EXECUTE FUNCTION audit_identity_guard()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_identity_only_pseudonymised ON audit_auditidentity",
    "DROP TRIGGER IF EXISTS audit_identity_no_truncate ON audit_auditidentity",
    "DROP TRIGGER IF EXISTS audit_identity_no_delete ON audit_auditidentity",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_identity_guard()",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
    "DROP TABLE IF EXISTS audit_flush_in_progress",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
