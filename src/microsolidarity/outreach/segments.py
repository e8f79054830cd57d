"""Who receives an issue: always confirmed subscribers, narrowed by their place in the groups.

A segment never adds anyone who did not confirm: membership decides only which of the
subscribers an issue is for. "Friends" are members whose tier is Friend (the practice's
first tier); "everyone in the network" is every confirmed subscriber of the network's
newsletter and of its congregations' newsletters, each address once.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from microsolidarity.errors import RuleBroken
from microsolidarity.groups.models import Group, Membership, Scale
from microsolidarity.outreach.models import Segment, Subscription, SubscriptionState

FRIEND_TIER = "friend"


def segments_for(group: Group) -> list[tuple[str, str]]:
    """The segments that make sense for this group's newsletter, as form choices."""
    chosen = [Segment.SUBSCRIBERS, Segment.MEMBERS]
    if group.scale == Scale.CONGREGATION:
        chosen.append(Segment.FRIENDS)
    if group.scale == Scale.NETWORK:
        chosen.append(Segment.NETWORK)
    return [(segment.value, str(segment.label)) for segment in chosen]


def segment_check(group: Group, segment: str) -> str:
    if segment not in {value for value, _label in segments_for(group)}:
        raise RuleBroken(_("Choose who receives it from the list."), field="segment")
    return segment


def recipients(group: Group, segment: str):
    """Confirmed subscriptions in the segment, one per address (the first one kept)."""
    confirmed = Subscription.objects.filter(state=SubscriptionState.CONFIRMED)
    if segment == Segment.NETWORK:
        congregations = Group.objects.filter(parent=group, scale=Scale.CONGREGATION)
        chosen = confirmed.filter(Q(group=group) | Q(group__in=congregations.values("pk")))
    else:
        chosen = confirmed.filter(group=group)
    if segment in (Segment.MEMBERS, Segment.FRIENDS):
        members = Membership.objects.filter(group=group, state__in=Membership.MEMBER_STATES)
        if segment == Segment.FRIENDS:
            members = members.filter(tier__iexact=FRIEND_TIER)
        chosen = chosen.filter(
            Q(person__in=members.values("person")) | Q(email__in=members.values("person__email"))
        )
    return chosen.order_by("email", "pk")


def recipient_count(group: Group, segment: str) -> int:
    return recipients(group, segment).values("email").distinct().count()
