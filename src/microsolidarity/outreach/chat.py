"""Posts to Discord channels and Matrix rooms, through each service's own HTTP interface.

Apprise speaks to both, but answers only "it worked" or "it did not"; the hosts' test button
must report what the service really said, so this calls Discord's channel webhook and
Matrix's client-server API with httpx and keeps the status code. Discord's limits are kept
(2000 characters of content; an embed's title 256, description 4096, field 1024, 6000 in
all) and its mentions are switched off, so a title can never ping @everyone.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from microsolidarity.crewing.models import Rhythm
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Group
from microsolidarity.outreach import outbound, payloads
from microsolidarity.outreach.access import can_manage_chat
from microsolidarity.outreach.models import ChatPost, ChatRule, ChatService, DeliveryStatus
from microsolidarity.outreach.targets import target_check
from microsolidarity.zones import UTC, zone_named

DISCORD_CONTENT_LIMIT = 2000
DISCORD_TITLE_LIMIT = 256
DISCORD_DESCRIPTION_LIMIT = 4096
DISCORD_FIELD_LIMIT = 1024
DISCORD_EMBED_TOTAL = 6000
MATRIX_BODY_LIMIT = 4000


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis when it must be cut."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


@dataclass(frozen=True)
class ChatMessage:
    """What a post says, before a service's shape is put on it."""

    title: str
    text: str
    url: str
    fields: tuple[tuple[str, str], ...] = ()


def _when(starts_at: str, zone_name: str) -> str:
    start = datetime.fromisoformat(starts_at)
    zone = zone_named(zone_name)
    local = start.astimezone(zone)
    utc = start.astimezone(UTC)
    return f"{local:%a %d %b %Y, %H:%M} ({zone.key}) · {utc:%H:%M} UTC"


def _rhythm(value: str) -> str:
    return str(Rhythm(value).label) if value in Rhythm.values else value


def message_for(event_type: str, payload: dict) -> ChatMessage:
    group = payload["group"]["name"]
    if event_type == payloads.CREW_CALL_OPENED:
        return ChatMessage(
            title=_("A crew call is open in %(group)s") % {"group": group},
            text=_(
                "Someone is calling a crew of %(min)s to %(max)s people. Members can read the "
                "call and say they are interested."
            )
            % {"min": payload["size_min"], "max": payload["size_max"]},
            url=payload["url"],
            fields=((_("How often"), _rhythm(payload["rhythm"])),),
        )
    fields = [(_("When"), _when(payload["starts_at"], payload["timezone"]))]
    if payload.get("town"):
        fields.append((_("Where"), payload["town"]))
    fields.append((_("Group"), group))
    return ChatMessage(
        title=payload["title"],
        text=payload.get("description", ""),
        url=payload["url"],
        fields=tuple(fields),
    )


def discord_body(message: ChatMessage) -> dict:
    """A Discord webhook body within every one of Discord's limits."""
    title = clip(message.title, DISCORD_TITLE_LIMIT)
    shown = [
        (clip(name, 256), clip(value, DISCORD_FIELD_LIMIT) or "-")
        for name, value in message.fields[:25]
    ]
    fields = [{"name": name, "value": value, "inline": True} for name, value in shown]
    used = len(title) + sum(len(name) + len(value) for name, value in shown)
    room = max(0, min(DISCORD_DESCRIPTION_LIMIT, DISCORD_EMBED_TOTAL - used))
    embed: dict[str, object] = {
        "title": title,
        "url": message.url,
        "description": clip(message.text, room),
    }
    if fields:
        embed["fields"] = fields
    return {
        "content": clip(f"{title}\n{message.url}", DISCORD_CONTENT_LIMIT),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }


def matrix_body(message: ChatMessage) -> dict:
    lines = [message.title, message.text, *[f"{n}: {v}" for n, v in message.fields], message.url]
    plain = clip("\n".join(line for line in lines if line), MATRIX_BODY_LIMIT)
    html_fields = "".join(f"<br>{escape(n)}: {escape(v)}" for n, v in message.fields)
    html = (
        f'<b><a href="{escape(message.url)}">{escape(clip(message.title, 256))}</a></b>'
        f"<br>{escape(clip(message.text, 2000))}{html_fields}"
    )
    return {
        "msgtype": "m.notice",
        "body": plain,
        "format": "org.matrix.custom.html",
        "formatted_body": html,
    }


def post_message(
    rule: ChatRule, message: ChatMessage, *, txn_id: str, transport=None
) -> outbound.Outcome:
    if rule.service == ChatService.DISCORD:
        return outbound.send(
            "POST",
            rule.url,
            content=json.dumps(discord_body(message)).encode(),
            headers={},
            discord=True,
            transport=transport,
        )
    room = quote(rule.matrix_room, safe="")
    url = (
        f"{rule.url.rstrip('/')}/_matrix/client/v3/rooms/{room}/send/m.room.message/"
        f"{quote(txn_id, safe='')}"
    )
    return outbound.send(
        "PUT",
        url,
        content=json.dumps(matrix_body(message)).encode(),
        headers={"Authorization": f"Bearer {rule.matrix_token}"},
        transport=transport,
    )


@transaction.atomic
def chat_rule_create(
    *,
    by,
    group: Group,
    service: str,
    name: str,
    url: str,
    matrix_room: str = "",
    matrix_token: str = "",
    post_gatherings: bool = True,
    post_crew_calls: bool = False,
) -> ChatRule:
    if not can_manage_chat(by, group):
        raise NotAllowed(_("Only the group's hosts can connect a chat channel."))
    if not payloads.group_is_outward(group):
        raise RuleBroken(
            _(
                "Only a public congregation or network posts to chat: what happens in crews, "
                "dyads and members-only groups stays on the site."
            )
        )
    if service not in ChatService.values:
        raise RuleBroken(_("Choose Discord or Matrix."), field="service")
    if service == ChatService.MATRIX:
        if not matrix_room.strip().startswith("!") or ":" not in matrix_room:
            raise RuleBroken(
                _("A Matrix room id looks like !abcdef:example.org (Room settings, Advanced)."),
                field="matrix_room",
            )
        if not matrix_token.strip():
            raise RuleBroken(
                _("Matrix needs the access token of the account that posts."),
                field="matrix_token",
            )
    if not (post_gatherings or post_crew_calls):
        raise RuleBroken(_("Choose at least one kind of news to post."), field="post_gatherings")
    return ChatRule.objects.create(
        group=group,
        service=service,
        name=(name.strip() or ChatService(service).label)[:80],
        url=target_check(url, discord=service == ChatService.DISCORD),
        matrix_room=matrix_room.strip(),
        matrix_token=matrix_token.strip(),
        post_gatherings=post_gatherings,
        post_crew_calls=post_crew_calls,
        created_by=by,
    )


@transaction.atomic
def chat_rule_delete(*, by, rule: ChatRule) -> None:
    if not can_manage_chat(by, rule.group):
        raise NotAllowed(_("Only the group's hosts can disconnect a chat channel."))
    rule.delete()


def _record(rule: ChatRule, outcome: outbound.Outcome, now: datetime) -> None:
    rule.last_status = outcome.status_code
    rule.last_error = "" if outcome.ok else outcome.describe()[:300]
    rule.last_posted_at = now
    rule.save(update_fields=["last_status", "last_error", "last_posted_at"])


def chat_rule_test(*, by, rule: ChatRule, transport=None) -> outbound.Outcome:
    """Post a test message now and report what the service answered."""
    if not can_manage_chat(by, rule.group):
        raise NotAllowed(_("Only the group's hosts can test a chat channel."))
    message = ChatMessage(
        title=_("Test message from %(group)s") % {"group": rule.group.name},
        text=_("If you can read this, new public gatherings of %(group)s will appear here.")
        % {"group": rule.group.name},
        url=payloads.group_summary(rule.group)["url"],
    )
    now = timezone.now()
    outcome = post_message(
        rule, message, txn_id=f"test-{rule.pk}-{now.timestamp()}", transport=transport
    )
    _record(rule, outcome, now)
    return outcome


def chat_post_deliver(*, post_id: int, transport=None) -> ChatPost | None:
    """Post once: claimed first, so two workers never post the same thing twice."""
    claimed = ChatPost.objects.filter(pk=post_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING
    )
    if not claimed:
        return None
    post = ChatPost.objects.select_related("rule", "rule__group").get(pk=post_id)
    now = timezone.now()
    # Asked again at sending time: hidden or made members-only since, it is not posted.
    found = payloads.payload_for(post.event_type, post.object_id)
    if found is None:
        post.status, post.error = DeliveryStatus.FAILED, _("No longer public: not posted.")
        post.save(update_fields=["status", "error"])
        return post
    outcome = post_message(
        post.rule,
        message_for(post.event_type, found[0]),
        txn_id=f"post-{post.pk}",
        transport=transport,
    )
    post.status = DeliveryStatus.SENT if outcome.ok else DeliveryStatus.FAILED
    post.status_code, post.error, post.sent_at = outcome.status_code, outcome.error[:300], now
    post.save(update_fields=["status", "status_code", "error", "sent_at"])
    _record(post.rule, outcome, now)
    return post
