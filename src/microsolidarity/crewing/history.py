"""Who has met whom in a congregation, read from crew and dyad memberships, alumni included."""

from django.db.models import Q

from microsolidarity.groups.models import Group, Membership, MembershipState, Scale

# Invitations and requests never met anyone; everyone else did.
MET_STATES = (MembershipState.ACTIVE, MembershipState.PAUSED, MembershipState.ALUMNI)


def met_pairs_for(congregation: Group) -> list[tuple[str, ...]]:
    """Every crew and dyad of the congregation, past and present, as sorted member-id tuples.

    The matching engine's `history`: no two people in one tuple are placed together again.
    Dyads inside the congregation's crews count too. Groups of one are left out.
    """
    groups = Group.objects.filter(
        Q(parent=congregation, scale__in=(Scale.CREW, Scale.DYAD))
        | Q(parent__parent=congregation, parent__scale=Scale.CREW, scale=Scale.DYAD)
    ).values_list("pk", flat=True)
    members: dict[int, set[str]] = {}
    rows = Membership.objects.filter(group__in=groups, state__in=MET_STATES).values_list(
        "group_id", "person_id"
    )
    for group_id, person_id in rows:
        members.setdefault(group_id, set()).add(str(person_id))
    return sorted(tuple(sorted(ids)) for ids in members.values() if len(ids) >= 2)
