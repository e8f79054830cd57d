"""Object permissions for the library: the functions in `access`, registered with `rules`."""

import rules

from microsolidarity.library import access
from microsolidarity.predicates import object_predicate, person_predicate

rules.add_perm("library.edit_library", person_predicate(access.is_steward))
rules.add_perm("library.view_reading_list", object_predicate(access.reading_list_visible))
rules.add_perm("library.edit_reading_list", object_predicate(access.can_edit_reading_list))
