"""Events from the practice apps' saves, fanned out to webhook endpoints and chat rules.

The receivers only note the event after the transaction commits (nothing is announced that
was rolled back) and build nothing themselves: `event_record` reads the object fresh and
asks `payloads` what of it is public. Hosts' endpoints get the events of their group and of
the congregations in their network; operators' endpoints (no group) get every public event.
"""

from functools import partial

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from microsolidarity.crewing.models import CallStatus, CrewCall
from microsolidarity.gatherings.models import Gathering, GatheringStatus, Rsvp
from microsolidarity.groups.models import Group, Membership, MembershipState
from microsolidarity.outreach import payloads, tasks
from microsolidarity.outreach.models import (
    ChatPost,
    ChatRule,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

# Chat channels hear of new things only; webhooks of every change.
CHAT_EVENTS = {
    payloads.GATHERING_CREATED: "post_gatherings",
    payloads.CREW_CALL_OPENED: "post_crew_calls",
}


def _later(event_type: str, object_id: int) -> None:
    transaction.on_commit(partial(event_record, event_type=event_type, object_id=object_id))


def _gathering_saved(sender, instance: Gathering, created: bool, update_fields=None, **kwargs):
    if created:
        _later(payloads.GATHERING_CREATED, instance.pk)
    elif instance.status == GatheringStatus.CANCELLED and (
        update_fields is None or "status" in update_fields
    ):
        _later(payloads.GATHERING_CANCELLED, instance.pk)
    else:
        _later(payloads.GATHERING_UPDATED, instance.pk)


def _call_saved(sender, instance: CrewCall, created: bool, **kwargs):
    if created and instance.status == CallStatus.OPEN:
        _later(payloads.CREW_CALL_OPENED, instance.pk)


def _membership_saved(sender, instance: Membership, created: bool, update_fields=None, **kwargs):
    joined = instance.state == MembershipState.ACTIVE and (
        created or (update_fields is not None and "started_at" in update_fields)
    )
    if joined:
        _later(payloads.MEMBER_JOINED, instance.pk)


def _rsvp_changed(sender, instance: Rsvp, **kwargs):
    _later(payloads.RSVP_COUNTS, instance.occurrence_id)


def connect_receivers() -> None:
    post_save.connect(_gathering_saved, sender=Gathering, dispatch_uid="outreach-gathering")
    post_save.connect(_call_saved, sender=CrewCall, dispatch_uid="outreach-crew-call")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="outreach-membership")
    post_save.connect(_rsvp_changed, sender=Rsvp, dispatch_uid="outreach-rsvp-saved")
    post_delete.connect(_rsvp_changed, sender=Rsvp, dispatch_uid="outreach-rsvp-deleted")


def _chain(group: Group) -> list[int]:
    """The group and the groups it sits in, innermost first."""
    ids, current, seen = [], group, set()
    while current is not None and current.pk not in seen:
        ids.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    return ids


def endpoints_for(event_type: str, group: Group):
    chain = _chain(group)
    endpoints = WebhookEndpoint.objects.filter(active=True).filter(
        Q(group__isnull=True) | Q(group_id__in=chain)
    )
    return [e for e in endpoints if event_type in (e.event_types or [])]


def chat_rules_for(event_type: str, group: Group):
    flag = CHAT_EVENTS.get(event_type)
    if flag is None:
        return []
    return list(ChatRule.objects.filter(active=True, group_id__in=_chain(group), **{flag: True}))


@transaction.atomic
def event_record(*, event_type: str, object_id: int) -> WebhookEvent | None:
    """Record one event for every endpoint and chat rule that wants it, and queue the sends."""

    if not (
        WebhookEndpoint.objects.filter(active=True).exists()
        or (event_type in CHAT_EVENTS and ChatRule.objects.filter(active=True).exists())
    ):
        return None
    found = payloads.payload_for(event_type, object_id)
    if found is None:
        return None
    payload, group = found
    endpoints = endpoints_for(event_type, group)
    rules = chat_rules_for(event_type, group)
    event = None
    if endpoints:
        event = WebhookEvent.objects.create(event_type=event_type, group=group, payload=payload)
        for endpoint in endpoints:
            delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event)
            transaction.on_commit(partial(tasks.webhook_deliver.enqueue, delivery.pk))
    for rule in rules:
        post, created = ChatPost.objects.get_or_create(
            rule=rule, event_type=event_type, object_id=object_id
        )
        if created:
            transaction.on_commit(partial(tasks.chat_post_send.enqueue, post.pk))
    return event
