"""Object permissions for programs and cohorts, as `rules` predicates over `access`."""

import rules

from microsolidarity.programs import access


@rules.predicate
def can_see_program(person, program) -> bool:
    return access.program_visible(person, program)


@rules.predicate
def can_manage_program(person, program) -> bool:
    return access.can_manage_program(person, program)


@rules.predicate
def can_see_cohort(person, cohort) -> bool:
    return access.cohort_visible(person, cohort)


@rules.predicate
def can_manage_cohort(person, cohort) -> bool:
    return access.can_manage_cohort(person, cohort)


@rules.predicate
def can_read_sessions(person, cohort) -> bool:
    return access.can_read_sessions(person, cohort)


rules.add_perm("programs.see_program", can_see_program)
rules.add_perm("programs.manage_program", can_manage_program)
rules.add_perm("programs.see_cohort", can_see_cohort)
rules.add_perm("programs.manage_cohort", can_manage_cohort)
rules.add_perm("programs.read_sessions", can_read_sessions)
