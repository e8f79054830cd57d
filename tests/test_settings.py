"""Settings come from the environment; production mode refuses unsafe values and passes Django's
deploy checks. Each case runs in a fresh interpreter, since settings are read once at start."""

import os
import secrets
import subprocess
import sys

import pytest

STRONG_KEY = secrets.token_urlsafe(50)

# What docs/deploy.md asks a production site to set (the database is a temporary SQLite file).
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "example.org",
    "CSRF_TRUSTED_ORIGINS": "https://example.org",
    "EMAIL_HOST": "smtp.example.org",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "true",
}


def _run(tmp_path, args, **env):
    # Only what a fresh shell has: nothing from the test run (MICROSOLIDARITY_TESTING, DEBUG...).
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    clean["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    clean["VAR_DIR"] = str(tmp_path / "var")
    clean["PYTHONDONTWRITEBYTECODE"] = "1"
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _import_settings(tmp_path, **env):
    return _run(tmp_path, ["-c", "import microsolidarity.settings"], **env)


def _manage(tmp_path, *args, **env):
    return _run(tmp_path, ["-m", "microsolidarity", *args], **env)


def test_development_defaults_need_no_environment(tmp_path):
    result = _import_settings(tmp_path)

    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _import_settings(tmp_path, DEBUG="false", ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    [
        "short-secret",
        "a" * 60,
        "django-insecure-" + secrets.token_urlsafe(50),
        "dev-only-not-secret-microsolidarity-0123456789-abcdefghij",
    ],
    ids=["short", "few-distinct-characters", "django-insecure", "development-key"],
)
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, weak_key):
    result = _import_settings(tmp_path, DEBUG="false", SECRET_KEY=weak_key, ALLOWED_HOSTS="a.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _import_settings(tmp_path, DEBUG="false", SECRET_KEY=STRONG_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name this site's hosts" in result.stderr


def test_a_mistyped_switch_is_refused_rather_than_guessed(tmp_path):
    result = _import_settings(tmp_path, DEBUG="flase")

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'flase'" in result.stderr


def test_the_production_variables_pass_the_deploy_checks(tmp_path):
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("unsafe", "check_id"),
    [
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "mail.E001"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
    ],
    ids=["console-mailer", "no-hsts", "no-https-redirect"],
)
def test_the_deploy_checks_catch_an_unsafe_production_override(tmp_path, unsafe, check_id):
    result = _manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, **unsafe}
    )

    assert result.returncode != 0
    assert check_id in result.stderr


def test_production_hashes_passwords_with_argon2(tmp_path):
    result = _run(
        tmp_path,
        ["-c", "import microsolidarity.settings as s; print(s.PASSWORD_HASHERS[0])"],
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_deploy_checks_warn_of_several_workers_without_a_shared_cache(tmp_path):
    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "WEB_CONCURRENCY": "3"},
    )

    assert result.returncode != 0
    assert "microsolidarity.W001" in result.stderr
    assert "3 web workers" in result.stderr and "REDIS_URL" in result.stderr
    # The limit counters are shared all the same: in the database.
    assert "microsolidarity.W002" not in result.stderr


def test_several_workers_with_redis_pass_the_deploy_checks(tmp_path):
    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "WEB_CONCURRENCY": "3", "REDIS_URL": "redis://127.0.0.1:6379/9"},
    )

    assert result.returncode == 0, result.stderr
