"""Backup and restore of the whole system: the database and the uploaded files, one archive.

These are operations an administrator runs from the command line (`manage.py backup`,
`manage.py restore`), not domain writes, so there is no timeline and nothing to notify;
they keep the services' shape (keyword-only, typed) so the commands stay thin.

An archive is a gzip-compressed tar file holding

* `database.sqlite3` (SQLite, a copy made with the online backup API) or `database.pgdump`
  (PostgreSQL, `pg_dump -Fc`),
* `media/…`, the tree of uploaded files, when they live on the local file system (with
  object storage they are in the bucket, which has its own versioning and backups),
* `manifest.json`, last: when and from what it was made, the applied migrations, and per
  table the number of rows and a checksum, taken from the very snapshot that was dumped,
  so that a restore can prove it brought back exactly that.

The checksum of a table is a hash over all its rows in primary-key order, computed the same
way before the backup and after the restore on the same database engine (SQLite: SHA-256
in Python over the raw values; PostgreSQL: MD5 in SQL over each row's text form). It says
nothing across engines, and an archive is only ever restored on the engine it came from.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

ARCHIVE_FORMAT = 1
MANIFEST_NAME = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
# How long pg_restore waits for a lock held by a process that is still running (the web
# server, the worker) before it gives up, rather than hanging without a word.
RESTORE_LOCK_TIMEOUT_MS = 60_000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for an operator."""


class ArchiveDamaged(BackupError):
    """The file is not a readable Sluss archive, or its contents differ from its manifest."""


class WrongVendor(BackupError):
    """The archive was made from another database engine than the one configured."""


@dataclass(frozen=True)
class TableState:
    """One table's row count and checksum."""

    rows: int
    checksum: str


@dataclass
class DatabaseState:
    """What a database holds, as compared between a backup and a restore."""

    tables: dict[str, TableState]
    migrations: list[tuple[str, str]]


@dataclass
class BackupResult:
    """What `backup_create` wrote."""

    path: Path
    manifest: dict[str, Any]


@dataclass
class RestoreReport:
    """The outcome of a restore, table by table, file by file."""

    tables: list[tuple[str, str]] = field(default_factory=list)  # (table, "ok" or problem)
    media: str = ""
    media_problems: list[str] = field(default_factory=list)
    unapplied_migrations: list[tuple[str, str]] = field(default_factory=list)
    unknown_migrations: list[tuple[str, str]] = field(default_factory=list)

    @property
    def mismatches(self) -> list[tuple[str, str]]:
        return [(table, result) for table, result in self.tables if result != "ok"]

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.media_problems and not self.unknown_migrations


# --- Reading a database's state ------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_state(path: str | Path) -> DatabaseState:
    """Counts and checksums of an SQLite file, read through a plain connection of its own.

    Not Django's connection: that one converts declared types (bool, datetime) on the way
    out, and the checksum must see the stored values themselves. Text is read as bytes so
    that any stored byte sequence hashes, valid UTF-8 or not.
    """
    database = sqlite3.connect(path)
    database.text_factory = bytes
    try:
        tables: dict[str, TableState] = {}
        names = database.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        for raw_name, raw_sql in names:
            name = raw_name.decode()
            # A virtual table's rows live in its shadow tables, which are hashed themselves
            # (the FTS5 index of apps/search reads its content from the ideas' search text).
            if (raw_sql or b"").upper().startswith(b"CREATE VIRTUAL TABLE"):
                continue
            columns = database.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
            keys = sorted((column for column in columns if column[5]), key=lambda c: c[5])
            order = (
                ", ".join(_quote(column[1].decode()) for column in keys)
                if keys
                else ", ".join(str(position) for position in range(1, len(columns) + 1))
            )
            digest = hashlib.sha256()
            rows = 0
            # Identifiers come from the database's own catalogue and are quoted.
            cursor = database.execute(f"SELECT * FROM {_quote(name)} ORDER BY {order}")  # noqa: S608
            while batch := cursor.fetchmany(1000):
                for row in batch:
                    digest.update(repr(row).encode() + b"\n")
                rows += len(batch)
            tables[name] = TableState(rows=rows, checksum=f"sha256:{digest.hexdigest()}")
        migrations: list[tuple[str, str]] = []
        if "django_migrations" in tables:
            migrations = [
                (app.decode(), name.decode())
                for app, name in database.execute(
                    "SELECT app, name FROM django_migrations ORDER BY app, name"
                )
            ]
        return DatabaseState(tables=tables, migrations=migrations)
    finally:
        database.close()


# The text form of a row depends on these session settings; fixing them makes the
# checksum independent of the server's and the role's defaults.
POSTGRES_SESSION = [
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 1",
    "SET bytea_output = 'hex'",
]


def _postgres_state(database: Any) -> DatabaseState:
    """Counts and checksums of the tables in the current schema, in SQL, on a psycopg
    connection (inside the caller's snapshot when there is one).

    Each row's text form is hashed, the hashes joined in primary-key order and hashed
    again: the server streams the rows, and only 32 bytes a row are held at once.
    """
    from psycopg import sql

    with database.cursor() as cursor:
        for statement in POSTGRES_SESSION:
            cursor.execute(statement)
        cursor.execute(
            "SELECT c.oid, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() "
            "ORDER BY c.relname"
        )
        found = cursor.fetchall()
        tables: dict[str, TableState] = {}
        for oid, name in found:
            cursor.execute(
                "SELECT a.attname FROM pg_index i "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s AND i.indisprimary "
                "ORDER BY array_position(i.indkey::int2[], a.attnum)",
                [oid],
            )
            keys = [row[0] for row in cursor.fetchall()]
            if keys:
                order = sql.SQL(", ").join(sql.Identifier("t", key) for key in keys)
            else:
                order = sql.SQL("t::text")
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY {order}),"
                    " '')) FROM {table} AS t"
                ).format(order=order, table=sql.Identifier(name))
            )
            rows, checksum = cursor.fetchone()
            tables[name] = TableState(rows=rows, checksum=f"md5:{checksum}")
        migrations: list[tuple[str, str]] = []
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [(app, name) for app, name in cursor.fetchall()]
        return DatabaseState(tables=tables, migrations=migrations)


@contextlib.contextmanager
def _postgres_connection(*, using: str) -> Iterator[Any]:
    """A psycopg connection of its own with the configured settings (pool options and
    Django's own keys are taken out by `get_connection_params`)."""
    import psycopg

    database = psycopg.connect(**connections[using].get_connection_params())
    try:
        yield database
    finally:
        database.close()


def database_state(*, using: str = DEFAULT_DB_ALIAS) -> DatabaseState:
    """Row counts and checksums of every table of the configured database, as it is now."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        return _sqlite_state(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql":
        with _postgres_connection(using=using) as database:
            try:
                return _postgres_state(database)
            finally:
                database.rollback()
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


# --- Tools ----------------------------------------------------------------------------------


def _postgres_env(*, using: str) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: every connection setting, the password
    too, goes through libpq's variables and never onto a command line (where `ps` shows it)."""
    from django.db.backends.postgresql.client import DatabaseClient

    settings_dict = connections[using].settings_dict
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], *, env: dict[str, str]) -> None:
    try:
        completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} was not found; install the PostgreSQL client tools "
            "(the same major version as the server or newer)."
        ) from None
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Passes a file through to tarfile and hashes it on the way, so each uploaded file is
    read once and its hash is of exactly the bytes archived."""

    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def media_location() -> Path | None:
    """The directory of uploaded files, or None when they live elsewhere (object storage)."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def backup_directory() -> Path:
    """Where archives go unless an output is given (SLUSS_BACKUP_DIR)."""
    return Path(settings.SLUSS_BACKUP_DIR)


def _sluss_version() -> str:
    try:
        return metadata.version("sluss")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- Backup --------------------------------------------------------------------------------


def _snapshot_sqlite(*, using: str, target: Path) -> DatabaseState:
    """Copy the live database with SQLite's online backup API, which takes a consistent
    snapshot while the web server and the worker go on (WAL included), then read the
    manifest's counts from the copy itself."""
    name = connections[using].settings_dict["NAME"]
    # sqlite3 would quietly create an empty database at a wrong path and back that up.
    if not Path(name).is_file():
        raise BackupError(f"The configured SQLite database {name} does not exist.")
    source = sqlite3.connect(name, timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # One self-contained file: no -wal/-shm beside it in the archive.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    return _sqlite_state(target)


def _snapshot_postgres(*, using: str, target: Path) -> DatabaseState:
    """pg_dump inside a snapshot that this connection exported, and the counts read in the
    same snapshot, so the manifest describes exactly the dump even while the system runs."""
    import psycopg

    with _postgres_connection(using=using) as database:
        database.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        database.read_only = True
        snapshot = database.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            env=_postgres_env(using=using),
        )
        state = _postgres_state(database)
        database.rollback()
    return state


def _add_media(archive: tarfile.TarFile, root: Path) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    if not root.is_dir():
        return files
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            try:
                handle = path.open("rb")
            except FileNotFoundError:
                continue  # deleted since the walk saw it; the database snapshot decides
            with handle:
                info = tarfile.TarInfo(MEDIA_PREFIX + relative)
                stat = os.fstat(handle.fileno())
                info.size = stat.st_size
                info.mtime = int(stat.st_mtime)
                info.mode = 0o600
                reader = _HashingReader(handle)
                archive.addfile(info, reader)
            files[relative] = {"size": info.size, "sha256": reader.digest.hexdigest()}
    return files


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode = 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup_create(
    *,
    output: Path | None = None,
    using: str = DEFAULT_DB_ALIAS,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> BackupResult:
    """Write one archive with the database, the uploaded files and the manifest.

    `output` is a file name or a directory (default: SLUSS_BACKUP_DIR). The archive holds
    personal data: it is created readable by its owner only (0600), in a directory only
    the owner can enter when it has to be made, and appears under its name only when
    complete, so a failed run leaves no half archive that looks whole.
    """
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    now = now or timezone.now()
    name = f"sluss-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"
    if output is None:
        target = backup_directory() / name
    elif output.is_dir():
        target = output / name
    else:
        target = output
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} exists already; choose another name.")

    with tempfile.TemporaryDirectory(prefix=".sluss-backup-", dir=target.parent) as work:
        dump = Path(work) / DATABASE_MEMBERS[vendor]
        progress(f"Copying the {vendor} database")
        if vendor == "sqlite":
            state = _snapshot_sqlite(using=using, target=dump)
        else:
            state = _snapshot_postgres(using=using, target=dump)

        partial = Path(work) / "archive.partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        media_root = media_location()
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(dump, arcname=dump.name, recursive=False, filter=_private)
            if media_root is not None:
                progress(f"Adding the uploaded files from {media_root}")
                media_files = _add_media(archive, media_root)
                media = {"included": True, "files": media_files}
            else:
                media = {
                    "included": False,
                    "note": (
                        f"Uploaded files are on {type(storages['default']).__name__} "
                        "(object storage), not in this archive; back the bucket up by its "
                        "own means."
                    ),
                }
            manifest = {
                "format": ARCHIVE_FORMAT,
                "created_at": now.isoformat(),
                "vendor": vendor,
                "django_version": django.get_version(),
                "sluss_version": _sluss_version(),
                "database": {"member": dump.name, "sha256": _sha256_file(dump)},
                "migrations": [list(pair) for pair in state.migrations],
                "tables": {
                    table: {"rows": value.rows, "checksum": value.checksum}
                    for table, value in sorted(state.tables.items())
                },
                "media": media,
            }
            _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest, indent=2).encode())
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    return BackupResult(path=target, manifest=manifest)


# --- Restore -------------------------------------------------------------------------------


@dataclass
class OpenedArchive:
    """An archive unpacked into a private working directory and checked against itself."""

    manifest: dict[str, Any]
    directory: Path

    @property
    def database_file(self) -> Path:
        return self.directory / self.manifest["database"]["member"]

    @property
    def media_directory(self) -> Path:
        return self.directory / MEDIA_PREFIX.rstrip("/")


def _allowed_member(member: tarfile.TarInfo) -> bool:
    if member.name == MANIFEST_NAME or member.name in DATABASE_MEMBERS.values():
        return member.isfile()
    return member.name.startswith(MEDIA_PREFIX) and (member.isfile() or member.isdir())


def archive_open(*, archive: Path, into: Path, using: str = DEFAULT_DB_ALIAS) -> OpenedArchive:
    """Unpack `archive` into the directory `into` and check it before anything is touched:
    it must be a Sluss archive of this database engine, and every file in it must be the
    one its manifest describes."""
    if not archive.is_file():
        raise BackupError(f"No such file: {archive}")
    damaged = f"{archive} is not a readable Sluss backup archive"
    try:
        with tarfile.open(archive, mode="r:*") as opened:
            members = opened.getmembers()
            unexpected = [member.name for member in members if not _allowed_member(member)]
            if unexpected:
                raise ArchiveDamaged(f"{damaged}: unexpected member {unexpected[0]!r}.")
            # The "data" filter refuses absolute paths, "..", links and device files.
            opened.extractall(into, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise ArchiveDamaged(f"{damaged} ({error}).") from None
    try:
        manifest = json.loads((into / MANIFEST_NAME).read_text())
        vendor = manifest["vendor"]
        database = manifest["database"]
        tables = manifest["tables"]
        media = manifest["media"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ArchiveDamaged(
            f"{damaged}: its manifest is missing or unreadable ({error})."
        ) from None
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise ArchiveDamaged(
            f"{archive} is in archive format {manifest.get('format')}; this version of Sluss "
            f"reads format {ARCHIVE_FORMAT}."
        )
    current = connections[using].vendor
    if vendor != current:
        raise WrongVendor(
            f"{archive} is a backup of a {vendor} database, and this installation uses "
            f"{current}. Restore it on a {vendor} installation, or move the data with "
            "`dumpdata`/`loaddata` instead."
        )
    opened_archive = OpenedArchive(manifest=manifest, directory=into)
    if not isinstance(tables, dict) or database.get("member") != DATABASE_MEMBERS[vendor]:
        raise ArchiveDamaged(f"{damaged}: its manifest does not describe a {vendor} database.")
    if not opened_archive.database_file.is_file():
        raise ArchiveDamaged(f"{damaged}: the database file is missing.")
    if _sha256_file(opened_archive.database_file) != database.get("sha256"):
        raise ArchiveDamaged(f"{archive} is damaged: the database file differs from its manifest.")
    if media.get("included"):
        problems = _media_problems(opened_archive.media_directory, media.get("files", {}))
        if problems:
            raise ArchiveDamaged(f"{archive} is damaged: {problems[0]}.")
    return opened_archive


def _media_problems(root: Path, expected: dict[str, dict[str, Any]]) -> list[str]:
    """Differences between the files under `root` and the manifest's list of them."""
    problems = []
    found = set()
    if root.is_dir():
        found = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    for relative, described in sorted(expected.items()):
        if relative not in found:
            problems.append(f"uploaded file {relative} is missing")
        elif _sha256_file(root / relative) != described["sha256"]:
            problems.append(f"uploaded file {relative} differs from the manifest")
    problems += [
        f"uploaded file {name} is not in the manifest" for name in sorted(found - set(expected))
    ]
    return problems


def _restore_sqlite(*, using: str, source: Path) -> None:
    connection = connections[using]
    check = sqlite3.connect(source)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ArchiveDamaged("The database file in the archive fails SQLite's integrity check.")
        # Our own connection would hold the file open across the copy.
        connection.close()
        destination = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        try:
            # Page by page into the configured file, under SQLite's own locks: a process
            # that still has it open sees either the old or the new database, never a mix.
            check.backup(destination)
        finally:
            destination.close()
    finally:
        check.close()


def _restore_postgres(*, using: str, source: Path) -> None:
    """pg_restore in one transaction: either the whole archive is in, or nothing changed.

    `--clean --if-exists` drops each object of the archive before creating it again. DROP
    TABLE is not DELETE: the audit log's append-only triggers (apps/audit, migration 0002)
    guard rows, not tables, and go and come back with their tables, so the audit trail
    is restored exactly as it was backed up.
    """
    connections[using].close()
    env = _postgres_env(using=using)
    env["PGOPTIONS"] = (
        f"{env.get('PGOPTIONS', '')} -c lock_timeout={RESTORE_LOCK_TIMEOUT_MS}".strip()
    )
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={env['PGDATABASE']}",
            str(source),
        ],
        env=env,
    )


def _restore_media(*, opened: OpenedArchive) -> str:
    media = opened.manifest["media"]
    if not media.get("included"):
        return "not in the archive: " + media.get("note", "the uploaded files were elsewhere")
    root = media_location()
    if root is None:
        return (
            "not restored: uploaded files are now configured on object storage; the archive's "
            f"files are in {opened.media_directory} until this command ends"
        )
    staged = opened.media_directory
    staged.mkdir(exist_ok=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    # Swap whole trees by renaming (the working directory sits beside MEDIA_ROOT, on the
    # same file system), so files the backup did not have do not linger among the
    # restored ones, and a failure midway leaves the old tree in place.
    previous = opened.directory / "media-before-restore"
    if root.exists():
        os.replace(root, previous)
    try:
        os.replace(staged, root)
    except OSError:
        if previous.exists():
            os.replace(previous, root)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    return f"{len(media.get('files', {}))} files restored into {root}"


def restore_workdir_parent() -> Path:
    """Where to unpack an archive: beside MEDIA_ROOT, so the uploaded files can be swapped
    in by a rename; the system's temporary directory when the files are not local."""
    root = media_location()
    if root is None:
        return Path(tempfile.gettempdir())
    root.parent.mkdir(parents=True, exist_ok=True)
    return root.parent


def migration_status(*, using: str = DEFAULT_DB_ALIAS) -> tuple[list[tuple[str, str]], list]:
    """(migrations of the code not applied to the database, migrations recorded in the
    database that the code does not have)."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unapplied = [(migration.app_label, migration.name) for migration, _backwards in plan]
    unknown = sorted(set(executor.loader.applied_migrations) - set(executor.loader.graph.nodes))
    return unapplied, unknown


def restore_apply(*, opened: OpenedArchive, using: str = DEFAULT_DB_ALIAS) -> RestoreReport:
    """Replace the database and the uploaded files with the archive's, then verify.

    The verification reads the restored database again and compares every table's row
    count and checksum with the manifest, the uploaded files with their hashes, and
    reports migrations the code has that the restored data lacks (run `migrate`) or the
    other way round (the code is older than the data).
    """
    vendor = connections[using].vendor
    if vendor == "sqlite":
        _restore_sqlite(using=using, source=opened.database_file)
    else:
        _restore_postgres(using=using, source=opened.database_file)
    report = RestoreReport()
    report.media = _restore_media(opened=opened)

    expected = opened.manifest["tables"]
    state = database_state(using=using)
    for table in sorted(set(expected) | set(state.tables)):
        if table not in state.tables:
            report.tables.append((table, "missing after the restore"))
        elif table not in expected:
            report.tables.append(
                (table, "in the database but not in the archive (left from a newer version?)")
            )
        else:
            got, want = state.tables[table], expected[table]
            if got.rows != want["rows"]:
                report.tables.append((table, f"{got.rows} rows, the archive had {want['rows']}"))
            elif got.checksum != want["checksum"]:
                report.tables.append((table, "same row count, different contents"))
            else:
                report.tables.append((table, "ok"))

    media = opened.manifest["media"]
    root = media_location()
    if media.get("included") and root is not None:
        report.media_problems = _media_problems(root, media.get("files", {}))
    report.unapplied_migrations, report.unknown_migrations = migration_status(using=using)
    return report
