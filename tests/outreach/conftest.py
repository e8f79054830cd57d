"""Fixtures for outreach: a real HTTP receiver on loopback, and groups to send from."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP server that records each request and answers with the next planned status."""

    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    default_status: int = 200

    def answer(self) -> int:
        return self.statuses.pop(0) if self.statuses else self.default_status


@pytest.fixture
def receiver():
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            recv = state["receiver"]
            recv.requests.append(
                Received(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )
            status = recv.answer()
            payload = b'{"ok": true}' if status < 400 else b'{"error": "planned"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_PUT = _handle

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    host, port = server.server_address
    state["receiver"] = Receiver(url=f"http://{host}:{port}")
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield state["receiver"]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def local_targets(settings):
    settings.OUTREACH_ALLOW_LOCAL_TARGETS = True
    settings.SITE_URL = "https://site.example"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def subscribe(congregation):
    """Subscribe and confirm an address on the congregation's newsletter."""
    from microsolidarity.outreach.newsletter import subscription_confirm, subscription_request

    def make(email: str, group=None):
        result = subscription_request(group=group or congregation, email=email)
        return subscription_confirm(token=result.subscription.token)

    return make
