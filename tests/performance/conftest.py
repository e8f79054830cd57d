"""A congregation that grows from 15 to 150 members, with its crews, gatherings and polls."""

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

_numbers = itertools.count(1)


@dataclass
class Evening:
    """The pages' subjects and the people who look at them; `grow_to` adds more of everything."""

    host: object
    member: object
    congregation: object
    crew: object
    gathering: object
    occurrence: object
    poll: object
    people: list = field(default_factory=list)
    crews: list = field(default_factory=list)

    def grow_to(self, members: int) -> None:
        from microsolidarity.gatherings.models import PollAnswer, Rsvp, RsvpState
        from microsolidarity.groups.models import JoinedVia, Membership, MembershipState, Scale
        from microsolidarity.groups.services import group_create
        from microsolidarity.journal.services import entry_create
        from microsolidarity.people.models import Person, Profile

        # Bulk rows: what is counted is the pages' queries, not how people arrived.
        start = len(self.people)
        new = Person.objects.bulk_create(
            [
                Person(email=f"grown{next(_numbers)}@example.org", display_name=f"Grown {n}")
                for n in range(start, members)
            ]
        )
        Profile.objects.bulk_create([Profile(person=person) for person in new])
        now = timezone.now()
        Membership.objects.bulk_create(
            [
                Membership(
                    group=self.congregation,
                    person=person,
                    state=MembershipState.ACTIVE,
                    joined_via=JoinedVia.OPEN,
                    started_at=now,
                )
                for person in new
            ]
        )
        self.people.extend(new)
        # A crew of five for every five members, gatherings and polls in proportion.
        for first in range(start - start % 5, members - 4, 5):
            crew = group_create(
                by=self.host,
                name=f"Crew {next(_numbers)}",
                scale=Scale.CREW,
                parent=self.congregation,
            )
            Membership.objects.bulk_create(
                [
                    Membership(
                        group=crew,
                        person=person,
                        state=MembershipState.ACTIVE,
                        joined_via=JoinedVia.OPEN,
                        started_at=now,
                    )
                    for person in self.people[first : first + 5]
                    # The host started the crew, so is in it already.
                    if person != self.host
                ]
            )
            self.crews.append(crew)
        for _ in range(max(1, (members - start) // 15)):
            _gathering(self.host, self.congregation, f"Circle {next(_numbers)}")
            _poll(self.host, self.congregation, f"When {next(_numbers)}?")
        Rsvp.objects.bulk_create(
            [
                Rsvp(occurrence=self.occurrence, person=person, state=RsvpState.GOING)
                for person in new
            ]
        )
        PollAnswer.objects.bulk_create(
            [
                PollAnswer(slot=slot, person=person, answer="yes")
                for slot in self.poll.slots.all()
                for person in new
            ]
        )
        for person in (self.host, self.member):
            for _ in range(max(1, (members - start) // 15)):
                entry_create(author=person, text=f"An evening note {next(_numbers)}.")


def _gathering(host, group, title: str):
    from microsolidarity.gatherings.services import gathering_create

    starts = timezone.now() + timedelta(days=2, hours=next(_numbers))
    return gathering_create(
        by=host,
        group=group,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        recurrence="FREQ=WEEKLY;COUNT=4",
        capacity=500,
    )


def _poll(host, group, title: str):
    from microsolidarity.gatherings.models import PollSlot, TimePoll

    poll = TimePoll.objects.create(
        group=group, title=title, duration=timedelta(hours=2), created_by=host
    )
    starts = timezone.now().replace(microsecond=0) + timedelta(days=5)
    for day in range(5):
        PollSlot.objects.create(
            poll=poll,
            starts_at=starts + timedelta(days=day),
            ends_at=starts + timedelta(days=day, hours=2),
        )
    return poll


@pytest.fixture
def evening(host, congregation, member, make_person):
    """15 members, three crews (the member in the first), a weekly gathering, an open poll."""
    from microsolidarity.dyads.services import program_save
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create, membership_join

    congregation.join_policy = "open"
    congregation.save(update_fields=["join_policy"])
    program_save(by=host, group=congregation, every_weeks=2, prompts="What is alive for you?")
    crew = group_create(by=host, name="First Crew", scale=Scale.CREW, parent=congregation)
    crew.join_policy = "open"
    crew.save(update_fields=["join_policy"])
    membership_join(person=member, group=crew)
    gathering = _gathering(host, congregation, "Evening circle")
    world = Evening(
        host=host,
        member=member,
        congregation=congregation,
        crew=crew,
        gathering=gathering,
        occurrence=gathering.occurrences.order_by("starts_at").first(),
        poll=_poll(host, congregation, "When shall we meet?"),
        people=[host, member],
    )
    world.grow_to(15)
    return world
