"""Nothing private ever leaves the site: a property over the whole demo network.

Hypothesis picks any demo object (gathering, occurrence, crew call, membership), any event
about it, and a change the hosts might make first (hide it, make it members-only, make its
group members-only). Whatever it picks, the webhook body and both chat bodies hold none of
the private text of the demo (crews, dyads, members-only groups and gatherings, hidden
content, crew calls' words, journal entries, people's names and addresses, call links and
places), and an object that is private after the change makes no payload at all.
"""

import json

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microsolidarity.crewing.models import CrewCall
from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.groups.models import Group, Membership, Scale, Visibility
from microsolidarity.outreach import chat, events, payloads, webhooks
from microsolidarity.outreach.models import WebhookEvent

CHANGES = ("none", "hide", "members_only", "group_members_only")
JOURNAL_TEXT = "the part of me that fears being seen at the congregation"


class Rollback(Exception):
    pass


@pytest.fixture
def demo(db):
    from microsolidarity.demo.network import DEMO_MEMBER_EMAIL, demo_network_load
    from microsolidarity.journal.services import entry_create
    from microsolidarity.people.models import Person

    demo_network_load()
    entry_create(author=Person.objects.get(email=DEMO_MEMBER_EMAIL), text=JOURNAL_TEXT)
    occurrences = list(Occurrence.objects.order_by("pk").values_list("pk", flat=True)[:400:7])
    outward = Q(group__scale__in=payloads.OUTWARD_SCALES)
    gathering_events = (
        payloads.GATHERING_CREATED,
        payloads.GATHERING_UPDATED,
        payloads.GATHERING_CANCELLED,
    )
    # Drawn by kind first, so the few public gatherings are tried as often as the many crews'.
    kinds = {
        "outward gathering": [
            (t, pk)
            for pk in Gathering.objects.filter(outward).values_list("pk", flat=True)
            for t in gathering_events
        ],
        "inner gathering": [
            (t, pk)
            for pk in Gathering.objects.exclude(outward).values_list("pk", flat=True)
            for t in gathering_events
        ],
        "occurrence": [(payloads.RSVP_COUNTS, pk) for pk in occurrences],
        "crew call": [
            (payloads.CREW_CALL_OPENED, pk) for pk in CrewCall.objects.values_list("pk", flat=True)
        ],
        "membership": [
            (payloads.MEMBER_JOINED, pk)
            for pk in Membership.objects.order_by("pk").values_list("pk", flat=True)[::11]
        ],
    }
    targets = [target for found in kinds.values() for target in found]
    # The property would say nothing if the demo had no public events, or no private ones.
    public = [t for t in targets if payloads.payload_for(*t) is not None]
    assert 10 < len(public) < len(targets) - 10
    assert all(kinds.values())
    return kinds


def _private_group(group: Group) -> bool:
    return group.scale in (Scale.CREW, Scale.DYAD) or group.visibility != Visibility.PUBLIC


def private_texts() -> set[str]:
    """Every piece of text in the database that must never leave it."""
    from microsolidarity.people.models import Person

    texts: set[str] = {JOURNAL_TEXT}
    for group in Group.objects.all():
        if _private_group(group):
            texts |= {group.name, group.description}
    for gathering in Gathering.objects.select_related("group"):
        texts |= {gathering.call_link, gathering.place}
        if (
            _private_group(gathering.group)
            or gathering.audience != "public"
            or gathering.hidden_at is not None
        ):
            texts |= {gathering.title, gathering.description}
    for call in CrewCall.objects.all():
        texts |= {call.intention, call.description}
    for person in Person.objects.all():
        texts |= {person.email, person.display_name}
    return {text for text in texts if text and len(text) >= 6}


def _apply(change: str, event_type: str, object_id: int) -> None:
    now = timezone.now()
    if event_type == payloads.RSVP_COUNTS:
        gathering = Occurrence.objects.get(pk=object_id).gathering
    elif event_type.startswith("gathering."):
        gathering = Gathering.objects.get(pk=object_id)
    else:
        gathering = None
    if event_type == payloads.CREW_CALL_OPENED:
        call = CrewCall.objects.get(pk=object_id)
        group = call.congregation
        if change == "hide":
            CrewCall.objects.filter(pk=object_id).update(hidden_at=now)
    elif event_type == payloads.MEMBER_JOINED:
        group = Membership.objects.get(pk=object_id).group
    else:
        group = gathering.group
        if change == "hide":
            Gathering.objects.filter(pk=gathering.pk).update(hidden_at=now)
        if change == "members_only":
            Gathering.objects.filter(pk=gathering.pk).update(audience="members")
    if change == "group_members_only":
        Group.objects.filter(pk=group.pk).update(visibility=Visibility.MEMBERS)


def _outbound_text(event_type: str, payload: dict, group: Group) -> str:
    event = WebhookEvent(
        event_type=event_type, group=group, payload=payload, created_at=timezone.now()
    )
    bodies = [webhooks.body_of(event)]
    if event_type in events.CHAT_EVENTS:
        message = chat.message_for(event_type, payload)
        bodies += [
            json.dumps(chat.discord_body(message), ensure_ascii=False),
            json.dumps(chat.matrix_body(message), ensure_ascii=False),
        ]
    return "\n".join(bodies)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_nothing_private_is_ever_in_a_payload(demo, data):
    kind = data.draw(st.sampled_from(sorted(demo)), label="kind")
    event_type, object_id = data.draw(st.sampled_from(demo[kind]), label="target")
    change = data.draw(st.sampled_from(("none", *CHANGES)), label="change")
    try:
        with transaction.atomic():
            _apply(change, event_type, object_id)
            found = payloads.payload_for(event_type, object_id)
            secrets = private_texts()
            if found is not None:
                payload, group = found
                text = _outbound_text(event_type, payload, group)
                leaked = sorted(s for s in secrets if s in text)
                assert not leaked, f"{event_type} {object_id} after {change!r} leaks {leaked}"
                assert not _private_group(group)
            if change != "none" and event_type != payloads.MEMBER_JOINED:
                is_hiding = change == "hide" or change == "group_members_only"
                if is_hiding or event_type != payloads.CREW_CALL_OPENED:
                    assert found is None, f"{event_type} {object_id} still public after {change!r}"
            raise Rollback
    except Rollback:
        pass
