"""Every knob the app reads from the environment is written down for whoever deploys it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The settings module and the gunicorn config are the only places the server reads variables.
READERS = [ROOT / "src/microsolidarity/settings.py", ROOT / "deploy/gunicorn.conf.py"]
READ = re.compile(
    r"""(?:env_(?:str|bool|int|list)|environ\.get|getenv|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)
DOCUMENTED = re.compile(r"^\|\s*(`[A-Z][A-Z0-9_]+`(?:\s*,\s*`[A-Z][A-Z0-9_]+`)*)\s*\|", re.M)


def _read_names() -> set[str]:
    return {name for path in READERS for name in READ.findall(path.read_text())}


def _documented_names(text: str) -> set[str]:
    return {name.strip("` ") for cell in DOCUMENTED.findall(text) for name in cell.split(",")}


def test_the_scan_finds_the_variables_the_settings_read():
    names = _read_names()
    assert {"SECRET_KEY", "SITE_URL", "EMAIL_BACKEND", "WEB_THREADS"} <= names


def test_every_variable_read_from_the_environment_is_in_the_deploy_table():
    documented = _documented_names((ROOT / "docs/deploy.md").read_text())
    missing = sorted(_read_names() - documented)
    assert missing == [], f"add a row to docs/deploy.md's 'Every variable' table for {missing}"


def test_the_example_environment_names_only_documented_variables():
    documented = _documented_names((ROOT / "docs/deploy.md").read_text())
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    assert named, ".env.example names no variable"
    assert sorted(named - documented) == []
