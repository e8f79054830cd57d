"""Workers racing on one send: each recipient is mailed once, each webhook delivered once
(PostgreSQL, real threads)."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections

from microsolidarity.outreach import newsletter, webhooks
from microsolidarity.outreach.models import Subscription, WebhookDelivery, WebhookEvent

WORKERS = 4


@pytest.fixture(autouse=True)
def _postgres_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("Racing workers need PostgreSQL; SQLite runs one writer at once.")
    settings.OUTREACH_ALLOW_LOCAL_TARGETS = True


def _at_once(fn, count: int):
    barrier = threading.Barrier(count)

    def run(_):
        try:
            barrier.wait(timeout=30)
            return fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_on_one_issue_mail_each_reader_once(host, congregation):
    from django.utils import timezone

    Subscription.objects.bulk_create(
        [
            Subscription(
                group=congregation,
                email=f"r{n}@example.org",
                state="confirmed",
                confirmed_at=timezone.now(),
                token=f"race-{n}",
            )
            for n in range(60)
        ]
    )
    issue = newsletter.issue_create(
        by=host, group=congregation, subject="Race", body="x", segment="subscribers"
    )
    newsletter.issue_send(by=host, issue=issue)
    mail.outbox = []

    def drain():
        while newsletter.issue_pending(issue.pk):
            newsletter.issue_batch(issue_id=issue.pk, batch_size=7)

    _at_once(drain, WORKERS)
    counts = Counter(m.to[0] for m in mail.outbox)
    assert len(counts) == 60 and set(counts.values()) == {1}
    issue.refresh_from_db()
    assert issue.status == "sent"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_on_one_delivery_send_it_once(host, congregation, receiver):
    endpoint = webhooks.endpoint_create(
        by=host, group=congregation, name="x", url=receiver.url, event_types=["gathering.created"]
    )
    event = WebhookEvent.objects.create(event_type="gathering.created", payload={"id": 1})
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    _at_once(lambda: webhooks.delivery_attempt(delivery_id=delivery.pk), WORKERS)
    assert len(receiver.requests) == 1
