"""Who may do what in the library: plain functions, used by `rules.py`, views and the API."""

from django.db.models import Q
from django.utils.timezone import localdate

from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Membership, Role


def is_steward(person) -> bool:
    """Stewards of any group, in their term, look after the library (operators too)."""
    if person is None or not person.is_authenticated:
        return False
    if person.is_staff:
        return True
    cached = getattr(person, "_library_steward", None)
    if cached is None:
        cached = person._library_steward = (
            Membership.objects.filter(
                person=person, role=Role.STEWARD, state__in=Membership.MEMBER_STATES
            )
            .filter(Q(role_until__isnull=True) | Q(role_until__gte=localdate()))
            .exists()
        )
    return cached


def reading_list_visible(person, reading_list) -> bool:
    return group_access.group_visible(person, reading_list.owner)


def can_edit_reading_list(person, reading_list) -> bool:
    return group_access.can_manage(person, reading_list.owner)


def can_keep_reading_lists(person, group) -> bool:
    return group_access.can_manage(person, group)
