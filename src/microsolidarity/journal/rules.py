"""The journal's one rule, `access.is_author`, registered with `rules`."""

import rules

from microsolidarity.journal import access
from microsolidarity.predicates import object_predicate

# A rule, not a perm: `has_perm` would let any superuser through via ModelBackend.
rules.add_rule("journal.is_author", object_predicate(access.is_author))
