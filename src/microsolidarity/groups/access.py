"""Who may see and do what with a group: plain functions, used by `rules.py`, views and the API."""

from microsolidarity.groups.models import (
    Group,
    Membership,
    MembershipState,
    Role,
    Scale,
    Visibility,
)
from microsolidarity.predicates import remembered


def membership_of(person, group: Group) -> Membership | None:
    if person is None or not person.is_authenticated:
        return None
    cache: dict[int, Membership | None] = remembered(person, "_membership_cache", dict)
    if group.pk not in cache:
        cache[group.pk] = Membership.objects.filter(person=person, group=group).first()
    return cache[group.pk]


def memberships_remember(person, memberships) -> None:
    """Keep memberships a page has read anyway (with their groups), so checks on those
    groups need no query of their own."""
    if person is None or not person.is_authenticated:
        return
    cache: dict[int, Membership | None] = remembered(person, "_membership_cache", dict)
    for membership in memberships:
        cache[membership.group_id] = membership


def forget_memberships(person) -> None:
    """Drop the per-request cache after a write changed this person's memberships."""
    if person is not None and hasattr(person, "_membership_cache"):
        del person._membership_cache


def is_member(person, group: Group) -> bool:
    membership = membership_of(person, group)
    return membership is not None and membership.state in Membership.MEMBER_STATES


def is_active_member(person, group: Group) -> bool:
    membership = membership_of(person, group)
    return membership is not None and membership.state == MembershipState.ACTIVE


def is_host(person, group: Group) -> bool:
    """Hosts, co-hosts and stewards in their term look after a group."""
    membership = membership_of(person, group)
    return membership is not None and membership.is_hosting()


PEER_SCALES = (Scale.CREW, Scale.DYAD)


def operates(person, group: Group) -> bool:
    """Operators (staff, superusers too) look after networks and congregations; a crew or a
    dyad is its members' alone, so being an operator opens nothing there."""
    return getattr(person, "is_staff", False) and group.scale not in PEER_SCALES


def group_visible(person, group: Group) -> bool:
    """The same rule as `Group.objects.visible_to`, for one group."""
    if operates(person, group) or group.visibility == Visibility.PUBLIC:
        return True
    membership = membership_of(person, group)
    if membership is not None and membership.state in Membership.SEEING_STATES:
        return True
    if group.visibility == Visibility.PARENT and group.parent is not None:
        return is_member(person, group.parent)
    return False


def members_visible(person, group: Group) -> bool:
    """Names of members are for members (and operators outside crews); others see a count."""
    return operates(person, group) or is_member(person, group)


def can_manage(person, group: Group) -> bool:
    return operates(person, group) or is_host(person, group)


def moderating_group(group: Group) -> Group:
    """Whose hosts hear reports about this group's people and content: a crew's or a dyad's
    go to the group it sits in, since hosting there rotates among the peers themselves."""
    if group.scale in (Scale.CREW, Scale.DYAD) and group.parent is not None:
        return group.parent
    return group


def can_moderate(person, group: Group) -> bool:
    """Hosts of the group or of the group that moderates it (and operators): they see what
    was hidden there, marked hidden."""
    if can_manage(person, group):
        return True
    moderating = moderating_group(group)
    return moderating.pk != group.pk and can_manage(person, moderating)


def report_group_for(person, group: Group) -> Group | None:
    """The group to report a concern in this group to, if this person may report there."""
    moderating = moderating_group(group)
    return moderating if is_member(person, moderating) else None


def can_invite(person, group: Group) -> bool:
    """Hosts invite; in crews and dyads every active peer may invite too."""
    if can_manage(person, group):
        return True
    if group.scale in (Scale.CREW, Scale.DYAD):
        return is_active_member(person, group)
    membership = membership_of(person, group)
    # Partners of a congregation may invite, as in the practice.
    return (
        membership is not None
        and membership.state == MembershipState.ACTIVE
        and membership.tier.lower() == "partner"
    )


def can_create_inside(person, parent: Group | None, scale: str) -> bool:
    """Anyone may call a crew in their congregation; hosts start congregations in a network."""
    if person is None or not person.is_authenticated:
        return False
    if getattr(person, "is_staff", False):
        return True
    if scale == Scale.NETWORK:
        return False
    if parent is None:
        return scale in (Scale.DYAD, Scale.CONGREGATION)
    if scale == Scale.CONGREGATION:
        return is_host(person, parent)
    return is_active_member(person, parent)


def role_label(role: str) -> str:
    return str(Role(role).label)
