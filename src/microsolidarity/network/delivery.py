"""Outbound delivery: one signed POST per inbox, through the task queue, retried with backoff.

A delivery is a row first, so nothing is lost when the queue is down or the other server is:
the task sends it, a failure schedules the next try (1 minute, then longer, up to a day), and
`federation_deliver` (cron or `make worker`) sends whatever the queue did not.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils.timezone import now

from microsolidarity.groups.models import Group
from microsolidarity.network.actors import signer_identity
from microsolidarity.network.models import Delivery, DeliveryState
from microsolidarity.network.remote_actors import domain_of, is_blocked
from microsolidarity.network.remote_http import RemoteRefused, post
from microsolidarity.network.signatures import signed_headers

BACKOFF_MINUTES = (1, 5, 30, 120, 360, 720, 1440)


def delivery_enqueue(*, inbox: str, activity: dict, signer: Group | None) -> Delivery | None:
    """Queue one activity for one inbox, sent after the surrounding transaction commits."""
    if is_blocked(domain_of(inbox)):
        return None
    delivery = Delivery.objects.create(inbox=inbox, activity=activity, signer=signer)
    transaction.on_commit(lambda: _enqueue_task(delivery.pk))
    return delivery


# The task lives beside the attempt it runs, because each failed attempt schedules the next.
@task
def delivery_send(delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id)


def _enqueue_task(delivery_id: int, *, at=None) -> None:
    if at is not None and default_task_backend.supports_defer:
        delivery_send.using(run_after=at).enqueue(delivery_id)
    elif at is None:
        delivery_send.enqueue(delivery_id)


def delivery_attempt(*, delivery_id: int) -> str:
    """Try one delivery now; return its state afterwards."""
    delivery = Delivery.objects.select_related("signer").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return delivery.state if delivery else "missing"
    if is_blocked(domain_of(delivery.inbox)):
        return _give_up(delivery, "The server was blocked.")
    body = json.dumps(delivery.activity).encode()
    key_id, key = signer_identity(delivery.signer)
    headers = signed_headers(
        method="POST",
        url=delivery.inbox,
        body=body,
        key_id=key_id,
        private_key_pem=key.private_key_pem,
    )
    try:
        status = post(delivery.inbox, body=body, headers=headers)
    except RemoteRefused as refusal:
        return _failed(delivery, refusal.message)
    if 200 <= status < 300:
        delivery.state = DeliveryState.SENT
        delivery.sent_at = now()
        delivery.attempts += 1
        delivery.last_error = ""
        delivery.save(update_fields=["state", "sent_at", "attempts", "last_error"])
        return delivery.state
    if status in (400, 401, 403, 404, 410, 413, 422) and delivery.attempts + 1 >= 2:
        # The other server understood and said no, twice: trying again will not change it.
        return _give_up(delivery, f"Refused with {status}.")
    return _failed(delivery, f"Answered {status}.")


def _failed(delivery: Delivery, why: str) -> str:
    delivery.attempts += 1
    delivery.last_error = why[:500]
    if delivery.attempts >= settings.FEDERATION_DELIVERY_ATTEMPTS:
        delivery.state = DeliveryState.GAVE_UP
    else:
        wait = BACKOFF_MINUTES[min(delivery.attempts - 1, len(BACKOFF_MINUTES) - 1)]
        delivery.next_attempt_at = now() + timedelta(minutes=wait)
    delivery.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    if delivery.state == DeliveryState.PENDING:
        _enqueue_task(delivery.pk, at=delivery.next_attempt_at)
    return delivery.state


def _give_up(delivery: Delivery, why: str) -> str:
    delivery.state = DeliveryState.GAVE_UP
    delivery.last_error = why[:500]
    delivery.save(update_fields=["state", "last_error"])
    return delivery.state


def deliveries_due(*, limit: int = 500) -> int:
    """Send every pending delivery whose time has come; return how many were tried."""
    due = list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for delivery_id in due:
        delivery_attempt(delivery_id=delivery_id)
    return len(due)
