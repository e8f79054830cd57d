"""Property: nothing that is not public ever leaves the instance.

For any mix of congregations (public, visible to the parent's members, members only; sharing
with other servers or not) and gatherings (public or members only, hidden by the hosts or not,
cancelled or not), every outbound payload (deliveries to followers, backfills, and every
document served to other servers: actors, outboxes, events, WebFinger) is collected, and no
private group's or members-only gathering's words appear in any of them, while every public
one does. Then public gatherings are made members-only or hidden, and what follows names them
only by the address already shared.
"""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microsolidarity.gatherings.models import Audience, Gathering
from microsolidarity.gatherings.services import gathering_create
from microsolidarity.groups.models import Group, Scale, Visibility
from microsolidarity.groups.services import group_create
from microsolidarity.network.models import Delivery, Follower, FollowState, Listing
from microsolidarity.network.publishing import follower_backfill, group_publish

pytestmark = pytest.mark.django_db

gathering_plans = st.fixed_dictionaries(
    {
        "audience": st.sampled_from([Audience.PUBLIC, Audience.MEMBERS]),
        "hidden": st.booleans(),
        "cancelled": st.booleans(),
        "mode": st.sampled_from(["online", "in_person", "both"]),
    }
)
group_plans = st.fixed_dictionaries(
    {
        "visibility": st.sampled_from([Visibility.PUBLIC, Visibility.PARENT, Visibility.MEMBERS]),
        "federated": st.booleans(),
        "gatherings": st.lists(gathering_plans, min_size=1, max_size=3),
    }
)


class Rollback(Exception):
    pass


def _shareable_group(plan) -> bool:
    return plan["visibility"] == Visibility.PUBLIC and plan["federated"]


def _build(network, host, remote_actor, plans) -> tuple[list[str], list[str], list[Group]]:
    secret, public, groups = [], [], []
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    for i, plan in enumerate(plans):
        group_word = f"PUBLICGROUP{i}" if _shareable_group(plan) else f"SECRETGROUP{i}"
        (public if _shareable_group(plan) else secret).append(group_word)
        group = group_create(
            by=host,
            name=f"{group_word} congregation",
            scale=Scale.CONGREGATION,
            parent=network,
            visibility=plan["visibility"],
            description=f"About {group_word}",
        )
        Listing.objects.create(
            group=group, listed=True, meets_online=True, federated=plan["federated"]
        )
        for j, gathering_plan in enumerate(plan["gatherings"]):
            shareable = _shareable_group(plan) and (
                gathering_plan["audience"] == Audience.PUBLIC and not gathering_plan["hidden"]
            )
            word = f"PUBLICEVENT{i}x{j}" if shareable else f"SECRETEVENT{i}x{j}"
            (public if shareable else secret).append(word)
            gathering = gathering_create(
                by=host,
                group=group,
                title=f"{word} gathering",
                description=f"Details of {word}",
                starts_at=start + timedelta(days=j),
                ends_at=start + timedelta(days=j, hours=2),
                audience=gathering_plan["audience"],
                mode=gathering_plan["mode"],
                place=f"Hall of {word}" if gathering_plan["mode"] != "online" else "",
                call_link="https://call.example/secret-link",
            )
            updates = {}
            if gathering_plan["hidden"]:
                updates["hidden_at"] = timezone.now()
            if gathering_plan["cancelled"]:
                updates["status"] = "cancelled"
            if updates:
                Gathering.objects.filter(pk=gathering.pk).update(**updates)
        # A follower on every group, as if it followed while the group was public.
        Follower.objects.create(
            group=group,
            actor=remote_actor,
            follow_id=f"{remote_actor.uri}#f{i}",
            state=FollowState.ACCEPTED,
        )
        groups.append(group)
    return secret, public, groups


def _served(groups) -> list[str]:
    from django.conf import settings as django_settings

    client = Client(HTTP_ACCEPT="application/activity+json")
    domain = django_settings.SITE_URL.split("://", 1)[1]
    bodies = [client.get("/federation/actor").content.decode()]
    for group in groups:
        for path in (
            f"/federation/groups/{group.slug}",
            f"/federation/groups/{group.slug}/outbox",
            f"/federation/groups/{group.slug}/followers",
            f"/.well-known/webfinger?resource=acct:{group.slug}@{domain}",
        ):
            bodies.append(client.get(path).content.decode())
        for gathering in group.gatherings.all():
            for occurrence in gathering.occurrences.all():
                bodies.append(client.get(f"/federation/events/{occurrence.pk}").content.decode())
    return bodies


def _outbound(groups) -> list[str]:
    for group in groups:
        group_publish(group_id=group.pk)
    for follower in Follower.objects.select_related("group", "actor"):
        follower_backfill(follower=follower)
    deliveries = [json.dumps(d.activity) for d in Delivery.objects.all()]
    return deliveries + _served(groups)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=st.lists(group_plans, min_size=1, max_size=3))
def test_nothing_private_is_ever_in_an_outbound_payload(network, host, fake_remote, plans):
    remote = fake_remote()
    try:
        with transaction.atomic():
            actor = remote.store()
            secret, public, groups = _build(network, host, actor, plans)
            payloads = "\n".join(_outbound(groups))
            for word in secret:
                assert word not in payloads, word
            for word in public:
                assert word in payloads, word
            assert "secret-link" not in payloads
            assert host.email not in payloads and host.display_name not in payloads

            # Public gatherings turn private: followers hear a Delete naming only the address.
            before = Delivery.objects.count()
            for gathering in Gathering.objects.filter(title__startswith="PUBLICEVENT"):
                gathering.title = gathering.title.replace("PUBLIC", "SECRET")
                gathering.audience = Audience.MEMBERS
                gathering.save(update_fields=["title", "audience"])
            later = "\n".join(_outbound(groups)[before:])
            assert "SECRETEVENT" not in later
            shared_events = [w for w in public if w.startswith("PUBLICEVENT")]
            after = list(Delivery.objects.all()[before:])
            assert [d.activity["type"] for d in after] == ["Delete"] * len(shared_events)
            assert all(set(d.activity["object"]) == {"id", "type"} for d in after)
            raise Rollback
    except Rollback:
        pass
