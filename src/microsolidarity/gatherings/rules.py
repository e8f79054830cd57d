"""Object permissions for gatherings: the functions in `access`, registered with `rules`."""

import rules

from microsolidarity.gatherings import access
from microsolidarity.predicates import object_predicate

rules.add_perm("gatherings.view_gathering", object_predicate(access.gathering_visible))
rules.add_perm("gatherings.manage_gathering", object_predicate(access.can_manage_gathering))
rules.add_perm("gatherings.rsvp_gathering", object_predicate(access.can_rsvp))
rules.add_perm("gatherings.host_gathering_in", object_predicate(access.can_host_in))
