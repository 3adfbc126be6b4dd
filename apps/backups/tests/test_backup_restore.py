"""The restore drill (issue 8, item 3) and the refusals of `manage.py restore`.

Runs on whichever database the suite runs on (SQLite and PostgreSQL in CI), always on the
test database of this process (`connection.settings_dict`), never the development one.
Transactional: the backup reads the database from outside the test's connection (SQLite's
backup API, pg_dump), so the data must be committed.
"""

import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from apps.audit.services import audit_record
from apps.backups import services
from apps.backups.management.commands.restore import ConfirmationRefused
from apps.core import testing
from apps.ideas import services as idea_services
from apps.ideas.models import Attachment, Idea

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture
def rebuild_if_wiped():
    """A failed drill must not leave this worker's test database without tables for the
    tests after it: migrate again if they are gone."""
    yield
    connection.close()
    if "django_migrations" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)


def _make_data(world) -> Attachment:
    idea = testing.submit_idea(world.skovde, title="Digital fallrapportering")
    idea_services.idea_add_attachments(
        idea=idea,
        actor=world.coach,
        files=[SimpleUploadedFile("plan.pdf", PLAN, content_type="application/pdf")],
    )
    idea_services.idea_add_note(idea=idea, actor=world.coach, body="Ring enhetschefen.")
    idea_services.idea_set_tags(idea=idea, actor=world.coach, names=["Vård", "Digitalt"])
    testing.submit_idea(world.hjo, title="Gemensam bilpool")
    # Audit rows are append-only by trigger; the restore must bring them back all the same.
    audit_record(kind="login", actor=world.coach, object_repr="drill")
    return Attachment.objects.get(idea=idea)


def _backup(path: Path) -> Path:
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def _restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def _wipe() -> None:
    """Drop every table, for real: nothing of the old database is left to restore into."""
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
            # The full-text index first: dropping it takes its shadow tables along.
            for table in sorted(tables, key=lambda name: name != "search_fts"):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
        else:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    assert connection.introspection.table_names() == []
    connection.close()


def _repack(source: Path, target: Path, *, manifest=None, member=None) -> Path:
    """Copy an archive, changing its manifest or the bytes of its database file."""
    with tarfile.open(source) as reading, tarfile.open(target, "w:gz") as writing:
        for info in reading.getmembers():
            data = reading.extractfile(info).read() if info.isfile() else b""
            if info.name == services.MANIFEST_NAME and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif info.name in services.DATABASE_MEMBERS.values() and member:
                data = member(data)
            info.size = len(data)
            writing.addfile(info, io.BytesIO(data))
    return target


def test_restore_drill(world, tmp_path, settings, rebuild_if_wiped):
    attachment = _make_data(world)
    media_file = Path(attachment.file.path)
    assert media_file.read_bytes() == PLAN
    before = services.database_state()
    assert before.tables["ideas_idea"].rows == 2
    assert before.tables["audit_auditevent"].rows >= 1

    archive = _backup(tmp_path / "drill.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile(services.MANIFEST_NAME).read())
    assert manifest["vendor"] == connection.vendor
    assert {name: value["rows"] for name, value in manifest["tables"].items()} == {
        name: value.rows for name, value in before.tables.items()
    }
    assert ["ideas", "0001_initial"] in manifest["migrations"]

    _wipe()
    media_root = Path(settings.MEDIA_ROOT)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert not media_file.exists()

    _restore(archive, "--yes")

    after = services.database_state()
    assert after.tables == before.tables
    assert media_file.read_bytes() == PLAN
    assert Idea.objects.count() == 2
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    # The audit log came back append-only.
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


def test_restore_replaces_what_changed_since_the_backup(world, tmp_path, settings):
    attachment = _make_data(world)
    before = services.database_state()
    archive = _backup(tmp_path / "before.tar.gz")

    later = testing.submit_idea(world.skovde, title="Efter säkerhetskopian")
    Idea.objects.filter(pk=attachment.idea_id).update(title="Ändrad titel")
    stray = Path(settings.MEDIA_ROOT) / "stray.txt"
    stray.write_bytes(b"not in the backup")
    assert services.database_state().tables["ideas_idea"] != before.tables["ideas_idea"]

    _restore(archive, "--yes")

    assert services.database_state().tables == before.tables
    assert not Idea.objects.filter(pk=later.pk).exists()
    assert not stray.exists()
    assert Path(attachment.file.path).read_bytes() == PLAN


def test_checksum_sees_a_changed_value_with_the_same_row_count(world):
    idea = testing.submit_idea(world.skovde)
    before = services.database_state().tables["ideas_idea"]
    Idea.objects.filter(pk=idea.pk).update(title=idea.title + ".")
    after = services.database_state().tables["ideas_idea"]
    assert after.rows == before.rows
    assert after.checksum != before.checksum


def test_restore_reports_a_table_that_differs_from_the_manifest(world, tmp_path):
    _make_data(world)
    archive = _backup(tmp_path / "real.tar.gz")

    def claim_another_checksum(manifest):
        manifest["tables"]["ideas_idea"]["checksum"] = "sha256:0"
        return manifest

    lying = _repack(archive, tmp_path / "lying.tar.gz", manifest=claim_another_checksum)
    with pytest.raises(CommandError):
        _restore(lying, "--yes")

    opened = services.archive_open(archive=lying, into=tmp_path / "opened")
    report = services.restore_apply(opened=opened)
    assert not report.ok
    assert [table for table, _problem in report.mismatches] == ["ideas_idea"]
    assert len(report.tables) == len(opened.manifest["tables"])


def test_restore_refuses_without_yes_when_not_on_a_terminal(world, tmp_path):
    archive = _backup(tmp_path / "backup.tar.gz")
    later = testing.submit_idea(world.skovde)
    with pytest.raises(ConfirmationRefused):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Idea.objects.filter(pk=later.pk).exists()


def test_restore_refuses_an_archive_of_the_other_database_engine(world, tmp_path):
    archive = _backup(tmp_path / "backup.tar.gz")
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def from_other_engine(manifest):
        manifest["vendor"] = other
        return manifest

    foreign = _repack(archive, tmp_path / "other.tar.gz", manifest=from_other_engine)
    later = testing.submit_idea(world.skovde)
    with pytest.raises(CommandError) as refused:
        _restore(foreign, "--yes")
    assert isinstance(refused.value.__cause__, services.WrongVendor)
    assert other in str(refused.value)
    assert Idea.objects.filter(pk=later.pk).exists()


@pytest.mark.parametrize("damage", ["truncated", "not an archive", "database changed"])
def test_restore_refuses_a_damaged_archive(world, tmp_path, damage):
    archive = _backup(tmp_path / "backup.tar.gz")
    damaged = tmp_path / "damaged.tar.gz"
    if damage == "truncated":
        damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "not an archive":
        damaged.write_bytes(b"This is a shopping list, not a backup.\n" * 20)
    else:

        def flip_a_byte(data: bytes) -> bytes:
            middle = len(data) // 2
            return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

        _repack(archive, damaged, member=flip_a_byte)
    later = testing.submit_idea(world.skovde)
    with pytest.raises(CommandError) as refused:
        _restore(damaged, "--yes")
    assert isinstance(refused.value.__cause__, services.ArchiveDamaged)
    assert str(damaged) in str(refused.value)
    assert Idea.objects.filter(pk=later.pk).exists()


def test_uploaded_files_on_object_storage_are_said_to_be_left_out(world, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    archives = list(tmp_path.glob("sluss-backup-*.tar.gz"))
    assert len(archives) == 1
    with tarfile.open(archives[0]) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile(services.MANIFEST_NAME).read())
    assert not any(name.startswith(services.MEDIA_PREFIX) for name in names)
    assert manifest["media"]["included"] is False
    assert "InMemoryStorage" in manifest["media"]["note"]
    assert "InMemoryStorage" in out.getvalue()
