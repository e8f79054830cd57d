"""Object permissions for participation: the functions in `access`, registered with `rules`."""

import rules

from microsolidarity.participation import access
from microsolidarity.predicates import object_predicate

rules.add_perm("participation.edit_contributions", object_predicate(access.can_edit_contributions))
rules.add_perm("participation.keep_money", object_predicate(access.is_treasurer))
rules.add_perm("participation.pledge", object_predicate(access.can_pledge))
rules.add_perm("participation.volunteer", object_predicate(access.can_volunteer))
rules.add_perm("participation.view_shelf", object_predicate(access.can_view_shelf))
rules.add_perm("participation.keep_copy", object_predicate(access.can_keep_copy))
