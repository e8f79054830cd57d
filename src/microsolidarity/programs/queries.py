"""Reads for the programs pages: what a person sees, a cohort's people, my breakout partner."""

from django.db.models import Count, Q

from microsolidarity.dyads.models import PairingMember, PairState
from microsolidarity.groups.models import Group, Membership, MembershipState, Scale
from microsolidarity.people.models import Person
from microsolidarity.programs.models import Cohort, Program, Seat, SeatState


def programs_visible_to(person):
    owners = Group.objects.visible_to(person).filter(scale__in=(Scale.CONGREGATION, Scale.NETWORK))
    return (
        Program.objects.filter(owner__in=owners)
        .select_related("owner")
        .annotate(module_count=Count("modules", distinct=True))
        .order_by("title", "pk")
    )


def cohorts_visible_to(person):
    """Cohorts of programs the person can see, and any cohort they have a place in."""
    owners = Group.objects.visible_to(person).values("pk")
    mine = Q(seats__person=person) if person.is_authenticated else Q(pk__in=[])
    return (
        Cohort.objects.filter(Q(program__owner__in=owners) | mine)
        .select_related("program", "program__owner", "series")
        .annotate(going=Count("seats", filter=Q(seats__state=SeatState.GOING), distinct=True))
        .distinct()
        .order_by("-series__starts_at", "-pk")
    )


def hosted_owners(person):
    """Congregations and networks where this person may add programs and start cohorts."""
    if not person.is_authenticated:
        return []
    if person.is_staff:
        return list(
            Group.objects.filter(scale__in=(Scale.CONGREGATION, Scale.NETWORK)).exclude(
                cohort__isnull=False
            )
        )
    memberships = Membership.objects.filter(
        person=person,
        state__in=Membership.MEMBER_STATES,
        group__scale__in=(Scale.CONGREGATION, Scale.NETWORK),
        group__cohort__isnull=True,
    ).select_related("group")
    return [m.group for m in memberships if m.is_hosting()]


def seats_for_facilitators(cohort: Cohort) -> dict[str, list[Seat]]:
    seats = cohort.seats.select_related("person").order_by("queued_at", "pk")
    grouped: dict[str, list[Seat]] = {state: [] for state in SeatState.values}
    for seat in seats:
        grouped[seat.state].append(seat)
    return grouped


def co_facilitator_choices(owner: Group, exclude):

    return (
        Person.objects.filter(
            memberships__group=owner, memberships__state=MembershipState.ACTIVE, is_active=True
        )
        .exclude(pk=exclude.pk)
        .select_related("profile")
        .order_by("display_name", "pk")
    )


def my_partners(person, cohort: Cohort) -> dict[int, list]:
    """Round number -> the partners this person was given in the cohort's breakouts."""
    places = list(
        PairingMember.objects.filter(person=person, round__program__group=cohort.group)
        .select_related("round", "pairing")
        .order_by("round__number")
    )
    others = (
        PairingMember.objects.filter(
            pairing__in=[p.pairing_id for p in places], state=PairState.PAIRED
        )
        .exclude(person=person)
        .select_related("person")
    )
    by_pairing: dict[int, list] = {}
    for other in others:
        by_pairing.setdefault(other.pairing_id, []).append(other.person)
    return {
        place.round.number: by_pairing.get(place.pairing_id, [])
        for place in places
        if place.state in (PairState.PAIRED, PairState.REPAIRED)
    }


def cohort_crews(cohort: Cohort):
    return Group.objects.filter(parent=cohort.group, scale=Scale.CREW).order_by("name")


def my_crew(person, cohort: Cohort) -> Group | None:
    if not person.is_authenticated:
        return None
    return (
        Group.objects.filter(
            parent=cohort.group,
            scale=Scale.CREW,
            memberships__person=person,
            memberships__state__in=Membership.MEMBER_STATES,
        )
        .order_by("pk")
        .first()
    )
