"""Who may see and do what with contributions, volunteer slots and the bookshelf: plain
functions for `rules.py`, the pages and the API."""

from microsolidarity.gatherings import access as gathering_access
from microsolidarity.gatherings.models import Gathering
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group
from microsolidarity.participation.models import Copy, Treasurer
from microsolidarity.predicates import remembered


def _signed_in(person) -> bool:
    return person is not None and person.is_authenticated


# Contributions: the page and the ledger are as open as the group; pledges are not.


def can_view_contributions(person, group: Group) -> bool:
    return group_access.group_visible(person, group)


def can_edit_contributions(person, group: Group) -> bool:
    return group_access.can_manage(person, group)


def is_treasurer(person, group: Group) -> bool:
    """Treasurers are appointed by name; hosting a group does not make one (nor does being
    an operator), so a pledge stays between the member and the people who keep the money."""
    if not _signed_in(person):
        return False
    cache: dict[int, bool] = remembered(person, "_treasurer_cache", dict)
    if group.pk not in cache:
        cache[group.pk] = Treasurer.objects.filter(group=group, person=person).exists()
    return cache[group.pk]


def can_pledge(person, group: Group) -> bool:
    return group_access.is_member(person, group)


def can_see_listed_pledges(person, group: Group) -> bool:
    """A listed pledge names a member: for the group's members, as member lists are."""
    return group_access.members_visible(person, group)


def can_set_camp_budget(person, gathering: Gathering) -> bool:
    return gathering_access.can_manage_gathering(person, gathering) or is_treasurer(
        person, gathering.group
    )


# Volunteering.


def can_volunteer(person, gathering: Gathering) -> bool:
    """Roles are taken by the group's members (and the gathering's hosts)."""
    if not gathering_access.gathering_visible(person, gathering):
        return False
    return group_access.is_member(person, gathering.group) or gathering_access.is_gathering_host(
        person, gathering
    )


def can_see_volunteers(person, gathering: Gathering) -> bool:
    """Who signed up is for the group's members and the hosts; others see counts."""
    return group_access.members_visible(person, gathering.group) or (
        gathering_access.is_gathering_host(person, gathering)
    )


def can_ask_for_buddy(person, gathering: Gathering) -> bool:
    """Newcomers most of all: anyone signed in who may answer the gathering."""
    return gathering_access.can_rsvp(person, gathering)


# The bookshelf: a group's shelf is for its members.


def can_view_shelf(person, group: Group) -> bool:
    return group_access.is_member(person, group) or group_access.can_manage(person, group)


def can_add_to_shelf(person, group: Group) -> bool:
    return group_access.is_member(person, group)


def can_borrow(person, copy: Copy) -> bool:
    return copy.owner_id != getattr(person, "pk", None) and group_access.is_member(
        person, copy.shelf
    )


def can_keep_copy(person, copy: Copy) -> bool:
    """Hands a copy over and takes it back: its owner, or the hosts for the group's own."""
    if not _signed_in(person):
        return False
    if copy.owner_id is not None:
        return copy.owner_id == person.pk
    return group_access.can_manage(person, copy.shelf)
