"""Object permissions for pairing programs and check-ins, as `rules` predicates over `access`."""

import rules

from microsolidarity.dyads import access


@rules.predicate
def can_manage_program(person, group) -> bool:
    return access.can_manage_program(person, group)


@rules.predicate
def can_join_program(person, group) -> bool:
    return access.can_join_program(person, group)


@rules.predicate
def can_read_checkins(person, group) -> bool:
    return access.was_in_pair(person, group)


@rules.predicate
def can_write_checkin(person, group) -> bool:
    return access.is_in_pair(person, group)


rules.add_perm("dyads.manage_program", can_manage_program)
rules.add_perm("dyads.join_program", can_join_program)
# Rules, not perms: a superuser must not pass them through ModelBackend. Private to the pair.
rules.add_rule("dyads.read_checkins", can_read_checkins)
rules.add_rule("dyads.write_checkin", can_write_checkin)
