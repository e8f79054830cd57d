"""Outbound webhooks in the Standard Webhooks format: signed, retried with backoff, logged.

Each delivery is tried at most `MAX_ATTEMPTS` times, waiting `RETRY_DELAYS` between tries
(docs/outreach.md lists them). A receiver's 2xx delivers; 408, 425, 429, 5xx and network
errors are tried again; any other answer fails at once (the receiver refused it).
Deliveries are at least once: a retry repeats the same `webhook-id`, so receivers can drop
duplicates.
"""

import json
import secrets
from base64 import b64encode
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.tasks import default_task_backend
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Group
from microsolidarity.outreach import outbound, payloads, tasks
from microsolidarity.outreach.access import can_manage_webhooks
from microsolidarity.outreach.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from microsolidarity.outreach.targets import target_check

# Waits before each attempt: the first goes at once, the last about 9 hours after the event.
RETRY_DELAYS = (
    timedelta(0),
    timedelta(seconds=30),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS)
# A delivery claimed by a worker that died is tried again after this long.
STALE_CLAIM = timedelta(minutes=10)


def secret_new() -> str:
    return "whsec_" + b64encode(secrets.token_bytes(32)).decode()


def _event_types_check(event_types) -> list[str]:
    chosen = [e for e in payloads.EVENT_TYPES if e in set(event_types or [])]
    if not chosen:
        raise RuleBroken(_("Choose at least one event to send."), field="event_types")
    return chosen


@transaction.atomic
def endpoint_create(
    *, by, group: Group | None, name: str, url: str, event_types
) -> WebhookEndpoint:
    if not can_manage_webhooks(by, group):
        raise NotAllowed(_("Only the group's hosts (or operators) can add webhooks."))
    if group is not None and not payloads.group_is_outward(group):
        raise RuleBroken(
            _(
                "Only a public congregation or network sends webhooks: what happens in crews, "
                "dyads and members-only groups stays on the site."
            )
        )
    name = name.strip()
    if not name:
        raise RuleBroken(_("Give the webhook a name."), field="name")
    return WebhookEndpoint.objects.create(
        group=group,
        name=name[:80],
        url=target_check(url),
        secret=secret_new(),
        event_types=_event_types_check(event_types),
        created_by=by,
    )


@transaction.atomic
def endpoint_delete(*, by, endpoint: WebhookEndpoint) -> None:
    if not can_manage_webhooks(by, endpoint.group):
        raise NotAllowed(_("Only the group's hosts (or operators) can remove webhooks."))
    endpoint.delete()


def endpoint_test(*, by, endpoint: WebhookEndpoint, transport=None) -> WebhookDelivery:
    """Send a signed `test.ping` now, through the same path as every event, and return the
    delivery with what the receiver answered."""
    if not can_manage_webhooks(by, endpoint.group):
        raise NotAllowed(_("Only the group's hosts (or operators) can test webhooks."))
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            event_type=payloads.TEST_EVENT,
            group=endpoint.group,
            payload={"message": "This is a test from the microsolidarity site."},
        )
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    # Once only: a test that fails is reported, not retried.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
    delivery_attempt(delivery_id=delivery.pk, transport=transport)
    delivery.refresh_from_db()
    return delivery


def body_of(event: WebhookEvent) -> str:
    """The Standard Webhooks body: type, timestamp and data."""
    return json.dumps(
        {
            "type": event.event_type,
            "timestamp": event.created_at.isoformat(),
            "data": event.payload,
        },
        separators=(",", ":"),
        sort_keys=True,
    )


def signed_headers(endpoint: WebhookEndpoint, event: WebhookEvent, body: str, at: datetime):
    return {
        "webhook-id": event.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(event.message_id, at, body),
    }


def _claim(delivery_id: int, now: datetime) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(due)
        .update(status=DeliveryStatus.SENDING, next_attempt_at=now)
    )


def delivery_attempt(
    *, delivery_id: int, now: datetime | None = None, transport=None
) -> WebhookDelivery | None:
    """Try one delivery once if it is due; schedule the next try or settle it."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    body = body_of(delivery.event)
    outcome = outbound.send(
        "POST",
        delivery.endpoint.url,
        content=body.encode(),
        headers=signed_headers(delivery.endpoint, delivery.event, body, now),
        transport=transport,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=now,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    if outcome.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.SENT,
            now,
            None,
        )
    elif outcome.retryable and delivery.attempts < MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts]
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    delivery.save(
        update_fields=["attempts", "last_status_code", "status", "delivered_at", "next_attempt_at"]
    )
    if delivery.status == DeliveryStatus.PENDING:
        _queue_retry(delivery)
    return delivery


def _queue_retry(delivery: WebhookDelivery) -> None:
    """Queue the retry at its time when the queue can wait; `send_webhooks` catches the rest."""

    if default_task_backend.supports_defer:
        tasks.webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def deliveries_due(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, next_attempt_at__lt=now - STALE_CLAIM
    ).update(status=DeliveryStatus.PENDING)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(due)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def deliveries_send_due(*, now: datetime | None = None, transport=None) -> int:
    """Try every delivery that is due; returns how many were tried."""
    tried = 0
    for delivery_id in deliveries_due(now=now):
        if delivery_attempt(delivery_id=delivery_id, now=now, transport=transport) is not None:
            tried += 1
    return tried
