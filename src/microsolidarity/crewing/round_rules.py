"""Who may see and do what in a formation round, as `rules` predicates."""

import rules

from microsolidarity.crewing.round_access import may_host_round
from microsolidarity.groups import access as group_access


@rules.predicate
def can_host_round(person, congregation) -> bool:
    return congregation is not None and may_host_round(person, congregation)


@rules.predicate
def can_join_round(person, congregation) -> bool:
    return congregation is not None and group_access.is_active_member(person, congregation)


@rules.predicate
def can_see_round(person, congregation) -> bool:
    return congregation is not None and (
        may_host_round(person, congregation) or group_access.is_member(person, congregation)
    )


rules.add_perm("crewing.host_round", can_host_round)
rules.add_perm("crewing.join_round", can_join_round)
rules.add_perm("crewing.see_round", can_see_round)
