"""Object permissions of the network app, as `rules` predicates."""

import rules

from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Scale


@rules.predicate
def can_manage_listing(person, group) -> bool:
    """A congregation's hosts (and operators) decide how it shows in the directory."""
    return (
        group is not None
        and group.scale == Scale.CONGREGATION
        and group_access.can_manage(person, group)
    )


@rules.predicate
def can_operate_federation(person) -> bool:
    """Operators (staff) approve follows, follow remote groups and block servers."""
    return bool(getattr(person, "is_staff", False))


rules.add_perm("network.manage_listing", can_manage_listing)
rules.add_perm("network.operate_federation", can_operate_federation)
