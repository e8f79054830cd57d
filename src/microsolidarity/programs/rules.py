"""Object permissions for programs and cohorts: the functions in `access`, registered."""

import rules

from microsolidarity.predicates import object_predicate
from microsolidarity.programs import access

rules.add_perm("programs.see_program", object_predicate(access.program_visible))
rules.add_perm("programs.manage_program", object_predicate(access.can_manage_program))
rules.add_perm("programs.see_cohort", object_predicate(access.cohort_visible))
rules.add_perm("programs.manage_cohort", object_predicate(access.can_manage_cohort))
rules.add_perm("programs.read_sessions", object_predicate(access.can_read_sessions))
