"""Builders for formation-round tests: members who sign up, a round, a formed proposal."""

from datetime import timedelta

from django.utils import timezone

from microsolidarity.crewing.round_lifecycle import round_open, round_opt_in
from microsolidarity.groups.services import membership_approve, membership_request

EVENINGS = "mon-fri 18:00-21:00"


def join(person, congregation, host):
    result = membership_request(person=person, group=congregation)
    membership_approve(by=host, membership=result.membership)
    return person


def open_round(host, congregation, **options):
    options.setdefault("title", "Spring crews")
    options.setdefault("deadline", timezone.now() + timedelta(days=7))
    options.setdefault("size_min", 3)
    options.setdefault("size_max", 4)
    return round_open(by=host, congregation=congregation, **options)


def sign_up(round_, person, **details):
    details.setdefault("timezone_name", "Europe/Berlin")
    details.setdefault("languages", ["en"])
    details.setdefault("interests", ["gardening"])
    details.setdefault("availability", EVENINGS)
    return round_opt_in(person=person, formation_round=round_, **details)


def members_signed_up(round_, congregation, host, make_person, names, **details):
    """Active members of the congregation who signed up for the round, in the order given."""
    people = []
    for name in names:
        person = join(make_person(name), congregation, host)
        sign_up(round_, person, **details)
        people.append(person)
    return people


def crews_of(round_):
    """The proposal as sets of display names, in crew order."""
    return [
        {placement.person.display_name for placement in crew.placements.select_related("person")}
        for crew in round_.proposed_crews.all()
    ]
