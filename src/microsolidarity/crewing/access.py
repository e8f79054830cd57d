"""Who may see and do what in the crewing loop: plain functions for `rules.py` and the views.

Private by default: a crew's meetings, attendance and retrospectives are for the people
in it. A congregation's hosts see only the retrospectives members chose to share, and
only once the crew has seen them together. Operators get no back door here.
"""

from django.db.models import Q

from microsolidarity.crewing.models import (
    CallsBy,
    CallStatus,
    CrewCall,
    CrewCycle,
    CrewingSettings,
    CrewMeeting,
    InterestState,
    MeetingTemplate,
    Retrospective,
)
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Scale
from microsolidarity.predicates import remembered


def _signed_in(person) -> bool:
    return person is not None and person.is_authenticated


def crewing_settings(congregation: Group) -> CrewingSettings:
    """The congregation's crewing settings, or the defaults when it has none (not saved)."""
    found = CrewingSettings.objects.filter(congregation=congregation).first()
    return found or CrewingSettings(congregation=congregation)


def is_congregation_host(person, congregation: Group) -> bool:
    return _signed_in(person) and (
        getattr(person, "is_staff", False) or group_access.is_host(person, congregation)
    )


def can_use_crewing(person, congregation: Group) -> bool:
    """The congregation's crewing page is for its members (and its hosts)."""
    return (
        _signed_in(person)
        and congregation.scale == Scale.CONGREGATION
        and (
            group_access.is_member(person, congregation)
            or is_congregation_host(person, congregation)
        )
    )


def can_post_call(person, congregation: Group) -> bool:
    if not _signed_in(person) or congregation.scale != Scale.CONGREGATION:
        return False
    if not group_access.is_active_member(person, congregation):
        return getattr(person, "is_staff", False)
    if crewing_settings(congregation).calls_by == CallsBy.HOSTS:
        return group_access.is_host(person, congregation)
    return True


def can_view_call(person, call: CrewCall) -> bool:
    """The caller and the congregation's members; once hosts hid it, only the hosts."""
    if not _signed_in(person):
        return False
    if call.hidden_at is not None:
        return group_access.is_member(person, call.congregation) and group_access.can_moderate(
            person, call.congregation
        )
    return call.caller_id == person.pk or group_access.is_member(person, call.congregation)


def is_caller(person, call: CrewCall) -> bool:
    return _signed_in(person) and call.caller_id == person.pk


def can_express_interest(person, call: CrewCall) -> bool:
    return (
        _signed_in(person)
        and call.status == CallStatus.OPEN
        and call.caller_id != person.pk
        and group_access.is_active_member(person, call.congregation)
    )


def interest_rows_for(person, call: CrewCall):
    """The interest rows this person may see: the caller sees all but withdrawals; others only
    who was accepted, and their own row. Declines and withdrawals are never shown publicly."""
    rows = call.interests.select_related("person")
    if is_caller(person, call):
        return rows.exclude(state=InterestState.WITHDRAWN)
    if not _signed_in(person):
        return rows.none()
    return rows.filter(Q(state=InterestState.ACCEPTED) | Q(person=person))


def is_crew_member(person, crew: Group) -> bool:
    return group_access.is_member(person, crew)


def took_part(person, cycle: CrewCycle) -> bool:
    """In the crew now, or in this cycle as focus or with a retrospective (alumni included)."""
    if not _signed_in(person):
        return False
    if is_crew_member(person, cycle.crew):
        return True

    def part_ids() -> set[int]:
        focus = set(cycle.meetings.values_list("focus_id", flat=True))
        wrote = set(cycle.retrospectives.values_list("person_id", flat=True))
        return (focus | wrote) - {None}

    return person.pk in remembered(cycle, "_part_ids", part_ids)


def can_see_cycle(person, cycle: CrewCycle) -> bool:
    """Meetings, who is focus and host, attendance and notes: the crew's own."""
    return took_part(person, cycle)


def can_record_attendance(person, meeting: CrewMeeting) -> bool:
    return _signed_in(person) and group_access.is_active_member(person, meeting.cycle.crew)


def can_write_retrospective(person, cycle: CrewCycle) -> bool:
    return (
        _signed_in(person)
        and cycle.closed_at is None
        and group_access.is_active_member(person, cycle.crew)
    )


def results_revealed(cycle: CrewCycle) -> bool:
    """The crew sees the retrospectives together, once all answered or someone closed it."""
    return cycle.closed_at is not None


def can_read_retrospective(person, retrospective: Retrospective) -> bool:
    if not _signed_in(person):
        return False
    if retrospective.person_id == person.pk:
        return True
    cycle = retrospective.cycle
    if not results_revealed(cycle):
        return False
    if took_part(person, cycle):
        return True
    congregation = cycle.crew.parent
    return (
        retrospective.share_with_hosts
        and congregation is not None
        and group_access.is_host(person, congregation)
    )


def can_leave_crew(person, crew: Group) -> bool:
    return _signed_in(person) and is_crew_member(person, crew)


def can_write_templates(person, congregation: Group) -> bool:
    return is_congregation_host(person, congregation)


def template_usable_in(template: MeetingTemplate, congregation: Group) -> bool:
    return template.congregation_id is None or template.congregation_id == congregation.pk


def can_see_host_view(person, congregation: Group) -> bool:
    return congregation.scale == Scale.CONGREGATION and is_congregation_host(person, congregation)


# Formation rounds: hosts run them, active members sign up, members follow them.


def may_host_round(person, congregation: Group) -> bool:
    return group_access.can_manage(person, congregation)


def can_join_round(person, congregation: Group) -> bool:
    return group_access.is_active_member(person, congregation)


def can_see_round(person, congregation: Group) -> bool:
    return may_host_round(person, congregation) or group_access.is_member(person, congregation)
