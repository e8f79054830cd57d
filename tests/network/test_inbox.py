"""Inbound federation: verified, size- and rate-limited, blocked servers refused, then handled."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from microsolidarity.network.models import (
    Delivery,
    Follower,
    Following,
    FollowState,
    RemoteEvent,
)
from microsolidarity.network.services import follower_approve, server_block

pytestmark = pytest.mark.django_db

INBOX = "/federation/inbox"


@pytest.fixture
def remote(fake_remote):
    actor = fake_remote()
    actor.store()
    return actor


def group_uri(settings, group) -> str:
    return f"{settings.SITE_URL}/federation/groups/{group.slug}"


def test_a_verified_follow_waits_for_an_operator(client, settings, remote, congregation):
    response = remote.post(
        client, INBOX, remote.activity("Follow", group_uri(settings, congregation))
    )
    assert response.status_code == 202, response.content
    follower = Follower.objects.get()
    assert (follower.group, follower.state) == (congregation, FollowState.PENDING)
    assert not Delivery.objects.exists()


def test_approving_a_follow_answers_and_sends_what_is_coming_up(
    client, settings, remote, congregation, staff, make_gathering
):
    make_gathering(congregation, "Harvest gathering")
    make_gathering(congregation, "Members only", audience="members")
    remote.post(client, INBOX, remote.activity("Follow", group_uri(settings, congregation)))
    follower_approve(by=staff, follower=Follower.objects.get())
    kinds = [
        (d.activity["type"], d.activity.get("object", {}).get("name"))
        for d in Delivery.objects.all()
    ]
    assert kinds == [("Accept", None), ("Create", "Harvest gathering")]
    assert all(d.inbox == f"{remote.uri}/inbox" for d in Delivery.objects.all())


def test_only_operators_approve(client, settings, remote, congregation, host):
    from microsolidarity.errors import NotAllowed

    remote.post(client, INBOX, remote.activity("Follow", group_uri(settings, congregation)))
    with pytest.raises(NotAllowed):
        follower_approve(by=host, follower=Follower.objects.get())


def test_a_private_congregation_cannot_be_followed(client, settings, remote, network, host):
    from microsolidarity.groups.models import Scale, Visibility
    from microsolidarity.groups.services import group_create

    hidden = group_create(
        by=host,
        name="Quiet",
        scale=Scale.CONGREGATION,
        parent=network,
        visibility=Visibility.MEMBERS,
    )
    response = remote.post(client, INBOX, remote.activity("Follow", group_uri(settings, hidden)))
    assert response.status_code == 422
    assert not Follower.objects.exists()
    assert client.get(f"/federation/groups/{hidden.slug}").status_code == 404


def test_a_forged_signature_is_refused(client, settings, fake_remote, remote, congregation):
    forger = fake_remote()
    response = remote.post(
        client,
        INBOX,
        remote.activity("Follow", group_uri(settings, congregation)),
        sign_with=forger.private_pem,
    )
    # The stored key fails, a fresh fetch of the actor fails too (nobody there): refused.
    assert response.status_code == 401
    assert not Follower.objects.exists()


def test_an_unsigned_post_is_refused(client, settings, congregation, remote):
    body = json.dumps(remote.activity("Follow", group_uri(settings, congregation)))
    response = client.post(INBOX, data=body, content_type="application/activity+json")
    assert response.status_code == 401
    assert not Follower.objects.exists()


def test_an_activity_for_someone_else_is_refused(client, settings, remote, congregation):
    activity = remote.activity("Follow", group_uri(settings, congregation))
    activity["actor"] = "http://127.0.0.1:9/actors/somebody-else"
    assert remote.post(client, INBOX, activity).status_code == 403
    assert not Follower.objects.exists()


def test_a_body_over_the_limit_is_refused_before_anything_else(
    client, settings, remote, congregation
):
    settings.FEDERATION_MAX_BODY_BYTES = 2000
    activity = remote.activity("Follow", group_uri(settings, congregation))
    activity["padding"] = "x" * 3000
    assert remote.post(client, INBOX, activity).status_code == 413


def test_too_many_posts_from_one_address_are_slowed(client, settings, remote, congregation):
    settings.RATELIMIT_ENABLE = True
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, "federation_inbox": "3/m"}
    answers = [
        remote.post(
            client, INBOX, remote.activity("Follow", group_uri(settings, congregation), n)
        ).status_code
        for n in range(5)
    ]
    assert answers[:3] == [202, 202, 202]
    assert answers[3:] == [429, 429]


def test_a_blocked_server_is_refused(client, settings, remote, congregation, staff):
    server_block(by=staff, domain=remote.domain, reason="spam")
    response = remote.post(
        client, INBOX, remote.activity("Follow", group_uri(settings, congregation))
    )
    assert response.status_code == 403
    assert not Follower.objects.exists()


def test_a_repeated_activity_is_harmless(client, settings, remote, congregation):
    activity = remote.activity("Follow", group_uri(settings, congregation))
    remote.post(client, INBOX, activity)
    second = remote.post(client, INBOX, activity)
    assert second.json() == {"outcome": "repeated"}
    assert Follower.objects.count() == 1


def _event(remote, number: int = 1, **fields) -> dict:
    starts = timezone.now() + timedelta(days=3)
    return {
        "id": f"{remote.uri}/events/{number}",
        "type": "Event",
        "name": "Picnic <script>alert(1)</script>",
        "content": "<p>Bring <b>food</b></p>",
        "startTime": starts.isoformat(),
        "endTime": (starts + timedelta(hours=2)).isoformat(),
        "attributedTo": remote.uri,
        "url": f"{remote.uri}/events/{number}/page",
        **fields,
    }


def _followed(remote):
    from microsolidarity.network.models import RemoteActor

    return Following.objects.create(
        actor=RemoteActor.objects.get(uri=remote.uri),
        follow_id="http://127.0.0.1:8000/federation/actor#follow-1",
        state=FollowState.ACCEPTED,
    )


def test_events_of_a_followed_group_are_kept_as_plain_text(client, remote):
    _followed(remote)
    response = remote.post(client, INBOX, remote.activity("Create", _event(remote)))
    assert response.json() == {"outcome": "stored"}
    event = RemoteEvent.objects.get()
    assert event.name == "Picnic"
    assert event.summary == "Bring food"


def test_events_from_a_group_we_do_not_follow_are_ignored(client, remote):
    response = remote.post(client, INBOX, remote.activity("Create", _event(remote)))
    assert response.json() == {"outcome": "ignored"}
    assert not RemoteEvent.objects.exists()


def test_a_server_cannot_speak_for_a_group_on_another_server(client, fake_remote, remote):
    _followed(remote)
    other = fake_remote(domain="127.0.0.2:9", name="mallory")
    other.store()
    event = _event(remote)
    event["id"] = f"{other.uri}/events/1"
    response = other.post(client, INBOX, other.activity("Create", event))
    assert response.json() == {"outcome": "ignored"}
    assert not RemoteEvent.objects.exists()


def test_update_and_delete_of_a_remote_event(client, remote):
    _followed(remote)
    remote.post(client, INBOX, remote.activity("Create", _event(remote), 1))
    remote.post(client, INBOX, remote.activity("Update", _event(remote, name="Picnic moved"), 2))
    assert RemoteEvent.objects.get().name == "Picnic moved"
    remote.post(client, INBOX, remote.activity("Delete", f"{remote.uri}/events/1", 3))
    assert not RemoteEvent.objects.exists()


def test_the_remote_group_accepting_our_follow(client, remote):
    following = _followed(remote)
    following.state = FollowState.PENDING
    following.save(update_fields=["state"])
    answer = remote.activity("Accept", {"id": following.follow_id, "type": "Follow"})
    assert remote.post(client, INBOX, answer).json() == {"outcome": "following"}
    following.refresh_from_db()
    assert following.state == FollowState.ACCEPTED
