"""A congregation's busy evening: 150 members browse, RSVP, answer a time poll and write journals.

Against a running `make prod-local` (loopback only), headless and bounded:

    .venv/bin/locust -f bench/load_evening.py --headless -u 150 -r 15 -t 2m \\
        --csv var/load_evening --only-summary

LOAD_EVENING_THINK="0.5-2" shortens the members' pauses (default "2-8" seconds);
bench/busy_evening.sh runs both against a rehearsal of its own.

Before the users start, one `microsolidarity shell` in the rehearsal's production environment
(deploy/prod-local.sh env) picks the congregation with the most members, opens a time poll in
it, and gives each of its members a session (stored in Redis, as a sign-in would) and an API
token. Signing in through the form is left out on purpose: Argon2 is slow by design and would
measure the password hasher, not the evening. Results go in docs/benchmarks.md.
"""

import json
import os
import random
import re
import subprocess
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

ROOT = Path(__file__).resolve().parents[1]
# The rehearsal's web processes (deploy/prod-local.sh's PROD_LOCAL_PORTS); members share them.
PORTS = tuple(int(port) for port in os.environ.get("LOAD_EVENING_PORTS", "8001 8002").split())
# Seconds each member thinks between tasks, "low-high": 2-8 by default; a shorter pause
# ("0.5-2") lets the same 150 members offer more than the ~88 requests/s of the default.
THINK = tuple(float(s) for s in os.environ.get("LOAD_EVENING_THINK", "2-8").split("-", 1))
HTTPS = {"X-Forwarded-Proto": "https"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;,\s]+)")

PREPARE = r"""
import json
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cache import SessionStore
from django.db.models import Count, Q
from django.utils import timezone

from microsolidarity.gatherings.models import Gathering, PollSlot, TimePoll
from microsolidarity.groups.models import Group, Membership
from microsolidarity.people.services import token_create

congregation = (
    Group.objects.filter(scale="congregation")
    .annotate(active=Count("memberships", filter=Q(memberships__state="active")))
    .order_by("-active")
    .first()
)
people = [
    m.person
    for m in Membership.objects.filter(group=congregation, state="active").select_related("person")
][:150]
poll, _ = TimePoll.objects.get_or_create(
    group=congregation,
    title="Load test: when shall we meet?",
    defaults={"duration": timedelta(hours=2), "created_by": people[0]},
)
start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
for day in range(5):
    PollSlot.objects.get_or_create(
        poll=poll,
        starts_at=start + timedelta(days=day),
        defaults={"ends_at": start + timedelta(days=day, hours=2)},
    )
members = []
for person in people:
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.set_expiry(3 * 3600)
    session.save()
    _token, raw = token_create(person=person, name="load test")
    members.append({"session": session.session_key, "token": raw})
gatherings = list(
    Gathering.objects.filter(group=congregation, status="scheduled").values("pk", "slug")
)
print(json.dumps({
    "group": congregation.slug,
    "poll": poll.pk,
    "slots": list(poll.slots.values_list("pk", flat=True)),
    "gatherings": gatherings,
    "members": members,
}))
"""

EVENING: dict = {}
_numbers = count()


def _production_env() -> dict[str, str]:
    exported = subprocess.run(  # noqa: S603 (our own script)
        [str(ROOT / "deploy" / "prod-local.sh"), "env"], capture_output=True, text=True, check=True
    ).stdout
    env = {}
    for line in exported.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    return env


@events.test_start.add_listener
def prepare_the_evening(environment, **kwargs):
    done = subprocess.run(  # noqa: S603 (our own command)
        [str(ROOT / ".venv" / "bin" / "microsolidarity"), "shell", "-c", PREPARE],
        env={**os.environ, **_production_env()},
        capture_output=True,
        text=True,
        check=True,
    )
    EVENING.update(json.loads(done.stdout.strip().splitlines()[-1]))


class Member(FastHttpUser):
    """One member of the congregation on a busy evening; thinks a few seconds between clicks.

    FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares
    the two cores with the server, and requests costs about 3.5 ms of CPU per request there.
    """

    host = f"http://127.0.0.1:{PORTS[0]}"
    wait_time = between(*THINK)

    def on_start(self):
        number = next(_numbers)
        me = EVENING["members"][number % len(EVENING["members"])]
        # Half the members reach each web process, as a load balancer in front would share them.
        self.client.base_url = f"http://127.0.0.1:{PORTS[number % len(PORTS)]}"
        # Production cookies are Secure, so no cookie jar sends them over plain loopback http:
        # the session cookie (and the CSRF cookie, once a form is read) go in by hand.
        self.session_cookie = f"sessionid={me['session']}"
        self.api = {**HTTPS, "Authorization": f"Bearer {me['token']}"}

    def page(self, url: str, name: str | None = None, cookie: str = ""):
        headers = {**HTTPS, "Cookie": "; ".join(filter(None, [self.session_cookie, cookie]))}
        return self.client.get(url, headers=headers, name=name or url)

    @task(6)
    def browse(self):
        self.page("/")
        self.page(f"/g/{EVENING['group']}/", name="/g/[congregation]/")
        self.page("/gatherings/")
        if EVENING["gatherings"]:
            gathering = random.choice(EVENING["gatherings"])
            self.page(f"/gatherings/{gathering['slug']}/", name="/gatherings/[slug]/")

    @task(2)
    def look_around(self):
        self.page("/groups/")
        self.page("/dyads/")
        self.page(f"/g/{EVENING['group']}/polls/", name="/g/[congregation]/polls/")

    @task(2)
    def rsvp(self):
        if not EVENING["gatherings"]:
            return
        gathering = random.choice(EVENING["gatherings"])
        occurrences = self.client.get(
            f"/api/v1/gatherings/{gathering['pk']}/occurrences",
            headers=self.api,
            name="/api/v1/gatherings/[id]/occurrences",
        ).json()
        items = occurrences["items"] if isinstance(occurrences, dict) else occurrences
        if not items:
            return
        self.client.post(
            f"/api/v1/gatherings/{gathering['pk']}/rsvp",
            json={"occurrence": items[0]["id"], "state": random.choice(["going", "not_going"])},
            headers=self.api,
            name="/api/v1/gatherings/[id]/rsvp",
        )

    @task(2)
    def answer_the_time_poll(self):
        url = f"/polls/{EVENING['poll']}/"
        page = self.page(url, name="/polls/[pk]/")
        found = CSRF.search(page.text or "")
        csrf = CSRF_COOKIE.search(page.headers.get("Set-Cookie", "") or "")
        if not found or not csrf:
            return
        answers = {
            f"slot-{slot}": random.choice(["yes", "if_need_be", "no"]) for slot in EVENING["slots"]
        }
        answered = self.client.post(
            url,
            data=urlencode({"csrfmiddlewaretoken": found.group(1), **answers}),
            headers={
                **HTTPS,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{self.client.base_url[7:]}{url}",
                "Cookie": f"{self.session_cookie}; csrftoken={csrf.group(1)}",
            },
            name="/polls/[pk]/ (answer)",
            allow_redirects=False,
        )
        # geventhttpclient drops a hand-set Cookie header on redirects: follow it by hand, as
        # its own request (requests counted the POST and its redirect as one).
        back = answered.headers.get("Location") if answered.status_code == 302 else None
        if back:
            self.page(back, name="/polls/[pk]/ (after answering)")

    @task(1)
    def floor(self):
        # /healthz does nothing through the same middleware and the same session: its
        # latency in the same run is what the server's queue and the stack alone cost.
        self.page("/healthz")

    @task(1)
    def write_in_the_journal(self):
        self.client.post(
            "/api/v1/journal/entries",
            json={"text": "Tonight the crew listened well. I noticed my tiredness and stayed."},
            headers=self.api,
            name="/api/v1/journal/entries (write)",
        )
        self.page("/me/journal/")
