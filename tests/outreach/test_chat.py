"""Chat posts: Discord's limits kept, mentions off, the test button tells the real result."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microsolidarity.errors import RuleBroken
from microsolidarity.outreach import chat, events, payloads
from microsolidarity.outreach.models import ChatPost, DeliveryStatus

pytestmark = pytest.mark.usefixtures("local_targets")


@pytest.fixture
def discord(host, congregation, receiver):
    return chat.chat_rule_create(
        by=host,
        group=congregation,
        service="discord",
        name="#events",
        url=receiver.url + "/api/webhooks/1/token",
        post_crew_calls=True,
    )


@pytest.fixture
def matrix(host, congregation, receiver):
    return chat.chat_rule_create(
        by=host,
        group=congregation,
        service="matrix",
        name="Our room",
        url=receiver.url,
        matrix_room="!room:example.org",
        matrix_token="secret-token",
    )


def _gathering(host, group, **extra):
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=2)
    return gathering_create(
        by=host, group=group, starts_at=start, ends_at=start + timedelta(hours=1), **extra
    )


def test_a_new_public_gathering_is_posted_to_discord_once(discord, host, congregation, receiver):
    gathering = _gathering(host, congregation, title="Picnic @everyone", description="Bring food")
    events.event_record(event_type=payloads.GATHERING_CREATED, object_id=gathering.pk)
    events.event_record(event_type=payloads.GATHERING_CREATED, object_id=gathering.pk)
    [post] = ChatPost.objects.all()
    chat.chat_post_deliver(post_id=post.pk)
    chat.chat_post_deliver(post_id=post.pk)
    [request] = receiver.requests
    body = request.json()
    assert body["embeds"][0]["title"] == "Picnic @everyone"
    assert body["allowed_mentions"] == {"parse": []}
    assert body["embeds"][0]["url"].endswith(gathering.get_absolute_url())
    post.refresh_from_db()
    assert post.status == DeliveryStatus.SENT and post.status_code == 200


def test_discord_limits_are_kept_for_any_length():
    message = chat.ChatMessage(
        title="T" * 500,
        text="word " * 3000,
        url="https://site.example/g/x/",
        fields=(("When", "x" * 3000),),
    )
    body = chat.discord_body(message)
    embed = body["embeds"][0]
    assert len(body["content"]) <= chat.DISCORD_CONTENT_LIMIT
    assert len(embed["title"]) <= chat.DISCORD_TITLE_LIMIT
    assert len(embed["description"]) <= chat.DISCORD_DESCRIPTION_LIMIT
    assert all(len(f["value"]) <= chat.DISCORD_FIELD_LIMIT for f in embed["fields"])
    total = (
        len(embed["title"])
        + len(embed["description"])
        + sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
    )
    assert total <= chat.DISCORD_EMBED_TOTAL


def test_a_matrix_post_goes_to_the_room_with_the_token(matrix, host, congregation, receiver):
    gathering = _gathering(host, congregation, title="Soup night")
    events.event_record(event_type=payloads.GATHERING_CREATED, object_id=gathering.pk)
    post = ChatPost.objects.get()
    chat.chat_post_deliver(post_id=post.pk)
    [request] = receiver.requests
    assert request.method == "PUT"
    assert request.path.startswith(
        "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/"
    )
    assert request.headers["authorization"] == "Bearer secret-token"
    assert "Soup night" in request.json()["body"]


def test_a_crew_call_is_announced_without_its_words_or_caller(
    discord, congregation, member, receiver
):
    from microsolidarity.crewing.calls import call_post

    call = call_post(
        by=member,
        congregation=congregation,
        intention="Grief after my divorce",
        description="Private story",
    )
    events.event_record(event_type=payloads.CREW_CALL_OPENED, object_id=call.pk)
    chat.chat_post_deliver(post_id=ChatPost.objects.get().pk)
    sent = receiver.requests[0].body.decode()
    assert "divorce" not in sent and "Private story" not in sent and member.display_name not in sent
    assert "crew call" in sent.lower()


def test_a_gathering_hidden_before_posting_is_not_posted(discord, host, congregation, receiver):
    gathering = _gathering(host, congregation, title="Soon hidden")
    events.event_record(event_type=payloads.GATHERING_CREATED, object_id=gathering.pk)
    gathering.hidden_at = timezone.now()
    gathering.save(update_fields=["hidden_at"])
    post = chat.chat_post_deliver(post_id=ChatPost.objects.get().pk)
    assert post.status == DeliveryStatus.FAILED and not receiver.requests


def test_gatherings_of_a_crew_in_the_congregation_are_never_posted(
    discord, host, congregation, member
):
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create

    crew = group_create(by=member, name="Quiet crew", scale=Scale.CREW, parent=congregation)
    gathering = _gathering(member, crew, title="Crew meeting")
    events.event_record(event_type=payloads.GATHERING_CREATED, object_id=gathering.pk)
    assert not ChatPost.objects.exists()


def test_the_test_button_reports_what_discord_answered(client, host, discord, receiver):
    receiver.statuses = [404]
    client.force_login(host)
    response = client.post(
        reverse("chat_rule_test", args=[discord.group.slug, discord.pk]), follow=True
    )
    assert "HTTP 404" in " ".join(str(m) for m in response.context["messages"])
    discord.refresh_from_db()
    assert discord.last_status == 404
    receiver.statuses = [204]
    response = client.post(
        reverse("chat_rule_test", args=[discord.group.slug, discord.pk]), follow=True
    )
    assert "Delivered (HTTP 204)" in " ".join(str(m) for m in response.context["messages"])


def test_a_discord_address_must_be_a_discord_webhook(host, congregation, settings):
    settings.OUTREACH_ALLOW_LOCAL_TARGETS = False
    with pytest.raises(RuleBroken, match="Discord"):
        chat.chat_rule_create(
            by=host,
            group=congregation,
            service="discord",
            name="x",
            url="https://discord.com/channels/1",
        )


def test_a_matrix_rule_needs_a_room_and_a_token(host, congregation, receiver):
    with pytest.raises(RuleBroken):
        chat.chat_rule_create(
            by=host,
            group=congregation,
            service="matrix",
            name="x",
            url=receiver.url,
            matrix_room="room",
        )
