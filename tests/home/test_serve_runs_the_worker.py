"""`make run` (`microsolidarity serve`): the site, the task worker and the loops in one command.

The whole stack runs here as a person runs it: `serve` in its own process on a free port,
against a fresh SQLite file, with the file mail backend; a second process frees a seat, and
the promotion email must arrive with no other command, its link on the served address.
Then one SIGINT must end every process `serve` started.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from microsolidarity.periodic import LOOPS

# Generous bounds for a busy 2-core machine; a pass takes a few seconds. Never asserted.
START_BOUND_SECONDS = 120
MAIL_BOUND_SECONDS = 120
STARTED = r"Started (\S+) \(pid (\d+), process group (\d+)\)"

SCENARIO = """
from datetime import timedelta
from django.utils import timezone
from microsolidarity.gatherings.rsvp import rsvp_cancel, rsvp_set
from microsolidarity.gatherings.services import gathering_create
from microsolidarity.groups.models import JoinPolicy, Scale
from microsolidarity.groups.services import group_create, host_assign, membership_join
from microsolidarity.people.services import person_create

def make(name):
    return person_create(
        email=name.lower() + "@example.org", password="a-long-test-password", display_name=name
    )

staff = make("Operator")
staff.is_staff = True
staff.save(update_fields=["is_staff"])
network = group_create(
    by=staff, name="Test Network", scale=Scale.NETWORK, join_policy=JoinPolicy.OPEN
)
host = make("Hana")
membership_join(person=host, group=network)
host_assign(by=staff, group=network, person=host)
start = timezone.now() + timedelta(days=3)
call = gathering_create(
    by=host, group=network, title="One seat", starts_at=start,
    ends_at=start + timedelta(hours=1), capacity=1,
)
occurrence = call.occurrences.get()
ana, ben = make("Ana"), make("Ben")
rsvp_set(person=ana, occurrence=occurrence, state="going")
assert rsvp_set(person=ben, occurrence=occurrence, state="going").rsvp.state == "waitlisted"
rsvp_cancel(person=ana, occurrence=occurrence)
print("PATH", occurrence.get_absolute_url())
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(check, bound: float, what: str):
    """Poll `check()` until it gives something; the bound only ends a broken run."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
            return response.status == 200
    except OSError:
        return False


def _promotion_email(mail_dir: Path, to: str) -> str:
    for message in sorted(mail_dir.glob("*.log")):
        text = message.read_text()
        if f"To: {to}" in text and "You're in" in text:
            return text
    return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def site_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "TASK_BACKEND", "EMAIL_BACKEND", "MICROSOLIDARITY_TESTING"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "microsolidarity.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
            "VAR_DIR": str(tmp_path),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "TASK_BACKEND": "database",
        }
    )
    migrate = subprocess.run(
        [sys.executable, "-m", "microsolidarity", "migrate", "--no-input"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    return env


def test_a_waitlist_promotion_email_goes_out_under_serve_alone_and_ctrl_c_ends_it_all(
    site_env, tmp_path
):
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "microsolidarity", "serve", f"127.0.0.1:{port}", "--noreload"],
            env=site_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    group = 0
    try:
        _wait_for(
            lambda: _answers(f"http://127.0.0.1:{port}/healthz"),
            START_BOUND_SECONDS,
            "the site answering",
        )
        scenario = subprocess.run(
            [sys.executable, "-m", "microsolidarity", "shell", "-c", SCENARIO],
            env=site_env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert scenario.returncode == 0, scenario.stderr
        path = re.search(r"PATH (\S+)", scenario.stdout).group(1)

        email = _wait_for(
            lambda: _promotion_email(tmp_path / "mail", "ben@example.org"),
            MAIL_BOUND_SECONDS,
            "the promotion email",
        )
        assert f"http://127.0.0.1:{port}{path}" in email

        started = re.findall(STARTED, log_path.read_text())
        names = {name for name, _pid, _group in started}
        assert names == {"runserver", "db_worker", *(name for name, _every in LOOPS)}
        group = int(started[0][2])

        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=60) == 0
        assert [name for name, pid, _group in started if _alive(int(pid))] == []
        assert not _group_alive(group)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        if group and _group_alive(group):
            os.killpg(group, signal.SIGKILL)
