"""Object permissions for pairing programs and check-ins: `access`, registered with `rules`."""

import rules

from microsolidarity.dyads import access
from microsolidarity.predicates import object_predicate

rules.add_perm("dyads.manage_program", object_predicate(access.can_manage_program))
rules.add_perm("dyads.join_program", object_predicate(access.can_join_program))
rules.add_perm("dyads.see_program", object_predicate(access.can_see_program))
# Rules, not perms: a superuser must not pass them through ModelBackend. Private to the pair.
rules.add_rule("dyads.read_checkins", object_predicate(access.was_in_pair))
rules.add_rule("dyads.write_checkin", object_predicate(access.is_in_pair))
