"""Object permissions for groups, as `rules` predicates over the functions in `access`."""

import rules

from microsolidarity.groups import access


@rules.predicate
def can_view_group(person, group) -> bool:
    return group is not None and access.group_visible(person, group)


@rules.predicate
def can_manage_group(person, group) -> bool:
    return group is not None and access.can_manage(person, group)


@rules.predicate
def can_invite_to_group(person, group) -> bool:
    return group is not None and access.can_invite(person, group)


@rules.predicate
def can_see_members(person, group) -> bool:
    return group is not None and access.members_visible(person, group)


rules.add_perm("groups.view_group", can_view_group)
rules.add_perm("groups.manage_group", can_manage_group)
rules.add_perm("groups.invite_to_group", can_invite_to_group)
rules.add_perm("groups.see_members", can_see_members)
