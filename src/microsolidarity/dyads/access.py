"""Who may see and do what with pairing programs and dyad check-ins: plain functions."""

from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Membership, MembershipState, Scale

# Having been in the pair is enough to read its check-ins; staff and hosts are not in it.
PAIR_STATES = (MembershipState.ACTIVE, MembershipState.PAUSED, MembershipState.ALUMNI)


def can_manage_program(person, group: Group | None) -> bool:
    return (
        group is not None and group.scale != Scale.DYAD and group_access.can_manage(person, group)
    )


def can_join_program(person, group: Group | None) -> bool:
    return group is not None and group_access.is_active_member(person, group)


def was_in_pair(person, group: Group | None) -> bool:
    if group is None or group.scale != Scale.DYAD or person is None or not person.is_authenticated:
        return False
    return Membership.objects.filter(person=person, group=group, state__in=PAIR_STATES).exists()


def is_in_pair(person, group: Group | None) -> bool:
    return (
        group is not None
        and group.scale == Scale.DYAD
        and group_access.is_active_member(person, group)
    )


def can_see_program(person, group: Group | None) -> bool:
    """A pairing program is seen by who may join it and who runs it."""
    return can_join_program(person, group) or can_manage_program(person, group)
