"""Object permissions for groups: the functions in `access`, registered with `rules`."""

import rules

from microsolidarity.groups import access
from microsolidarity.predicates import object_predicate

rules.add_perm("groups.view_group", object_predicate(access.group_visible))
rules.add_perm("groups.manage_group", object_predicate(access.can_manage))
rules.add_perm("groups.invite_to_group", object_predicate(access.can_invite))
rules.add_perm("groups.see_members", object_predicate(access.members_visible))
