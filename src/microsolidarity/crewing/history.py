"""Who has met whom in a congregation, read from crew and dyad memberships, alumni included."""

from django.db.models import Q

from microsolidarity.groups.models import Group, Membership, MembershipState, Scale

# Invitations and requests never met anyone; everyone else did.
MET_STATES = (MembershipState.ACTIVE, MembershipState.PAUSED, MembershipState.ALUMNI)


def met_groups(congregation: Group, ids: set[str] | None = None) -> list[tuple[str, ...]]:
    """Every crew and dyad of the congregation, past and present, as sorted member-id tuples.

    The matching engine's `history`: no two people in one tuple are placed together again.
    Dyads inside the congregation's crews count too. Limited to `ids` when given; a group
    is kept only where two or more (of them) met.
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
        key = str(person_id)
        if ids is None or key in ids:
            members.setdefault(group_id, set()).add(key)
    return sorted(tuple(sorted(keys)) for keys in members.values() if len(keys) >= 2)


def met_pairs(congregation: Group, ids: set[str] | None = None) -> set[tuple[str, str]]:
    """Pairs (sorted id strings) who shared a crew or dyad of this congregation, ever."""
    pairs: set[tuple[str, str]] = set()
    for members in met_groups(congregation, ids):
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))
    return pairs
