"""Object permissions of the network app: the functions in `access`, registered with `rules`."""

import rules

from microsolidarity.network import access
from microsolidarity.predicates import object_predicate, person_predicate

rules.add_perm("network.manage_listing", object_predicate(access.can_manage_listing))
rules.add_perm("network.operate_federation", person_predicate(access.can_operate_federation))
