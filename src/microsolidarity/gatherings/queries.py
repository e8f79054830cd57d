"""Reads for pages and the API: which gatherings a person sees, seats left, waitlist places."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from microsolidarity.gatherings.models import (
    Audience,
    Gathering,
    Occurrence,
    OccurrenceStatus,
    Rsvp,
    RsvpState,
    SeriesSubscription,
)
from microsolidarity.groups import access as group_access
from microsolidarity.groups import queries as group_queries
from microsolidarity.groups.models import Group, Membership, Visibility, visible_given_rule
from microsolidarity.page_cache import fresh_reads
from microsolidarity.waitlists import line_position

UPCOMING_ON_PAGE = 8


def gatherings_visible_to(person):
    """The same rule as `access.gathering_visible`, as one query."""
    gatherings = Gathering.objects.all()
    visible_groups = Group.objects.visible_to(person).values("pk")
    members_of = Q(audience=Audience.PUBLIC)
    if person is not None and person.is_authenticated:
        member_groups = Membership.objects.filter(
            person=person, state__in=Membership.MEMBER_STATES
        ).values("group")
        members_of |= Q(group__in=member_groups) | Q(hosts=person)
    seen = Q(group__in=visible_groups) & members_of & group_queries.not_hidden_for(person)
    if getattr(person, "is_staff", False):
        # Operators see every gathering, except those of crews and dyads they are not in.
        seen |= ~Q(group__scale__in=group_access.PEER_SCALES)
    return gatherings.filter(seen).distinct()


def gatherings_visible_given(person, memberships):
    """`gatherings_visible_to` when the person's memberships (all but alumni) are at hand, as
    on the gatherings list: the same rule with their group ids written in, instead of the four
    nested subqueries that find them again (about 60% of that page's time)."""
    if person is None or not person.is_authenticated:
        return gatherings_visible_to(person)
    member_of = [m.group_id for m in memberships if m.state in Membership.MEMBER_STATES]
    hosting = [m.group_id for m in memberships if m.is_hosting()]
    # The same rule as `Group.objects.visible_to`, through the gathering's group.
    group_seen = visible_given_rule(person, memberships, "group")
    members_of = Q(audience=Audience.PUBLIC) | Q(group__in=member_of) | Q(hosts=person)
    seen = group_seen & members_of & group_queries.not_hidden_given(person, hosting)
    if getattr(person, "is_staff", False):
        seen |= ~Q(group__scale__in=group_access.PEER_SCALES)
    return Gathering.objects.filter(seen).distinct()


def group_gatherings_visible_given(person, group: Group, memberships):
    """`gatherings_visible_given` for one group's gatherings, as on its own page: what the
    rule asks of the group (may they see it, are they in it, do they moderate it) is answered
    here from the memberships, so the query keeps only what depends on each gathering."""
    gatherings = Gathering.objects.filter(group=group)
    if person is None or not person.is_authenticated:
        return gatherings_visible_to(person).filter(group=group)
    if group_access.operates(person, group):
        return gatherings
    by_group = {m.group_id: m for m in memberships}

    def has(group_id, states) -> bool:
        membership = by_group.get(group_id)
        return membership is not None and membership.state in states

    seen_directly = group.visibility == Visibility.PUBLIC or has(group.pk, Membership.SEEING_STATES)
    seen_as_parent_member = group.visibility == Visibility.PARENT and has(
        group.parent_id, Membership.MEMBER_STATES
    )
    if not (seen_directly or seen_as_parent_member):
        return gatherings.none()
    hosting = {m.group_id for m in memberships if m.is_hosting()}
    moderates = group.pk in hosting or (
        group.scale in group_access.PEER_SCALES and group.parent_id in hosting
    )
    if not moderates and not getattr(person, "is_staff", False):
        gatherings = gatherings.filter(hidden_at__isnull=True)
    if has(group.pk, Membership.MEMBER_STATES):
        return gatherings
    # A members' gathering is for its members, and its own hosts (one row per gathering).
    return gatherings.filter(Q(audience=Audience.PUBLIC) | Q(hosts=person)).distinct()


def with_going_counts(occurrences):
    return occurrences.annotate(
        going_count=Count("rsvps", filter=Q(rsvps__state=RsvpState.GOING)),
        waitlist_count=Count("rsvps", filter=Q(rsvps__state=RsvpState.WAITLISTED)),
    )


def going_counts(occurrence_ids) -> dict[int, tuple[int, int]]:
    """(going, waitlisted) of each occurrence, in one query; absent when nobody answered."""
    counts: dict[int, list[int]] = {}
    rows = (
        Rsvp.objects.filter(
            occurrence_id__in=list(occurrence_ids),
            state__in=[RsvpState.GOING, RsvpState.WAITLISTED],
        )
        .values_list("occurrence_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for occurrence_id, state, n in rows:
        counts.setdefault(occurrence_id, [0, 0])[state != RsvpState.GOING] = n
    return {occurrence_id: (going, waiting) for occurrence_id, (going, waiting) in counts.items()}


def with_fresh_counts(occurrences: list) -> list:
    """`going_count` and `waitlist_count` on each occurrence, read apart from the page (for
    the `going` fresh part: RSVPs change them all evening, and nothing else on a list)."""
    with fresh_reads():
        counts = going_counts(occurrence.pk for occurrence in occurrences)
    for occurrence in occurrences:
        occurrence.going_count, occurrence.waitlist_count = counts.get(occurrence.pk, (0, 0))
    return occurrences


def upcoming_occurrences(gathering: Gathering, *, limit: int = UPCOMING_ON_PAGE):
    return with_going_counts(
        gathering.occurrences.filter(ends_at__gte=timezone.now()).order_by("starts_at")
    )[:limit]


def upcoming_for(
    person,
    *,
    group: Group | None = None,
    limit: int = 100,
    memberships=None,
    group_ids: list[int] | None = None,
    counts: bool = True,
):
    """The next occurrence of each visible gathering, soonest first. Pass the person's
    `memberships` (`viewer_memberships`) when the page has read them already, and `group_ids`
    to keep only those groups' gatherings; `counts=False` leaves out the going and waitlist
    counts (read them with `with_fresh_counts`, or not at all)."""
    if memberships is None:
        gatherings = gatherings_visible_to(person)
    elif group is not None:
        gatherings = group_gatherings_visible_given(person, group, memberships)
    else:
        gatherings = gatherings_visible_given(person, memberships)
    gatherings = gatherings.exclude(status="cancelled")
    if group is not None:
        gatherings = gatherings.filter(group=group)
    if group_ids is not None:
        gatherings = gatherings.filter(group_id__in=group_ids)
    now = timezone.now()
    # Each gathering's next occurrence is picked inside the database, so a weekly series
    # with a year of dates costs one row here, not fifty-two.
    next_one = (
        Occurrence.objects.filter(
            gathering=OuterRef("pk"), ends_at__gte=now, status=OccurrenceStatus.SCHEDULED
        )
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )
    # Read first, then written into the second query: Django builds a subquery of this
    # (with the visibility rule inside) at more cost than the database spends on both.
    next_ids = [
        pk
        for pk in gatherings.annotate(next_id=Subquery(next_one)).values_list("next_id", flat=True)
        if pk is not None
    ]
    if not next_ids:
        return []
    occurrences = (
        Occurrence.objects.filter(pk__in=next_ids)
        .select_related("gathering", "gathering__group")
        .order_by("starts_at", "pk")
    )
    return list((with_going_counts(occurrences) if counts else occurrences)[:limit])


def seats_left(gathering: Gathering, going_count: int) -> int | None:
    if gathering.capacity is None:
        return None
    return max(gathering.capacity - going_count, 0)


def waitlist_position(rsvp: Rsvp | None) -> int | None:
    """1 for the next person to be promoted; None when not waitlisted."""
    if rsvp is None or rsvp.state != RsvpState.WAITLISTED:
        return None
    waiting = Rsvp.objects.filter(occurrence_id=rsvp.occurrence_id, state=RsvpState.WAITLISTED)
    return line_position(waiting, rsvp)


def rsvp_of(person, occurrence: Occurrence) -> Rsvp | None:
    if person is None or not person.is_authenticated:
        return None
    return Rsvp.objects.filter(person=person, occurrence=occurrence).first()


def rsvps_to(person, gathering: Gathering) -> dict[int, Rsvp]:
    """The person's answers to every occurrence of the gathering, past and coming, by
    occurrence id (one a date: a few dozen for a long-running series)."""
    if person is None or not person.is_authenticated:
        return {}
    answers = Rsvp.objects.filter(person=person, occurrence__gathering=gathering)
    return {answer.occurrence_id: answer for answer in answers}


def is_following(person, gathering: Gathering) -> bool:
    if person is None or not person.is_authenticated:
        return False
    return SeriesSubscription.objects.filter(person=person, gathering=gathering).exists()


@dataclass
class OccurrenceView:
    """One occurrence as a page shows it: counts, seats left, and the viewer's own answer."""

    occurrence: Occurrence
    going: int
    waitlisted: int
    seats_left: int | None
    rsvp: Rsvp | None
    waitlist_position: int | None


_UNREAD = object()


def occurrence_view(person, occurrence: Occurrence, *, rsvp=_UNREAD) -> OccurrenceView:
    """Counts come from `with_going_counts` when the occurrence was read with them; `rsvp`
    is the person's own answer when the page has read it already (None: they have none)."""
    if hasattr(occurrence, "going_count") and hasattr(occurrence, "waitlist_count"):
        counts = {"going": occurrence.going_count, "waitlisted": occurrence.waitlist_count}
    else:
        counts = occurrence.rsvps.aggregate(
            going=Count("pk", filter=Q(state=RsvpState.GOING)),
            waitlisted=Count("pk", filter=Q(state=RsvpState.WAITLISTED)),
        )
    if rsvp is _UNREAD:
        rsvp = rsvp_of(person, occurrence)
    return OccurrenceView(
        occurrence=occurrence,
        going=counts["going"],
        waitlisted=counts["waitlisted"],
        seats_left=seats_left(occurrence.gathering, counts["going"]),
        rsvp=rsvp,
        waitlist_position=waitlist_position(rsvp),
    )
