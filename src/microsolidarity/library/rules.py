"""Object permissions for the library, as `rules` predicates over the functions in `access`."""

import rules

from microsolidarity.library import access


@rules.predicate
def can_edit_library(person) -> bool:
    return access.is_steward(person)


@rules.predicate
def can_view_reading_list(person, reading_list) -> bool:
    return reading_list is not None and access.reading_list_visible(person, reading_list)


@rules.predicate
def can_edit_reading_list(person, reading_list) -> bool:
    return reading_list is not None and access.can_edit_reading_list(person, reading_list)


rules.add_perm("library.edit_library", can_edit_library)
rules.add_perm("library.view_reading_list", can_view_reading_list)
rules.add_perm("library.edit_reading_list", can_edit_reading_list)
