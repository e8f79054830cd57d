"""Who may see, host and answer a gathering: plain functions for `rules.py`, views and the API."""

from microsolidarity.gatherings.models import (
    Audience,
    CallLinkAudience,
    Gathering,
    Occurrence,
    Rsvp,
    RsvpState,
)
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Scale
from microsolidarity.predicates import remembered


def is_gathering_host(person, gathering: Gathering) -> bool:
    if person is None or not person.is_authenticated:
        return False
    host_ids = remembered(
        gathering, "_host_ids", lambda: set(gathering.hosts.values_list("pk", flat=True))
    )
    return person.pk in host_ids


def gathering_visible(person, gathering: Gathering) -> bool:
    """Who can see the group sees its gatherings; a members' gathering only its members;
    one the hosts hid only its hosts (and operators, outside crews and dyads)."""
    if group_access.operates(person, gathering.group):
        return True
    if not group_access.group_visible(person, gathering.group):
        return False
    if gathering.hidden_at is not None and not group_access.can_moderate(person, gathering.group):
        return False
    if gathering.audience == Audience.MEMBERS:
        return group_access.is_member(person, gathering.group) or is_gathering_host(
            person, gathering
        )
    return True


def can_manage_gathering(person, gathering: Gathering) -> bool:
    """Its hosts and co-hosts, the group's hosts, and operators (never in a crew or dyad)."""
    return is_gathering_host(person, gathering) or group_access.can_manage(person, gathering.group)


def can_host_in(person, group: Group) -> bool:
    """Hosts call gatherings of their group; in a crew or dyad every active peer may."""
    if person is None or not person.is_authenticated:
        return False
    if group_access.can_manage(person, group):
        return True
    return group.scale in (Scale.CREW, Scale.DYAD) and group_access.is_active_member(person, group)


def can_rsvp(person, gathering: Gathering) -> bool:
    return person is not None and person.is_authenticated and gathering_visible(person, gathering)


def can_see_call_link(person, where: Gathering | Occurrence, *, going: bool | None = None) -> bool:
    """The call link is for who comes: people going to this occurrence (to any, for a whole
    gathering), or every member when the hosts chose so; its hosts always. Never anonymous
    visitors nor people outside the group, whatever the gathering's audience. `going`: what
    the page already knows of the person's RSVP (None: read it)."""
    gathering = where.gathering if isinstance(where, Occurrence) else where
    if person is None or not person.is_authenticated or not gathering_visible(person, gathering):
        return False
    if _call_link_whatever_answered(person, gathering):
        return True
    if going is not None:
        return going
    answers = Rsvp.objects.filter(person=person, state=RsvpState.GOING)
    if isinstance(where, Occurrence):
        return answers.filter(occurrence=where).exists()
    return answers.filter(occurrence__gathering=gathering).exists()


def call_link_settled(person, gathering: Gathering) -> bool:
    """Whether `person` sees the call link whatever they answer: its hosts, and members where
    the hosts chose so. False for anyone who may not see the gathering."""
    if person is None or not person.is_authenticated or not gathering_visible(person, gathering):
        return False
    return _call_link_whatever_answered(person, gathering)


def _call_link_whatever_answered(person, gathering: Gathering) -> bool:
    if can_manage_gathering(person, gathering):
        return True
    return gathering.call_link_audience == CallLinkAudience.MEMBERS and group_access.is_member(
        person, gathering.group
    )
