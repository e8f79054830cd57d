"""Object permissions for gatherings, as `rules` predicates over the functions in `access`."""

import rules

from microsolidarity.gatherings import access


@rules.predicate
def can_view_gathering(person, gathering) -> bool:
    return gathering is not None and access.gathering_visible(person, gathering)


@rules.predicate
def can_manage_gathering(person, gathering) -> bool:
    return gathering is not None and access.can_manage_gathering(person, gathering)


@rules.predicate
def can_rsvp_to_gathering(person, gathering) -> bool:
    return gathering is not None and access.can_rsvp(person, gathering)


@rules.predicate
def can_host_gathering_in(person, group) -> bool:
    return group is not None and access.can_host_in(person, group)


rules.add_perm("gatherings.view_gathering", can_view_gathering)
rules.add_perm("gatherings.manage_gathering", can_manage_gathering)
rules.add_perm("gatherings.rsvp_gathering", can_rsvp_to_gathering)
rules.add_perm("gatherings.host_gathering_in", can_host_gathering_in)
