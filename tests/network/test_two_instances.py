"""Two instances on loopback, each with its own database, follow each other and exchange a
public gathering both ways; a members-only gathering never crosses.

Instance A is pytest's live server (the test database); instance B is a second Django process
started here with its own SQLite file and settings from environment variables, on a free port.
B is seeded through `microsolidarity shell -c` and driven through its operators' page, A
through its services; every request between
them is a real signed HTTP request over loopback.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]

B_SEED = """
from datetime import timedelta
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.utils import timezone
from microsolidarity.people.services import person_create
from microsolidarity.groups.models import Scale, JoinPolicy
from microsolidarity.groups.services import group_create
from microsolidarity.gatherings.services import gathering_create
call_command("migrate", verbosity=0, interactive=False)
operator = person_create(email="op@b.example", password=None, display_name="B Operator")
operator.is_staff = True
operator.save(update_fields=["is_staff"])
network = group_create(
    by=operator, name="B Network", scale=Scale.NETWORK, join_policy=JoinPolicy.OPEN
)
harbour = group_create(by=operator, name="Harbour of B", scale=Scale.CONGREGATION, parent=network)
start = timezone.now().replace(microsecond=0) + timedelta(days=5)
gathering_create(by=operator, group=harbour, title="Lantern walk on B", starts_at=start,
                 ends_at=start + timedelta(hours=2))
gathering_create(by=operator, group=harbour, title="B members circle", starts_at=start,
                 ends_at=start + timedelta(hours=1), audience="members")
# The operator's signed-in session, so the test can use B's operators' page as they would.
session = SessionStore()
session[SESSION_KEY] = str(operator.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = operator.get_session_auth_hash()
session.create()
print(harbour.slug, session.session_key)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class InstanceB:
    def __init__(self, directory: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_URL", "REDIS_URL", "PYTEST", "DJANGO_"))
        }
        self.env.update(
            DATABASE_URL=f"sqlite:///{directory / 'b.sqlite3'}",
            VAR_DIR=str(directory),
            SITE_URL=self.url,
            ALLOWED_HOSTS="127.0.0.1",
            TASK_BACKEND="immediate",
            FEDERATION_ALLOW_PRIVATE_NETWORKS="127.0.0.0/8",
            MICROSOLIDARITY_TESTING="true",
            DEBUG="true",
            PYTHONWARNINGS="ignore",
        )
        self.server: subprocess.Popen | None = None
        self.operator: httpx.Client | None = None
        self.log = directory / "b.log"

    def run(self, *args: str, timeout: int = 120) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "microsolidarity", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    def shell(self, code: str) -> str:
        return self.run("shell", "--no-imports", "-c", code)

    def start(self) -> None:
        self.slug, session_key = self.shell(B_SEED).split()
        self.operator = httpx.Client(
            base_url=self.url, cookies={"sessionid": session_key}, timeout=20
        )
        with open(self.log, "w") as log:
            self.server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "microsolidarity",
                    "runserver",
                    "--noreload",
                    f"127.0.0.1:{self.port}",
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        for _ in range(300):
            try:
                if httpx.get(f"{self.url}/federation/actor", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.server.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"instance B did not start: {self.log.read_text()[-3000:]}")

    def operator_post(self, data: dict) -> str:
        """Post the operators' federation page on B, as its operator would; return the page."""
        page = self.operator.get("/network/federation/")
        assert page.status_code == 200, page.text[:500]
        token = self.operator.cookies["csrftoken"]
        answer = self.operator.post(
            "/network/federation/",
            data={"csrfmiddlewaretoken": token, **data},
            follow_redirects=True,
        )
        assert answer.status_code == 200, answer.text[:500]
        return answer.text

    def stop(self) -> None:
        if self.operator is not None:
            self.operator.close()
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)


@pytest.fixture
def instance_b(tmp_path):
    b = InstanceB(tmp_path)
    b.start()
    yield b
    b.stop()


@pytest.fixture
def instance_a(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.ALLOWED_HOSTS = ["*"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return live_server


def test_two_instances_follow_each_other_and_share_public_gatherings_both_ways(
    instance_a, instance_b, congregation, staff, make_gathering, listed
):
    from microsolidarity.network.models import Follower, Following, FollowState, RemoteEvent
    from microsolidarity.network.services import follower_approve, following_create

    listed(congregation, "Lisbon, Portugal")
    evening = make_gathering(congregation, "Riverside open evening")
    make_gathering(congregation, "Riverside members circle", audience="members")
    b_slug = instance_b.slug

    # B follows A's congregation; A's operator approves; B receives A's public gathering.
    a_group = f"{instance_a.url}/federation/groups/{congregation.slug}"
    page = instance_b.operator_post({"action": "follow", "address": a_group})
    assert "Asked to follow" in page
    follower = Follower.objects.get(group=congregation)
    assert follower.state == FollowState.PENDING
    assert follower.actor.uri == f"{instance_b.url}/federation/actor"
    follower_approve(by=staff, follower=follower)

    b_calendar = httpx.get(f"{instance_b.url}/network/calendar/", timeout=10).text
    a_domain = instance_a.url.split("://", 1)[1]
    assert "Riverside open evening" in b_calendar
    assert f"Remote: on {a_domain}" in b_calendar
    assert "Riverside members circle" not in b_calendar
    b_directory = httpx.get(f"{instance_b.url}/network/", timeout=10).text
    assert "Riverside Congregation" in b_directory and "Riverside open evening" in b_directory

    # A follows B's congregation by its handle (WebFinger); B approves; A receives B's gathering.
    b_domain = instance_b.url.split("://", 1)[1]
    following = following_create(by=staff, address=f"{b_slug}@{b_domain}")
    assert following.state == FollowState.PENDING
    waiting = instance_b.operator.get("/network/federation/").text
    (follower_id,) = re.findall(r'name="follower" value="(\d+)"', waiting)
    page = instance_b.operator_post({"action": "approve", "follower": follower_id})
    assert "now follows Harbour of B" in page
    following.refresh_from_db()
    assert following.state == FollowState.ACCEPTED
    assert list(RemoteEvent.objects.values_list("name", flat=True)) == ["Lantern walk on B"]
    assert Following.objects.get().actor.name == "Harbour of B"

    a_calendar = httpx.get(f"{instance_a.url}/network/calendar/", timeout=10).text
    assert "Lantern walk on B" in a_calendar and f"Remote: on {b_domain}" in a_calendar
    assert "B members circle" not in a_calendar

    # A change on A reaches B as an Update, through the queue, without anyone asking.
    evening.title = "Riverside open evening, by the boats"
    evening.save(update_fields=["title"])
    b_calendar = httpx.get(f"{instance_b.url}/network/calendar/", timeout=10).text
    assert "Riverside open evening, by the boats" in b_calendar

    # A forged post to B is refused there.
    forged = httpx.post(
        f"{instance_b.url}/federation/inbox",
        content=b'{"type": "Follow"}',
        headers={
            "Content-Type": "application/activity+json",
            "Signature": f'keyId="{a_group}#main-key",algorithm="rsa-sha256",'
            'headers="(request-target) host date digest",signature="Zm9yZ2Vk"',
            "Date": "Wed, 02 Dec 2026 12:00:00 GMT",
            "Digest": "SHA-256=bm9wZQ==",
        },
        timeout=10,
    )
    assert forged.status_code == 401
