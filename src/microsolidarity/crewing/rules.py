"""Object permissions for crewing: the functions in `access`, registered with `rules`."""

import rules

from microsolidarity.crewing import access
from microsolidarity.predicates import object_predicate

rules.add_perm("crewing.use_crewing", object_predicate(access.can_use_crewing))
rules.add_perm("crewing.post_call", object_predicate(access.can_post_call))
rules.add_perm("crewing.view_call", object_predicate(access.can_view_call))
rules.add_perm("crewing.answer_call", object_predicate(access.is_caller))
rules.add_perm("crewing.express_interest", object_predicate(access.can_express_interest))
rules.add_perm("crewing.see_cycle", object_predicate(access.can_see_cycle))
rules.add_perm("crewing.record_attendance", object_predicate(access.can_record_attendance))
rules.add_perm("crewing.write_retrospective", object_predicate(access.can_write_retrospective))
rules.add_perm("crewing.read_retrospective", object_predicate(access.can_read_retrospective))
rules.add_perm("crewing.leave_crew", object_predicate(access.can_leave_crew))
rules.add_perm("crewing.write_templates", object_predicate(access.can_write_templates))
rules.add_perm("crewing.see_host_view", object_predicate(access.can_see_host_view))
rules.add_perm("crewing.host_round", object_predicate(access.may_host_round))
rules.add_perm("crewing.join_round", object_predicate(access.can_join_round))
rules.add_perm("crewing.see_round", object_predicate(access.can_see_round))
