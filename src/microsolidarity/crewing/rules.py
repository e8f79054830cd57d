"""Object permissions for crewing, as `rules` predicates over the functions in `access`."""

import rules

from microsolidarity.crewing import (
    access,
    round_rules,  # noqa: F401 (importing it registers the formation rounds' permissions)
)


@rules.predicate
def can_use_crewing(person, congregation) -> bool:
    return congregation is not None and access.can_use_crewing(person, congregation)


@rules.predicate
def can_post_call(person, congregation) -> bool:
    return congregation is not None and access.can_post_call(person, congregation)


@rules.predicate
def can_view_call(person, call) -> bool:
    return call is not None and access.can_view_call(person, call)


@rules.predicate
def is_caller(person, call) -> bool:
    return call is not None and access.is_caller(person, call)


@rules.predicate
def can_express_interest(person, call) -> bool:
    return call is not None and access.can_express_interest(person, call)


@rules.predicate
def can_see_cycle(person, cycle) -> bool:
    return cycle is not None and access.can_see_cycle(person, cycle)


@rules.predicate
def can_record_attendance(person, meeting) -> bool:
    return meeting is not None and access.can_record_attendance(person, meeting)


@rules.predicate
def can_write_retrospective(person, cycle) -> bool:
    return cycle is not None and access.can_write_retrospective(person, cycle)


@rules.predicate
def can_read_retrospective(person, retrospective) -> bool:
    return retrospective is not None and access.can_read_retrospective(person, retrospective)


@rules.predicate
def can_leave_crew(person, crew) -> bool:
    return crew is not None and access.can_leave_crew(person, crew)


@rules.predicate
def can_write_templates(person, congregation) -> bool:
    return congregation is not None and access.can_write_templates(person, congregation)


@rules.predicate
def can_see_host_view(person, congregation) -> bool:
    return congregation is not None and access.can_see_host_view(person, congregation)


rules.add_perm("crewing.use_crewing", can_use_crewing)
rules.add_perm("crewing.post_call", can_post_call)
rules.add_perm("crewing.view_call", can_view_call)
rules.add_perm("crewing.answer_call", is_caller)
rules.add_perm("crewing.express_interest", can_express_interest)
rules.add_perm("crewing.see_cycle", can_see_cycle)
rules.add_perm("crewing.record_attendance", can_record_attendance)
rules.add_perm("crewing.write_retrospective", can_write_retrospective)
rules.add_perm("crewing.read_retrospective", can_read_retrospective)
rules.add_perm("crewing.leave_crew", can_leave_crew)
rules.add_perm("crewing.write_templates", can_write_templates)
rules.add_perm("crewing.see_host_view", can_see_host_view)
