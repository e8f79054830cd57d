"""Backups of the database and uploaded files into one tar.gz, and restoring them.

The database is dumped natively where that is safe (SQLite's backup API; pg_dump when
its major version matches the server's) and as Django's JSON otherwise, or when asked
for a portable backup. A manifest records versions and a SHA-256 of every file, and a
restore checks them before it touches anything. See docs/backups.md.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q
from django.utils import timezone

from microsolidarity.crewing.meeting_formats import SHIPPED_FORMATS
from microsolidarity.errors import RuleBroken

BACKUP_FORMAT = "microsolidarity-backup/1"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
NATIVE, PORTABLE = "native", "portable"
# Rows Django makes by itself after migrating: a database holding only these is empty.
BOOKKEEPING = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


def _made_by_migrations() -> dict[str, Q]:
    """Rows our own data migrations create in every database: a freshly migrated site holds
    them and is still empty. Each app's shipped rows, by model label."""

    return {
        "crewing.meetingtemplate": Q(
            congregation__isnull=True, name__in=[shipped["name"] for shipped in SHIPPED_FORMATS]
        )
    }


@dataclass
class RestoreReport:
    database: str
    rows: int
    media_files: int
    created_at: str
    notes: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _own_version() -> str:
    try:
        return version("microsolidarity")
    except PackageNotFoundError:
        return "unknown"


def _tool(name: str) -> str:
    """The path of a PostgreSQL client tool; callers have checked that it is installed."""
    path = shutil.which(name)
    if path is None:
        raise RuleBroken(f"{name} is not installed: the PostgreSQL client tools are needed.")
    return path


def _pg_dump_usable() -> bool:
    """pg_dump refuses a newer server, and an older dump may not load: majors must match."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        return False
    output = subprocess.run(  # noqa: S603
        [_tool("pg_dump"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    try:
        client_major = int(output.split()[-1].split(".")[0])
    except ValueError:
        return False
    connection.ensure_connection()
    return client_major == getattr(connection, "pg_version", 0) // 10000


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, [*args, "--dbname", str(db["NAME"])]


def _dump_json(path: Path) -> None:
    with path.open("w", encoding="utf-8") as stream:
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=sorted(BOOKKEEPING),
            stdout=stream,
            verbosity=0,
        )


def _dump_database(directory: Path, mode: str) -> str:
    """Write the dump into `directory`; returns its file name, which says its kind."""
    vendor = connection.vendor
    if mode == NATIVE and vendor == "sqlite":
        target = directory / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target.name
    if mode == NATIVE and vendor == "postgresql" and _pg_dump_usable():
        target = directory / "database.pgdump"
        env, args = _pg_env_and_args()
        subprocess.run(  # noqa: S603
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-acl",
                "--file",
                str(target),
                *args,
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        return target.name
    target = directory / "database.json"
    _dump_json(target)
    return target.name


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def default_backup_name(now=None) -> str:
    return f"microsolidarity-backup-{(now or timezone.now()):%Y-%m-%dT%H%M%SZ}.tar.gz"


def backup_create(*, output: Path | None = None, mode: str = NATIVE) -> Path:
    """Write a backup archive and return its path."""
    output = Path(output or default_backup_name())
    if output.is_dir():
        output = output / default_backup_name()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        database_name = _dump_database(scratch_dir, mode)
        files = {database_name: _sha256(scratch_dir / database_name)}
        media = _media_files()
        for path in media:
            files[MEDIA_PREFIX + path.relative_to(media_root).as_posix()] = _sha256(path)
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": timezone.now().isoformat(),
            "microsolidarity": _own_version(),
            "django": django.get_version(),
            "database_vendor": connection.vendor,
            "database_file": database_name,
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "files": files,
        }
        partial = output.with_name(output.name + ".partial")
        # The archive holds every journal and address: readable by its owner alone, from
        # the first byte (created 0600, not chmod-ed after).
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(scratch_dir / database_name, arcname=database_name)
            for path in media:
                archive.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
        # Only a complete archive gets the real name.
        partial.replace(output)
    return output


def database_rows() -> int:
    """Rows a person or the site made (not Django's bookkeeping, not what migrations ship);
    0 for a database without tables yet."""
    tables = set(connection.introspection.table_names())
    shipped = _made_by_migrations()
    total = 0
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in BOOKKEEPING or not model._meta.managed or model._meta.db_table not in tables:
            continue
        rows = model._base_manager.all()
        if label in shipped:
            rows = rows.exclude(shipped[label])
        total += rows.count()
    return total


def _migrate_if_empty() -> bool:
    """An empty database (brand new, or part way) is migrated first: the JSON form loads
    into its tables, and the checks below read them. Returns whether it migrated."""

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()) or database_rows():
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError as exc:
        raise RuleBroken("This is not a microsolidarity backup: it has no manifest.") from exc
    handle = archive.extractfile(member)
    if handle is None:
        raise RuleBroken("This is not a microsolidarity backup: its manifest is not a file.")
    manifest = json.load(handle)
    if manifest.get("format") != BACKUP_FORMAT:
        raise RuleBroken(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _restore_database(path: Path, manifest: dict) -> None:
    name = manifest["database_file"]
    vendor = connection.vendor
    if name.endswith(".json"):
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(path), verbosity=0)
        return
    if name.endswith(".sqlite3"):
        if vendor != "sqlite":
            raise RuleBroken(
                "This backup holds a SQLite database; this site uses "
                f"{vendor}. Make a portable backup (--portable) to move between databases."
            )
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    if name.endswith(".pgdump"):
        if vendor != "postgresql":
            raise RuleBroken(
                "This backup holds a PostgreSQL dump; this site uses "
                f"{vendor}. Make a portable backup (--portable) to move between databases."
            )
        if shutil.which("pg_restore") is None:
            raise RuleBroken("pg_restore is needed to restore this backup; install it first.")
        env, args = _pg_env_and_args()
        connection.close()
        result = subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                *args,
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuleBroken(f"pg_restore failed: {result.stderr.strip()[:2000]}")
        return
    raise RuleBroken(f"Unknown database file {name!r} in the backup.")


def _safe_member(name: str) -> bool:
    path = Path(name)
    return not path.is_absolute() and ".." not in path.parts


def backup_restore(*, path: Path, force: bool = False) -> RestoreReport:
    """Check the archive, then replace the database and the uploaded files with its contents."""
    path = Path(path)
    if not path.is_file():
        raise RuleBroken(f"No backup at {path}.")
    notes = []
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path, "r:gz") as archive:
        scratch_dir = Path(scratch)
        manifest = _read_manifest(archive)
        expected = manifest["files"]
        for name in expected:
            if not _safe_member(name):
                raise RuleBroken(f"Refusing a backup with an unsafe path: {name!r}.")
        archive.extractall(
            scratch_dir, members=[archive.getmember(n) for n in expected], filter="data"
        )
        for name, digest in expected.items():
            if _sha256(scratch_dir / name) != digest:
                raise RuleBroken(f"The backup is damaged: {name} does not match its checksum.")
        if _migrate_if_empty():
            notes.append("The database was empty: its tables were made first (migrate).")
        existing = database_rows()
        if existing and not force:
            raise RuleBroken(
                f"The database is not empty ({existing} rows). Restoring replaces everything "
                "in it: run again with --force if that is what you want."
            )
        if existing:
            notes.append(f"Replaced a database that held {existing} rows.")
        applied = {
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        }
        if set(manifest["migrations"]) - applied:
            notes.append(
                "The backup was made by a newer version (it has migrations this code lacks)."
            )
        _restore_database(scratch_dir / manifest["database_file"], manifest)
        media_root = Path(settings.MEDIA_ROOT)
        media = [name for name in expected if name.startswith(MEDIA_PREFIX)]
        if media_root.exists() and (media or force):
            shutil.rmtree(media_root)
        for name in media:
            target = media_root / name.removeprefix(MEDIA_PREFIX)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(scratch_dir / name, target)
    if set(manifest["migrations"]) - applied or applied - set(manifest["migrations"]):
        notes.append("Run `microsolidarity migrate` to bring the database up to this code.")
    return RestoreReport(
        database=manifest["database_file"],
        rows=database_rows(),
        media_files=len(media),
        created_at=manifest["created_at"],
        notes=notes,
    )
