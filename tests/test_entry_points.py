"""The `microsolidarity` command and `python -m microsolidarity` are manage.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "microsolidarity.settings",
    }


def test_python_dash_m_runs_django_commands(env):
    result = subprocess.run(
        [sys.executable, "-m", "microsolidarity", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_console_script_lists_project_commands(env):
    script = Path(sys.executable).with_name("microsolidarity")
    result = subprocess.run(
        [str(script), "help"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    for command in ("create_token", "load_demo", "migrate"):
        assert command in result.stdout
