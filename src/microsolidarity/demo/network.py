"""Build the demo network through the same services people use, so it obeys every rule."""

import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from microsolidarity.demo.crewing import demo_crewing_load
from microsolidarity.demo.gatherings import demo_gatherings_load
from microsolidarity.demo.journal import demo_journal_load
from microsolidarity.demo.library import demo_library_load
from microsolidarity.demo.moderation import demo_moderation_load
from microsolidarity.demo.network_map import demo_network_map_load
from microsolidarity.demo.notifications import demo_notifications_load
from microsolidarity.demo.outreach import demo_outreach_load
from microsolidarity.demo.participation import demo_participation_load
from microsolidarity.demo.programs import demo_programs_load
from microsolidarity.groups.models import (
    Group,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Scale,
    Status,
    Visibility,
)
from microsolidarity.groups.services import (
    dyad_create,
    group_create,
    host_assign,
    membership_accept,
    membership_approve,
    membership_invite,
    membership_join,
    membership_request,
)
from microsolidarity.matching.availability import Window, format_availability
from microsolidarity.notifications.services import emails_held
from microsolidarity.people.models import Audience, Person
from microsolidarity.people.services import person_create, profile_get, profile_town_set
from microsolidarity.people.towns import town_search

NETWORK_SLUG = "microsolidarity-network"
DEMO_HOST_EMAIL = "host@demo.microsolidarity.local"
DEMO_MEMBER_EMAIL = "member@demo.microsolidarity.local"
DEMO_HOST_PASSWORD = "demo-host-password"  # local-only demo account, named in the README
DEMO_MEMBER_PASSWORD = "demo-member-password"

INTERESTS = [
    "peer coaching",
    "parenting",
    "gardening",
    "open source",
    "climate",
    "meditation",
    "writing",
    "cooperatives",
    "facilitation",
    "music",
    "housing",
    "burnout recovery",
    "community land",
    "decision making",
    "grief",
    "career change",
    "art",
    "cycling",
    "neurodiversity",
    "mutual aid",
    "philosophy",
    "permaculture",
    "leadership",
    "poetry",
]
FIRST_NAMES = [
    "Ana",
    "Bruno",
    "Carla",
    "Duarte",
    "Eva",
    "Filipa",
    "Gil",
    "Helena",
    "Inês",
    "João",
    "Katrin",
    "Lukas",
    "Mara",
    "Nils",
    "Olga",
    "Paul",
    "Quinn",
    "Rosa",
    "Sven",
    "Tanja",
    "Uma",
    "Vera",
    "Wren",
    "Xavi",
    "Yara",
    "Zoe",
    "Amir",
    "Bea",
    "Chen",
    "Dana",
    "Eli",
    "Femi",
    "Gosia",
    "Hiro",
    "Ida",
    "Jonas",
    "Kai",
    "Lea",
    "Milan",
    "Noor",
    "Omar",
    "Pia",
    "Raf",
    "Sade",
    "Tomás",
    "Ugo",
    "Val",
    "Wim",
    "Yusuf",
    "Zara",
]
SURNAMES = ["Silva", "Weber", "Moreno", "Okafor", "Nakamura", "Kowalski", "Haddad", "Lindqvist"]


@dataclass(frozen=True)
class CongregationPlan:
    name: str
    region: str
    timezone: str
    languages: tuple[str, ...]
    country: str
    towns: tuple[str, ...]
    join_policy: str
    description: str


CONGREGATIONS = (
    CongregationPlan(
        name="Lisbon Commons",
        region="Lisbon and the Tagus valley",
        timezone="Europe/Lisbon",
        languages=("pt", "en"),
        country="Portugal",
        towns=("Lisbon", "Almada", "Sintra", "Setúbal", "Cascais"),
        join_policy=JoinPolicy.REQUEST,
        description=(
            "Neighbours and friends weaving crews along the Tagus. Gatherings twice a year."
        ),
    ),
    CongregationPlan(
        name="Berlin Kiez Congregation",
        region="Berlin and Brandenburg",
        timezone="Europe/Berlin",
        languages=("de", "en"),
        country="Germany",
        towns=("Berlin", "Potsdam", "Cottbus", "Frankfurt (Oder)"),
        join_policy=JoinPolicy.OPEN,
        description="A congregation for people who want a crew of their own in Berlin.",
    ),
    CongregationPlan(
        name="Cascadia Circle",
        region="Pacific Northwest",
        timezone="America/Los_Angeles",
        languages=("en", "es"),
        country="United States",
        towns=("Portland", "Seattle", "Eugene", "Tacoma", "Salem"),
        join_policy=JoinPolicy.REQUEST,
        description="Crews for builders of community across Oregon and Washington.",
    ),
)
PEOPLE_PER_CONGREGATION = 49


def _availability(rng: random.Random) -> str:
    windows = []
    for day in rng.sample(range(7), rng.randint(2, 4)):
        start_hour = rng.choice([7, 8, 12, 17, 18, 19, 20])
        length = rng.choice([60, 90, 120, 180])
        start = start_hour * 60 + rng.choice([0, 30])
        windows.append(Window(day, start, min(start + length, 24 * 60)))
    return format_availability(windows)


def _town(name: str, country: str):
    for town in town_search(f"{name}, {country}", limit=5):
        if town.name == name:
            return town
    matches = town_search(name, limit=1)
    return matches[0] if matches else None


def _person(
    rng: random.Random, plan: CongregationPlan, number: int, email: str = "", name: str = ""
) -> Person:
    display = name or f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    person = person_create(
        email=email or f"demo{number:03d}@demo.microsolidarity.local",
        password=None,
        display_name=display,
    )
    profile = profile_get(person)
    profile.timezone = plan.timezone
    profile.languages = [
        plan.languages[0],
        *(["en"] if rng.random() < 0.8 and "en" not in plan.languages[:1] else []),
    ]
    profile.languages = list(dict.fromkeys(profile.languages))
    profile.interests = rng.sample(INTERESTS, rng.randint(2, 5))
    profile.values = rng.choice(
        [
            "Honesty and care.",
            "Showing up for each other.",
            "Curiosity over certainty.",
            "Slow, deep trust.",
        ]
    )
    profile.seeking = rng.choice(
        [
            "A crew to think with.",
            "Support through a transition.",
            "Friends who build things.",
            "Practice in hosting.",
        ]
    )
    profile.availability = _availability(rng)
    profile.pronouns = rng.choice(["", "she/her", "he/him", "they/them"])
    profile.availability_audience = rng.choice([Audience.CREWS, Audience.CONGREGATIONS])
    town = _town(rng.choice(plan.towns), plan.country)
    profile_town_set(profile=profile, town=town)
    profile.save()
    return person


def _verified_login(person: Person, password: str) -> None:
    person.set_password(password)
    person.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )


def demo_loaded() -> bool:
    return Group.objects.filter(slug=NETWORK_SLUG).exists()


@emails_held()
@transaction.atomic
def demo_network_load(*, seed: int = 2026) -> dict[str, int]:
    """Load the demo once; a second call changes nothing."""
    if demo_loaded():
        return {"loaded": 0}
    rng = random.Random(seed)
    steward = person_create(
        email="steward@demo.microsolidarity.local", password=None, display_name="Sam Steward"
    )
    steward.is_staff = True
    steward.save(update_fields=["is_staff"])
    network = group_create(
        by=steward,
        name="Microsolidarity Network",
        scale=Scale.NETWORK,
        join_policy=JoinPolicy.OPEN,
        description=(
            "A network of congregations learning from each other. Monthly calls, camps in summer."
        ),
        languages=["en"],
    )
    assert network.slug == NETWORK_SLUG
    number = 0
    for index, plan in enumerate(CONGREGATIONS):
        number += 1
        if index == 0:
            host = _person(rng, plan, number, email=DEMO_HOST_EMAIL, name="Helena Host")
            _verified_login(host, DEMO_HOST_PASSWORD)
        else:
            host = _person(rng, plan, number)
        membership_join(person=host, group=network)
        host_assign(by=steward, group=network, person=host, role=Role.STEWARD)
        congregation = group_create(
            by=host,
            name=plan.name,
            scale=Scale.CONGREGATION,
            parent=network,
            join_policy=plan.join_policy,
            description=plan.description,
            group_timezone=plan.timezone,
            languages=list(plan.languages),
            region=plan.region,
        )
        members = [host]
        for _ in range(PEOPLE_PER_CONGREGATION):
            number += 1
            if index == 0 and len(members) == 1:
                person = _person(rng, plan, number, email=DEMO_MEMBER_EMAIL, name="Mira Member")
                _verified_login(person, DEMO_MEMBER_PASSWORD)
            else:
                person = _person(rng, plan, number)
            if congregation.join_policy == JoinPolicy.OPEN:
                membership_join(person=person, group=congregation)
            else:
                result = membership_request(person=person, group=congregation)
                membership_approve(by=host, membership=result.membership)
            if rng.random() < 0.3:
                membership_join(person=person, group=network)
            members.append(person)
        # Partners are the congregation's core; the rest are friends.
        Membership.objects.filter(group=congregation, person__in=members[1:8]).update(
            tier=congregation.tiers[-1]
        )
        _crews(rng, congregation, members)
        _pending(rng, plan, congregation, host, number)
        number += 3
    demo_gatherings_load(rng, network)
    demo_crewing_load(rng, network)
    demo_programs_load(network, host_email=DEMO_HOST_EMAIL, member_email=DEMO_MEMBER_EMAIL)
    demo_participation_load(rng, network)
    demo_library_load(steward=steward, network=network)
    demo_network_map_load(rng, network)
    first = Group.objects.filter(parent=network, scale=Scale.CONGREGATION).order_by("pk").first()
    demo_moderation_load(first, reporter=Person.objects.get(email=DEMO_MEMBER_EMAIL))
    demo_outreach_load(network, first, member=Person.objects.get(email=DEMO_MEMBER_EMAIL))
    demo_notifications_load(host_email=DEMO_HOST_EMAIL, member_email=DEMO_MEMBER_EMAIL)
    demo_journal_load(emails=[DEMO_HOST_EMAIL, DEMO_MEMBER_EMAIL])
    return {"loaded": 1, "people": Person.objects.count(), "groups": Group.objects.count()}


def _crews(rng: random.Random, congregation: Group, members: list[Person]) -> None:
    """Crews in every state, some members still without a crew, and a few dyads."""
    pool = members[1:]
    rng.shuffle(pool)
    statuses = [Status.ACTIVE, Status.ACTIVE, Status.FORMING, Status.PAUSED, Status.CLOSED]
    names = ["Tuesday Tide", "Seed Crew", "Night Owls", "Makers", "Quiet Harbour"]
    for crew_number, status in enumerate(statuses):
        size = rng.randint(3, 5)
        people, pool = pool[:size], pool[size:]
        caller = people[0]
        crew = group_create(
            by=caller,
            name=f"{names[crew_number]} ({congregation.name.split()[0]})",
            scale=Scale.CREW,
            parent=congregation,
            join_policy=JoinPolicy.INVITATION,
            visibility=Visibility.PARENT,
            status=Status.FORMING if status == Status.FORMING else Status.ACTIVE,
            description="A peer-coaching crew: one meeting per member, each with one focus.",
        )
        for person in people[1:]:
            membership_invite(by=caller, group=crew, person=person)
            if status != Status.FORMING or rng.random() < 0.5:
                membership_accept(person=person, group=crew)
        if status in (Status.PAUSED, Status.CLOSED):
            Group.objects.filter(pk=crew.pk).update(status=status)
        if status == Status.CLOSED:
            Membership.objects.filter(group=crew).update(
                state=MembershipState.ALUMNI, ended_at=timezone.now(), role=Role.MEMBER
            )
    if congregation.name.startswith("Lisbon"):
        mira = next(p for p in members if p.email == DEMO_MEMBER_EMAIL)
        if not Membership.objects.filter(person=mira, group__scale=Scale.CREW).exists():
            crew = Group.objects.filter(parent=congregation, status=Status.ACTIVE).first()
            caller = crew.memberships.filter(role=Role.HOST).first().person
            membership_invite(by=caller, group=crew, person=mira)
    for _ in range(2):
        first, second, pool = pool[0], pool[1], pool[2:]
        dyad_create(by=first, partner=second, parent=congregation)


def _pending(
    rng: random.Random, plan: CongregationPlan, congregation: Group, host, number: int
) -> None:
    """A few people waiting for a host's answer, so the approve flow has something to show."""
    if congregation.join_policy != JoinPolicy.REQUEST:
        return
    for offset in range(1, 3):
        person = _person(rng, plan, number + offset + 500)
        membership_request(
            person=person, group=congregation, message="I met some of you at the last gathering."
        )
