"""`send_outreach` picks up what a stopped worker left: a half-sent issue and due retries."""

import io

import pytest
from django.core.management import call_command

from microsolidarity.outreach import newsletter, payloads, webhooks
from microsolidarity.outreach.models import DeliveryStatus, WebhookDelivery, WebhookEvent

pytestmark = pytest.mark.usefixtures("local_targets")


def test_the_command_resumes_a_send_and_retries_due_webhooks(
    host, congregation, subscribe, mailoutbox, receiver
):
    for number in range(3):
        subscribe(f"reader{number}@example.org")
    issue = newsletter.issue_create(
        by=host, group=congregation, subject="News", body="x", segment="subscribers"
    )
    newsletter.issue_send(by=host, issue=issue)  # the queue never ran it
    endpoint = webhooks.endpoint_create(
        by=host, group=congregation, name="x", url=receiver.url, event_types=[payloads.RSVP_COUNTS]
    )
    event = WebhookEvent.objects.create(event_type=payloads.RSVP_COUNTS, payload={"going": 1})
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    mailoutbox.clear()
    out = io.StringIO()
    call_command("send_outreach", stdout=out)
    assert sorted(m.to[0] for m in mailoutbox) == [f"reader{n}@example.org" for n in range(3)]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(receiver.requests) == 1
    assert "1 webhook deliveries tried, 1 batches resumed" in out.getvalue()
    call_command("send_outreach", stdout=io.StringIO())
    assert len(mailoutbox) == 3 and len(receiver.requests) == 1
