"""Reads for the crewing pages: calls to show, crewless members, what a crew's meeting needs."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext

from microsolidarity.crewing.models import (
    CallStatus,
    CrewCall,
    CrewCycle,
    CrewMeeting,
    FormationRound,
    InterestState,
    Retrospective,
    RoundEntry,
    RoundStatus,
)
from microsolidarity.groups.models import Group, Membership, MembershipState, Scale
from microsolidarity.groups.queries import not_hidden_for, not_hidden_given

ROUND_OPEN_STATES = (RoundStatus.OPEN, RoundStatus.RUNNING, RoundStatus.PREVIEW)


def open_calls(congregation: Group, viewer, *, hosting_ids: list[int] | None = None):
    """Open calls; one the hosts hid only for the hosts (marked on the page). `hosting_ids`,
    the groups the viewer hosts in their term, when the page has them (no subqueries then)."""
    hidden_rule = (
        not_hidden_for(viewer, "congregation")
        if hosting_ids is None
        else not_hidden_given(viewer, hosting_ids, "congregation")
    )
    return (
        CrewCall.objects.filter(congregation=congregation, status=CallStatus.OPEN)
        .filter(hidden_rule)
        .select_related("caller", "template")
        .annotate(accepted=Count("interests", filter=Q(interests__state=InterestState.ACCEPTED)))
        .order_by("-created_at")
    )


def calls_of(person, congregation: Group):
    """Calls this person made here, any state: the caller keeps track of their own (what the
    hosts hid is told on their moderation page, not shown here)."""
    return (
        CrewCall.objects.filter(congregation=congregation, caller=person)
        .filter(not_hidden_for(person, "congregation"))
        .select_related("crew")
    )


def crewless_members(congregation: Group):
    """Active members of the congregation in no current crew of it."""
    crewed = Membership.objects.filter(
        group__parent=congregation,
        group__scale=Scale.CREW,
        state__in=Membership.MEMBER_STATES,
    ).values("person_id")
    return (
        Membership.objects.filter(group=congregation, state=MembershipState.ACTIVE)
        .exclude(person_id__in=crewed)
        .select_related("person")
    )


def crewless_shown_to_hosts(congregation: Group) -> list:
    """Of the crewless, those who said hosts may see their name (in a round still open)."""
    crewless = crewless_members(congregation).values("person_id")
    rounds = FormationRound.objects.filter(congregation=congregation, status__in=ROUND_OPEN_STATES)
    entries = (
        RoundEntry.objects.filter(round__in=rounds, show_to_hosts=True, person_id__in=crewless)
        .select_related("person")
        .order_by("person__display_name", "person_id")
    )
    seen, people = set(), []
    for entry in entries:
        if entry.person_id not in seen:
            seen.add(entry.person_id)
            people.append(entry.person)
    return people


def shared_retrospectives(congregation: Group):
    """What members chose to share with the hosts, once their crew has seen it together."""
    return (
        Retrospective.objects.filter(
            cycle__crew__parent=congregation, share_with_hosts=True, cycle__closed_at__isnull=False
        )
        .select_related("cycle", "cycle__crew", "person")
        .order_by("-submitted_at")
    )


def crew_cycles(crew: Group):
    return CrewCycle.objects.filter(crew=crew).order_by("-number")


def cycle_meetings(cycle: CrewCycle) -> list[CrewMeeting]:
    return list(cycle.meetings.select_related("occurrence", "focus", "host").order_by("number"))


@dataclass(frozen=True)
class Step:
    title: str
    minutes: int
    who: str
    guide: str
    people: str
    starts_after: int


def meeting_steps(meeting: CrewMeeting, coaches: list) -> list[Step]:
    """The format's steps with their roles named: focus person, coaches, host as timekeeper."""
    template = meeting.cycle.template
    if template is None:
        return []
    focus = str(meeting.focus) if meeting.focus else ""
    host = str(meeting.host) if meeting.host else ""
    coach_names = ", ".join(str(person) for person in coaches)
    steps, elapsed = [], 0
    for raw in template.steps:
        who = str(raw.get("who", ""))
        lowered = who.lower()
        named = []
        if "focus" in lowered and focus:
            named.append(focus)
        if "coach" in lowered and coach_names:
            named.append(coach_names)
        if "host" in lowered and host:
            named.append(host)
        if "everyone" in lowered:
            named = [gettext("everyone")]
        minutes = int(raw.get("minutes", 0))
        steps.append(
            Step(
                title=str(raw.get("title", "")),
                minutes=minutes,
                who=who,
                guide=str(raw.get("guide", "")),
                people=", ".join(named),
                starts_after=elapsed,
            )
        )
        elapsed += minutes
    return steps
