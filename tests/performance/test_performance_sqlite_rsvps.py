"""The embedded default (a SQLite file, `make run`) takes 50 RSVPs at once: no overbooking,
no "database is locked", because settings.py opens it in WAL mode with a busy timeout and
IMMEDIATE transactions (docs/deploy.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PEOPLE = 50
SEATS = 10
STORM = Path(__file__).with_name("sqlite_rsvp_storm.py")


@pytest.fixture
def storm_env(tmp_path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "microsolidarity.settings",
            "MICROSOLIDARITY_TESTING": "true",
            "VAR_DIR": str(tmp_path),
            "TASK_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def test_fifty_rsvps_at_once_on_a_sqlite_file_fill_the_seats_without_a_lock_error(
    storm_env, tmp_path
):
    done = subprocess.run(  # our own script, with our interpreter
        [sys.executable, str(STORM), str(PEOPLE), str(SEATS)],
        env=storm_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert (tmp_path / "microsolidarity.sqlite3").exists()
    assert result["journal_mode"] == "wal"
    assert "database is locked" not in done.stderr
    assert result["errors"] == []
    assert result["statuses"] == [200] * PEOPLE
    assert result["going"] == SEATS
    assert result["waitlisted"] == PEOPLE - SEATS
    assert result["rows"] == PEOPLE
    assert result["people"] == PEOPLE
