"""A backup restores into a brand-new database (no tables at all) on SQLite and PostgreSQL.

`restore` is run as an operator runs it, in its own process pointed at a database that was
just created, so nothing of the test's own database helps: it must make the tables itself,
and not mistake the rows its migrations ship for content.
"""

import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from microsolidarity.rights.backups import backup_create

pytestmark = pytest.mark.django_db(transaction=True)

JOURNAL_TEXT = "restored into nothing, lambda-4417"
# What dumpdata compares: content, not Django's bookkeeping.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def _content(stream: str) -> list:
    return sorted(json.loads(stream), key=lambda row: (row["model"], str(row.get("pk"))))


def _here() -> list:
    out = io.StringIO()
    call_command("dumpdata", natural_foreign=True, exclude=EXCLUDE, stdout=out)
    return _content(out.getvalue())


def _run(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "MICROSOLIDARITY_TESTING": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "microsolidarity", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def brand_new_database(tmp_path):
    """The URL of a database that exists and holds nothing, on this run's vendor."""
    if connection.vendor == "sqlite":
        path = tmp_path / "brand-new.sqlite3"
        path.touch()
        yield f"sqlite:///{path}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"ms_fresh_{uuid.uuid4().hex[:10]}"
    conninfo = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    user = conninfo["user"] + (f":{conninfo['password']}" if conninfo["password"] else "")
    yield f"postgres://{user}@{conninfo['host']}:{conninfo['port']}/{name}"
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_a_backup_restores_into_a_brand_new_database(
    member, brand_new_database, tmp_path, portable
):
    from microsolidarity.journal.services import entry_create

    entry_create(author=member, text=JOURNAL_TEXT)
    archive = backup_create(
        output=tmp_path / "site.tar.gz", mode="portable" if portable else "native"
    )
    before = _here()
    media = tmp_path / "media"

    restored = _run("restore", str(archive), database_url=brand_new_database, media_root=media)

    assert restored.returncode == 0, restored.stderr
    assert "Traceback" not in restored.stderr
    assert "Restored the backup" in restored.stdout
    dumped = _run(
        "dumpdata",
        "--natural-foreign",
        *(f"--exclude={label}" for label in EXCLUDE),
        database_url=brand_new_database,
        media_root=media,
    )
    assert dumped.returncode == 0, dumped.stderr
    # The same rows, the journal's sealed text among them, byte for byte.
    assert _content(dumped.stdout) == before
