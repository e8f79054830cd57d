"""Reads for dyad pages and the API: my programs, my partner now, check-ins and their trend."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from microsolidarity.dyads.models import (
    CheckIn,
    PairingMember,
    PairingOptIn,
    PairingProgram,
    PairingRound,
    PairState,
    RoundStatus,
)
from microsolidarity.dyads.shared_times import SharedTime, shared_times
from microsolidarity.groups.models import Membership, MembershipState
from microsolidarity.matching import AvailabilityError
from microsolidarity.matching import Person as EnginePerson
from microsolidarity.matching.availability import parse_availability
from microsolidarity.matching.model import coming_monday
from microsolidarity.zones import person_zone


def week_of_round(starts_on: date) -> date:
    """Shared times are suggested for the coming week: the Monday on or after the round starts."""
    return coming_monday(starts_on)


def _profile(person):
    return getattr(person, "profile", None)


def engine_person(person) -> EnginePerson:
    profile = _profile(person)
    if profile is None:
        return EnginePerson(id=str(person.pk), name=str(person))
    try:
        windows = parse_availability(profile.availability or "")
    except AvailabilityError:
        windows = ()
    return EnginePerson(
        id=str(person.pk),
        name=str(person),
        timezone=profile.timezone or "UTC",
        languages=frozenset(profile.languages or []),
        interests=frozenset(profile.interests or []),
        availability=windows,
    )


def engine_people(people) -> list[EnginePerson]:
    return [engine_person(person) for person in people]


@dataclass
class Place:
    """Where I stand in one program's open round."""

    member: PairingMember
    partners: list = field(default_factory=list)
    times: list[SharedTime] = field(default_factory=list)
    zone: str = "UTC"

    @property
    def round(self) -> PairingRound:
        return self.member.round

    @property
    def times_here(self) -> list[str]:
        return [t.text_in(self.zone) for t in self.times]


def current_places(person) -> list[Place]:
    """My pairings in open rounds, with my partners and our shared times in my time zone."""
    members = (
        PairingMember.objects.filter(
            person=person, round__status=RoundStatus.OPEN, state=PairState.PAIRED
        )
        .select_related("round__program__group", "pairing__group")
        .prefetch_related(
            Prefetch(
                "pairing__members",
                queryset=PairingMember.objects.filter(state=PairState.PAIRED).select_related(
                    "person__profile"
                ),
            )
        )
        .order_by("round__program__group__name")
    )
    zone = person_zone(person).key
    places = []
    for member in members:
        everyone = [m.person for m in member.pairing.members.all()]
        partners = [p for p in everyone if p.pk != person.pk]
        times = shared_times(engine_people(everyone), week_of_round(member.round.starts_on))
        places.append(Place(member=member, partners=partners, times=times, zone=zone))
    return places


def waiting_places(person):
    """Open rounds in which my partner left and nobody new could be found yet."""
    return PairingMember.objects.filter(
        person=person, round__status=RoundStatus.OPEN, state=PairState.PARTNER_LEFT
    ).select_related("round__program__group")


def programs_for(person):
    """Programs in groups where I am an active member, with my opt-in, if any."""
    groups = Membership.objects.filter(person=person, state=MembershipState.ACTIVE).values("group")
    return (
        PairingProgram.objects.filter(group__in=groups)
        .select_related("group")
        .prefetch_related(
            Prefetch("opt_ins", queryset=PairingOptIn.objects.filter(person=person), to_attr="mine")
        )
        .order_by("group__name")
    )


def is_opted_in(person, program: PairingProgram) -> bool:
    mine = getattr(program, "mine", None)
    if mine is None:
        mine = list(program.opt_ins.filter(person=person))
    return any(choice.opted_out_at is None for choice in mine)


def opted_in_count(program: PairingProgram) -> int:
    return program.opt_ins.filter(opted_out_at__isnull=True).count()


def rounds_of(program: PairingProgram):
    return program.rounds.order_by("-number")


def shared_summaries(program: PairingProgram):
    """What pairs chose to share with the hosts: the summaries only, never scores or notes."""
    return (
        CheckIn.objects.filter(group__pairing__round__program=program)
        .exclude(summary="")
        .order_by("-created_at")
        .values("summary", "created_at")
    )


def checkins_of(group):
    return CheckIn.objects.filter(group=group).select_related("author").order_by("created_at", "pk")


def balance_trend(group, viewer) -> dict:
    """Each person's check-ins in time order, and their averages, to see balance move."""
    rows = list(checkins_of(group))
    by_author: dict[int, dict] = {}
    for row in rows:
        entry = by_author.setdefault(
            row.author_id, {"person": row.author, "rows": [], "mine": row.author_id == viewer.pk}
        )
        entry["rows"].append(row)
    for entry in by_author.values():
        count = len(entry["rows"])
        entry["averages"] = {
            name: round(sum(getattr(r, name) for r in entry["rows"]) / count, 1)
            for name in ("spoke", "decided", "carried", "felt")
        }
    return {"rows": rows, "people": list(by_author.values())}
