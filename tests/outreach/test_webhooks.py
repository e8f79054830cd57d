"""Outbound webhooks: signed as Standard Webhooks, retried with backoff, logged; public only."""

from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from microsolidarity.errors import RuleBroken
from microsolidarity.outreach import events, payloads, webhooks
from microsolidarity.outreach.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.usefixtures("local_targets")


@pytest.fixture
def endpoint(host, congregation, receiver):
    return webhooks.endpoint_create(
        by=host,
        group=congregation,
        name="Our tools",
        url=receiver.url + "/hook",
        event_types=list(payloads.EVENT_TYPES),
    )


@pytest.fixture
def public_gathering(host, congregation):
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=3)
    return gathering_create(
        by=host,
        group=congregation,
        title="Open evening",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        call_link="https://call.example/secret-room",
        place="12 Private Lane",
    )


def _record(gathering):
    return events.event_record(event_type=payloads.GATHERING_CREATED, object_id=gathering.pk)


def test_a_delivery_verifies_with_the_standard_webhooks_verifier(
    endpoint, public_gathering, receiver
):
    event = _record(public_gathering)
    delivery = WebhookDelivery.objects.get(event=event)
    webhooks.delivery_attempt(delivery_id=delivery.pk)
    [request] = receiver.requests
    body = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert body["type"] == "gathering.created"
    assert body["data"]["title"] == "Open evening"
    assert request.headers["webhook-id"] == event.message_id
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.last_status_code == 200


def test_a_tampered_body_or_another_secret_does_not_verify(endpoint, public_gathering, receiver):
    delivery = WebhookDelivery.objects.get(event=_record(public_gathering))
    webhooks.delivery_attempt(delivery_id=delivery.pk)
    [request] = receiver.requests
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(request.body.replace(b"Open", b"Shut"), request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.secret_new()).verify(request.body, request.headers)


def test_retries_on_500_stop_after_the_documented_number(endpoint, public_gathering, receiver):
    receiver.default_status = 500
    delivery = WebhookDelivery.objects.get(event=_record(public_gathering))
    now = timezone.now()
    for _ in range(webhooks.MAX_ATTEMPTS + 3):
        now += timedelta(hours=12)
        webhooks.deliveries_send_due(now=now)
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS == 6
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 6
    codes = list(
        WebhookAttempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)
    )
    assert codes == [500] * 6
    # The same message each time, so a receiver can drop repeats.
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.event.message_id}


def test_a_retry_waits_for_its_backoff(endpoint, public_gathering, receiver):
    receiver.statuses = [503, 200]
    delivery = WebhookDelivery.objects.get(event=_record(public_gathering))
    now = timezone.now()
    webhooks.deliveries_send_due(now=now)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + webhooks.RETRY_DELAYS[1]
    webhooks.deliveries_send_due(now=now + timedelta(seconds=5))
    assert len(receiver.requests) == 1
    webhooks.deliveries_send_due(now=now + webhooks.RETRY_DELAYS[1])
    delivery.refresh_from_db()
    assert len(receiver.requests) == 2 and delivery.status == DeliveryStatus.SENT


def test_a_refusal_is_not_retried(endpoint, public_gathering, receiver):
    receiver.default_status = 410
    delivery = WebhookDelivery.objects.get(event=_record(public_gathering))
    webhooks.deliveries_send_due()
    webhooks.deliveries_send_due(now=timezone.now() + timedelta(days=1))
    delivery.refresh_from_db()
    assert len(receiver.requests) == 1 and delivery.status == DeliveryStatus.FAILED


def test_an_unreachable_receiver_is_logged_and_retried(host, congregation, public_gathering):
    endpoint = webhooks.endpoint_create(
        by=host,
        group=congregation,
        name="Down",
        url="http://127.0.0.1:9/",
        event_types=["gathering.created"],
    )
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event=_record(public_gathering))
    webhooks.deliveries_send_due()
    delivery.refresh_from_db()
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None and attempt.error
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1


def test_saving_a_gathering_records_the_event_after_commit(
    endpoint, host, congregation, django_capture_on_commit_callbacks
):
    from microsolidarity.gatherings.services import gathering_cancel, gathering_create

    start = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        gathering = gathering_create(
            by=host,
            group=congregation,
            title="Soup",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    with django_capture_on_commit_callbacks(execute=True):
        gathering_cancel(by=host, gathering=gathering)
    types = list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .order_by("pk")
        .values_list("event__event_type", flat=True)
    )
    assert types[0] == "gathering.created" and types[-1] == "gathering.cancelled"


def test_a_members_only_gathering_sends_nothing(endpoint, host, congregation):
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=3)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Members circle",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        audience="members",
    )
    assert _record(gathering) is None
    assert not WebhookDelivery.objects.exists()


def test_a_members_only_group_cannot_have_a_webhook(host, congregation, receiver):
    congregation.visibility = "members"
    congregation.save(update_fields=["visibility"])
    with pytest.raises(RuleBroken):
        webhooks.endpoint_create(
            by=host,
            group=congregation,
            name="x",
            url=receiver.url,
            event_types=["gathering.created"],
        )


def test_a_private_address_is_refused_unless_allowed(host, congregation, settings):
    settings.OUTREACH_ALLOW_LOCAL_TARGETS = False
    for url in ("http://example.org/hook", "https://127.0.0.1/hook", "https://10.1.2.3/x"):
        with pytest.raises(RuleBroken):
            webhooks.endpoint_create(
                by=host, group=congregation, name="x", url=url, event_types=["gathering.created"]
            )


def test_only_hosts_add_webhooks(member, congregation, receiver):
    from microsolidarity.errors import NotAllowed

    with pytest.raises(NotAllowed):
        webhooks.endpoint_create(
            by=member,
            group=congregation,
            name="x",
            url=receiver.url,
            event_types=["gathering.created"],
        )


def test_the_test_button_reports_the_receivers_answer(client, host, endpoint, receiver):
    from django.urls import reverse

    receiver.statuses = [418]
    client.force_login(host)
    response = client.post(
        reverse("webhook_test", args=[endpoint.group.slug, endpoint.pk]), follow=True
    )
    assert "HTTP 418" in " ".join(str(m) for m in response.context["messages"])
    assert receiver.requests[0].json()["type"] == "test.ping"
