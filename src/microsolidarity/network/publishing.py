"""Keep followers up to date: send what changed in a congregation's shared gatherings.

We remember a digest of each event as we last sent it (`Published`), and compare with what is
shareable now: new ones are a Create, changed ones an Update, and ones that stopped being
shareable (made members-only, hidden by the hosts, deleted, or the whole congregation made
private) a Delete that names only the address we had already shared. Ones that simply ended
are let go quietly. Running it twice sends nothing the second time.
"""

from django.db import transaction
from django.utils.timezone import now

from microsolidarity.gatherings.models import Occurrence
from microsolidarity.groups.models import Group
from microsolidarity.network import payloads
from microsolidarity.network.delivery import delivery_enqueue
from microsolidarity.network.models import Follower, FollowState, Published


def follower_inboxes(group: Group) -> list[str]:
    """One inbox per server where it takes them all (shared inboxes); blocked servers left out."""
    followers = Follower.objects.filter(
        group=group, state=FollowState.ACCEPTED, actor__server__blocked_at__isnull=True
    ).select_related("actor")
    return sorted({follower.actor.delivery_inbox for follower in followers})


def _send(group: Group, inboxes: list[str], activity: dict) -> None:
    for inbox in inboxes:
        delivery_enqueue(inbox=inbox, activity=activity, signer=group)


@transaction.atomic
def group_publish(*, group_id: int) -> int:
    """Bring this group's followers up to date; return how many activities were queued."""
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        return 0
    inboxes = follower_inboxes(group)
    current = {payloads.event_uri(o): o for o in payloads.shareable_occurrences(group)}
    shared = {
        row.uri: row
        for row in Published.objects.select_for_update(of=("self",))
        .filter(group=group, withdrawn_at__isnull=True)
        .select_related("occurrence__gathering__group")
    }
    queued = 0
    for uri, occurrence in current.items():
        document = payloads.event_object(occurrence)
        digest = payloads.event_digest(document)
        row = shared.get(uri)
        if row is not None and row.digest == digest:
            continue
        kind = "Create" if row is None else "Update"
        _send(group, inboxes, payloads.create_or_update(occurrence, kind=kind))
        queued += len(inboxes)
        Published.objects.update_or_create(
            uri=uri,
            defaults={
                "group": group,
                "gathering": occurrence.gathering,
                "occurrence": occurrence,
                "digest": digest,
                "sent_at": now(),
                "withdrawn_at": None,
            },
        )
    for uri, row in shared.items():
        if uri in current:
            continue
        was_shared: Occurrence | None = row.occurrence
        if (
            was_shared is not None
            and was_shared.ends_at < now()
            and payloads.occurrence_is_shareable(was_shared)
        ):
            # It happened; nothing to take back.
            row.withdrawn_at = now()
            row.save(update_fields=["withdrawn_at"])
            continue
        _send(group, inboxes, payloads.delete_event(group, uri))
        queued += len(inboxes)
        row.withdrawn_at = now()
        row.save(update_fields=["withdrawn_at"])
    return queued


def follower_backfill(*, follower: Follower) -> int:
    """A new follower gets every upcoming shared gathering at once, not only future changes."""
    group = follower.group
    inbox = follower.actor.delivery_inbox
    count = 0
    for occurrence in payloads.shareable_occurrences(group):
        delivery_enqueue(
            inbox=inbox, activity=payloads.create_or_update(occurrence, kind="Create"), signer=group
        )
        count += 1
    return count


def follow_answer_send(*, follower: Follower, accepted: bool) -> None:
    follow = {"id": follower.follow_id, "actor": follower.actor.uri}
    delivery_enqueue(
        inbox=follower.actor.inbox,
        activity=payloads.follow_answer(follower.group, follow=follow, accepted=accepted),
        signer=follower.group,
    )
