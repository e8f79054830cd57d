"""Backups: a round trip restores the same content, database and uploads, on either database."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from microsolidarity.rights.backups import database_rows

pytestmark = pytest.mark.django_db(transaction=True)

JOURNAL_TEXT = "backed-up thought, kappa-9913"


def _content() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=["contenttypes", "auth.permission", "sessions"],
        indent=1,
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def site(member, congregation, settings, tmp_path):
    from microsolidarity.journal.services import entry_create

    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "avatars").mkdir(parents=True)
    (settings.MEDIA_ROOT / "avatars" / "mo.png").write_bytes(b"\x89PNG not really " * 50)
    entry_create(author=member, text=JOURNAL_TEXT, prompt="", part_ids=[])
    return member


@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_backup_and_restore_round_trip_the_content(site, settings, tmp_path, portable):
    from microsolidarity.journal.models import Entry

    before = _content()
    archive = tmp_path / "backup.tar.gz"
    args = ["--output", str(archive)] + (["--portable"] if portable else [])
    call_command("backup", *args, stdout=io.StringIO())
    media_file = Path(settings.MEDIA_ROOT) / "avatars" / "mo.png"
    picture = media_file.read_bytes()

    call_command("flush", interactive=False, verbosity=0)
    media_file.unlink()
    assert database_rows() == 0
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "1 uploaded file(s)" in out.getvalue()
    assert _content() == before
    assert media_file.read_bytes() == picture
    assert Entry.objects.get().text == JOURNAL_TEXT


def test_archive_holds_a_manifest_with_checksums(site, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "media/avatars/mo.png" in names
    assert set(manifest["files"]) <= set(names)
    assert manifest["django"] and manifest["migrations"]


def test_restore_refuses_a_database_that_holds_data(site, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())

    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert "Replaced a database" in out.getvalue()


def test_restore_refuses_a_damaged_archive(site, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", "--output", str(archive), "--portable", stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = b"tampered" + data
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged), stdout=io.StringIO())


def test_the_archive_is_readable_by_its_owner_alone(site, tmp_path):
    import os
    import stat

    previous = os.umask(0o022)
    try:
        archive = tmp_path / "b.tar.gz"
        call_command("backup", "--output", str(archive), stdout=io.StringIO())
    finally:
        os.umask(previous)

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.partial"))
