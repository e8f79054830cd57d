"""Demo gatherings: a monthly network call, congregation gatherings, a camp, crew meetings,
a time poll and an open-space agenda, with RSVPs that fill a waitlist."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from microsolidarity.gatherings.agenda import agenda_rooms_set, session_place, session_propose
from microsolidarity.gatherings.models import CAMP_QUESTIONS, Kind, Mode
from microsolidarity.gatherings.polls import SlotInput, poll_answer, poll_create
from microsolidarity.gatherings.rsvp import rsvp_set, series_subscribe
from microsolidarity.gatherings.services import gathering_create
from microsolidarity.groups.models import Group, MembershipState, Role, Scale


def _first_weekday_of_next_month(today: date, weekday: int) -> date:
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _at(day: date, hour: int, minute: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone))


def _members(group: Group) -> list:
    return [
        m.person
        for m in group.memberships.filter(state=MembershipState.ACTIVE)
        .select_related("person")
        .order_by("started_at", "pk")
    ]


def _host_of(group: Group):
    return group.memberships.filter(role=Role.HOST).select_related("person").first().person


def demo_gatherings_load(rng: random.Random, network: Group) -> None:
    today = timezone.localdate()
    steward = _host_of(network)
    call_day = _first_weekday_of_next_month(today, 3)
    call = gathering_create(
        by=steward,
        group=network,
        title="Monthly network call",
        description="Hosts and members from every congregation: news, a teaching, breakouts.",
        kind=Kind.CALL,
        mode=Mode.ONLINE,
        call_link="https://call.example.org/microsolidarity-network",
        starts_at=_at(call_day, 19, 30, "Europe/Berlin"),
        ends_at=_at(call_day, 21, 0, "Europe/Berlin"),
        host_timezone="Europe/Berlin",
        recurrence="FREQ=MONTHLY;BYDAY=1TH",
        contribution_url="https://contribute.example.org/network",
        contribution_note="Members' contributions keep the calls going; if money is a barrier, "
        "write to the hosts.",
    )
    for person in rng.sample(_members(network), min(15, len(_members(network)))):
        series_subscribe(person=person, gathering=call)

    congregations = list(network.children.filter(scale=Scale.CONGREGATION).order_by("pk"))
    for index, congregation in enumerate(congregations):
        _congregation_gatherings(rng, congregation, today, first=index == 0)


def _congregation_gatherings(rng: random.Random, congregation: Group, today: date, *, first: bool):
    host = _host_of(congregation)
    members = _members(congregation)
    zone = congregation.timezone
    day = today + timedelta(days=21 + 7 * rng.randint(0, 2))
    if congregation.name.startswith("Cascadia"):
        camp = gathering_create(
            by=host,
            group=congregation,
            title="Cascadia summer camp",
            description="Three days of crews, open space and campfires. Bring a tent.",
            kind=Kind.CAMP,
            mode=Mode.IN_PERSON,
            place="Hood River campground",
            town_name="Hood River, United States",
            starts_at=_at(day, 16, 0, zone),
            ends_at=_at(day + timedelta(days=3), 12, 0, zone),
            host_timezone=zone,
            capacity=20,
            registration_questions=CAMP_QUESTIONS,
            contribution_url="https://contribute.example.org/cascadia-camp",
            contribution_note="Sliding scale: pay what you can; if money is a barrier, write to "
            "the hosts.",
        )
        occurrence = camp.occurrences.first()
        for person in members[:24]:
            rsvp_set(
                person=person,
                occurrence=occurrence,
                state="going",
                answers={
                    "dietary": rng.choice(["", "vegetarian", "vegan", "no nuts"]),
                    "access": rng.choice(["", "", "step-free tent spot"]),
                    "arrival": rng.choice(["Friday afternoon", "Friday evening", "Saturday"]),
                },
            )
        return
    gathering = gathering_create(
        by=host,
        group=congregation,
        title=f"{congregation.name} gathering",
        description="Our seasonal gathering: newcomers welcome, crews form here.",
        kind=Kind.GATHERING,
        mode=Mode.BOTH,
        place="Community house",
        town_name=congregation.region,
        call_link="https://call.example.org/" + congregation.slug,
        starts_at=_at(day, 10, 0, zone),
        ends_at=_at(day, 17, 0, zone),
        host_timezone=zone,
        capacity=12,
        rsvp_closes_before=timedelta(hours=24),
    )
    occurrence = gathering.occurrences.first()
    for person in members[:15]:
        rsvp_set(person=person, occurrence=occurrence, state="going")
    if not first:
        return
    agenda_rooms_set(by=host, gathering=gathering, rooms=["Garden", "Kitchen"])
    going = members[:12]
    titles = ["Starting a crew", "Grief and gardens", "Hosting without burning out"]
    for number, (person, title) in enumerate(zip(going[1:4], titles, strict=True)):
        session = session_propose(by=person, occurrence=occurrence, title=title)
        if number == 0:
            session_place(
                by=host,
                session=session,
                starts_at=occurrence.starts_at + timedelta(hours=1),
                ends_at=occurrence.starts_at + timedelta(hours=2),
                room="Garden",
            )
    poll_day = today + timedelta(days=60)
    poll = poll_create(
        by=host,
        group=congregation,
        title="Autumn gathering: which weekend?",
        poll_timezone=zone,
        slots=[
            SlotInput(
                starts_at=datetime.combine(poll_day + timedelta(days=7 * week), time(10)),
                ends_at=datetime.combine(poll_day + timedelta(days=7 * week), time(17)),
            )
            for week in range(3)
        ],
    )
    slots = list(poll.slots.order_by("starts_at"))
    for person in members[:10]:
        poll_answer(
            person=person,
            poll=poll,
            answers={slot.pk: rng.choice(["yes", "yes", "if_need_be", "no"]) for slot in slots},
        )
