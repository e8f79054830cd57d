"""Object permissions for participation, as `rules` predicates over the functions in `access`."""

import rules

from microsolidarity.participation import access


@rules.predicate
def can_edit_contributions(person, group) -> bool:
    return group is not None and access.can_edit_contributions(person, group)


@rules.predicate
def is_treasurer(person, group) -> bool:
    return group is not None and access.is_treasurer(person, group)


@rules.predicate
def can_pledge(person, group) -> bool:
    return group is not None and access.can_pledge(person, group)


@rules.predicate
def can_volunteer(person, gathering) -> bool:
    return gathering is not None and access.can_volunteer(person, gathering)


@rules.predicate
def can_view_shelf(person, group) -> bool:
    return group is not None and access.can_view_shelf(person, group)


@rules.predicate
def can_keep_copy(person, copy) -> bool:
    return copy is not None and access.can_keep_copy(person, copy)


rules.add_perm("participation.edit_contributions", can_edit_contributions)
rules.add_perm("participation.keep_money", is_treasurer)
rules.add_perm("participation.pledge", can_pledge)
rules.add_perm("participation.volunteer", can_volunteer)
rules.add_perm("participation.view_shelf", can_view_shelf)
rules.add_perm("participation.keep_copy", can_keep_copy)
