"""Reads for formation-round pages: the proposal with each crew's "why", for hosts and members."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from microsolidarity.crewing.models import (
    CrewCycle,
    FormationRound,
    ProposedCrew,
    ProposedMember,
    RoundEntry,
    RoundPin,
    RoundStatus,
    RoundUnplaced,
)
from microsolidarity.groups.models import Group
from microsolidarity.people.languages import language_label


def rounds_of(congregation: Group):
    return (
        FormationRound.objects.filter(congregation=congregation)
        .annotate(entry_count=Count("entries"))
        .order_by("-created_at")
    )


@dataclass
class CrewMemberView:
    person: object
    timezone: str
    local_times: str
    moved_by_host: bool


@dataclass
class CrewView:
    crew: ProposedCrew
    members: list[CrewMemberView]
    languages: list[str]
    interests: list[str]
    shared_minutes: int
    longest_minutes: int
    warnings: list[str]


@dataclass
class ProposalView:
    crews: list[CrewView] = field(default_factory=list)
    unplaced: list[RoundUnplaced] = field(default_factory=list)
    not_in_proposal: list[RoundEntry] = field(default_factory=list)
    entries: list[RoundEntry] = field(default_factory=list)
    pins: list[RoundPin] = field(default_factory=list)

    @property
    def people(self) -> list:
        return sorted((entry.person for entry in self.entries), key=str)


def proposal_for_hosts(round_: FormationRound) -> ProposalView:
    """Everything a host needs to review a round, in a handful of queries."""
    entries = list(RoundEntry.objects.filter(round=round_).select_related("person"))
    view = ProposalView(
        entries=entries,
        pins=list(RoundPin.objects.filter(round=round_).select_related("first", "second")),
    )
    if round_.status not in (RoundStatus.PREVIEW, RoundStatus.PUBLISHED):
        return view
    crews = ProposedCrew.objects.filter(round=round_).prefetch_related(
        Prefetch(
            "placements",
            queryset=ProposedMember.objects.select_related("person").order_by("person_id"),
        )
    )
    placed: set[int] = set()
    for crew in crews:
        why = crew.explanation or {}
        local = why.get("shared_times_local") or {}
        zones = why.get("timezones") or {}
        members = []
        for placement in crew.placements.all():
            key = str(placement.person_id)
            placed.add(placement.person_id)
            members.append(
                CrewMemberView(
                    person=placement.person,
                    timezone=zones.get(key, ""),
                    local_times=local.get(key, ""),
                    moved_by_host=placement.moved_by_host,
                )
            )
        view.crews.append(
            CrewView(
                crew=crew,
                members=members,
                languages=[language_label(code) for code in why.get("languages") or []],
                interests=list(why.get("interests") or []),
                shared_minutes=int(why.get("shared_minutes_per_week") or 0),
                longest_minutes=int(why.get("longest_shared_minutes") or 0),
                warnings=list(why.get("warnings") or []),
            )
        )
    view.unplaced = list(
        RoundUnplaced.objects.filter(round=round_).select_related("person").order_by("person_id")
    )
    placed |= {u.person_id for u in view.unplaced}
    view.not_in_proposal = [entry for entry in entries if entry.person_id not in placed]
    return view


def entry_of(round_: FormationRound, person) -> RoundEntry | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return RoundEntry.objects.filter(round=round_, person=person).first()


def my_crew(round_: FormationRound, person) -> Group | None:
    """The crew a published round made for this person, if any."""
    if round_.status != RoundStatus.PUBLISHED or not getattr(person, "is_authenticated", False):
        return None
    cycle = (
        CrewCycle.objects.filter(formation_round=round_, crew__memberships__person=person)
        .select_related("crew")
        .first()
    )
    return cycle.crew if cycle is not None else None
