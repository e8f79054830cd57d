"""Crew calls: someone invites, others express interest, the caller accepts and forms the crew.

Calling is an invitation, never an assignment. Saying no (the caller declining, or
someone withdrawing) is one click, and nobody but the two people concerned sees it.
Accepting claims a scarce seat, so it locks the call's row before counting.
"""

from datetime import date, datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microsolidarity.crewing import access, tasks
from microsolidarity.crewing.cycles import cycle_start, shared_start_find
from microsolidarity.crewing.meeting_length import meeting_length_check
from microsolidarity.crewing.models import (
    CONFIDENTIALITY,
    CallInterest,
    CallStatus,
    CrewCall,
    InterestState,
    MeetingTemplate,
    Rhythm,
)
from microsolidarity.crewing.notify import interest_shown_notify
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, JoinPolicy, Scale, Status, Visibility
from microsolidarity.groups.services import group_create, membership_accept, membership_invite
from microsolidarity.groups.sizes import size_rule
from microsolidarity.matching.availability import AvailabilityError, parse_availability
from microsolidarity.zones import zone_checked


def _lock(call: CrewCall) -> CrewCall:
    return (
        CrewCall.objects.select_for_update(of=("self",))
        .select_related("congregation", "caller", "template")
        .get(pk=call.pk)
    )


def _check_times(text: str) -> str:
    try:
        parse_availability(text)
    except AvailabilityError as error:
        raise RuleBroken(
            _("Write times like “tue 18:00-20:00; thu 07:00-09:00” (%(problem)s).")
            % {"problem": error.message},
            field="preferred_times",
        ) from error
    return text.strip()


def _check_template(template: MeetingTemplate | None, congregation: Group) -> None:
    if template is not None and not access.template_usable_in(template, congregation):
        raise RuleBroken(_("Choose a meeting format of this congregation."), field="template")


def accepted_count(call: CrewCall) -> int:
    return call.interests.filter(state=InterestState.ACCEPTED).count()


def waiting_count(call: CrewCall) -> int:
    """People in the crew-to-be or waiting for the caller's answer (the caller not counted)."""
    return call.interests.filter(
        state__in=(InterestState.INTERESTED, InterestState.ACCEPTED)
    ).count()


def _fields_check(
    *,
    congregation: Group,
    intention: str,
    rhythm: str,
    meeting_minutes,
    size_min: int,
    size_max: int,
    cycle_ends_on: date | None,
    template: MeetingTemplate | None,
) -> tuple[str, int]:
    """What a call says, checked the same way when it is posted and when it is changed."""
    intention = intention.strip()
    if not intention:
        raise RuleBroken(_("Say what the crew is for, in a line."), field="intention")
    if rhythm not in Rhythm.values:
        raise RuleBroken(_("Choose how often the crew meets."), field="rhythm")
    meeting_minutes = meeting_length_check(meeting_minutes)
    maximum = size_rule(Group(scale=Scale.CREW, parent=congregation)).maximum or 8
    if not 2 <= size_min <= size_max:
        raise RuleBroken(_("A crew is two or more, and the largest at least the smallest."))
    if size_max > maximum:
        raise RuleBroken(
            _("A crew here holds at most %(max)s people.") % {"max": maximum}, field="size_max"
        )
    if cycle_ends_on is not None and cycle_ends_on <= timezone.localdate():
        raise RuleBroken(_("Choose an end date that is still ahead."), field="cycle_ends_on")
    _check_template(template, congregation)
    return intention, meeting_minutes


@transaction.atomic
def call_post(
    *,
    by,
    congregation: Group,
    intention: str,
    description: str = "",
    rhythm: str = Rhythm.WEEKLY,
    meeting_minutes: int = 75,
    preferred_times: str = "",
    caller_timezone: str | None = None,
    cycle_ends_on: date | None = None,
    size_min: int = 3,
    size_max: int = 5,
    agreements: str | None = None,
    template: MeetingTemplate | None = None,
) -> CrewCall:
    """Post a call in a congregation: an invitation to form a crew."""
    if congregation.scale != Scale.CONGREGATION:
        raise RuleBroken(_("Crews are called in a congregation."))
    if congregation.status == Status.CLOSED:
        raise RuleBroken(_("%(name)s has closed.") % {"name": congregation.name})
    if not access.can_post_call(by, congregation):
        if group_access.is_active_member(by, congregation):
            raise NotAllowed(_("In %(name)s, the hosts call crews.") % {"name": congregation.name})
        raise NotAllowed(
            _("Join %(name)s first: calls are for its members.") % {"name": congregation.name}
        )
    intention, meeting_minutes = _fields_check(
        congregation=congregation,
        intention=intention,
        rhythm=rhythm,
        meeting_minutes=meeting_minutes,
        size_min=size_min,
        size_max=size_max,
        cycle_ends_on=cycle_ends_on,
        template=template,
    )
    zone = caller_timezone or getattr(getattr(by, "profile", None), "timezone", "") or "UTC"
    return CrewCall.objects.create(
        congregation=congregation,
        caller=by,
        intention=intention[:200],
        description=description.strip(),
        rhythm=rhythm,
        meeting_minutes=int(meeting_minutes),
        preferred_times=_check_times(preferred_times),
        timezone=zone_checked(zone).key,
        cycle_ends_on=cycle_ends_on,
        size_min=size_min,
        size_max=size_max,
        agreements=(str(CONFIDENTIALITY) if agreements is None else agreements.strip()),
        template=template,
    )


@transaction.atomic
def call_edit(
    *,
    by,
    call: CrewCall,
    intention: str,
    description: str,
    rhythm: str,
    meeting_minutes: int,
    preferred_times: str,
    caller_timezone: str,
    cycle_ends_on: date | None,
    size_min: int,
    size_max: int,
    agreements: str,
    template: MeetingTemplate | None,
) -> tuple[CrewCall, list[str]]:
    """The caller changes an open call; everyone interested keeps their place and is told.

    Returns the call and the changes in words (empty when nothing changed). The largest
    crew can't drop below the people already in or waiting for an answer, the caller
    included: nobody's interest is dropped by an edit.
    """
    call = _lock(call)
    if not access.is_caller(by, call):
        raise NotAllowed(_("Only the caller can change this call."))
    if call.status != CallStatus.OPEN:
        raise RuleBroken(_("This call is not open any more, so it stays as it was."))
    intention, meeting_minutes = _fields_check(
        congregation=call.congregation,
        intention=intention,
        rhythm=rhythm,
        meeting_minutes=meeting_minutes,
        size_min=size_min,
        size_max=size_max,
        cycle_ends_on=cycle_ends_on,
        template=template,
    )
    waiting = list(
        call.interests.filter(
            state__in=(InterestState.INTERESTED, InterestState.ACCEPTED)
        ).values_list("person_id", flat=True)
    )
    # The caller holds a seat too.
    if size_max < len(waiting) + 1:
        raise RuleBroken(
            ngettext(
                "%(count)s person has shown interest, so with you the crew is %(seats)s: keep "
                "the largest crew at %(seats)s or more, or answer them first.",
                "%(count)s people have shown interest, so with you the crew is %(seats)s: keep "
                "the largest crew at %(seats)s or more, or answer some of them first.",
                len(waiting),
            )
            % {"count": len(waiting), "seats": len(waiting) + 1},
            field="size_max",
        )
    wanted = {
        "intention": intention[:200],
        "description": description.strip(),
        "rhythm": rhythm,
        "meeting_minutes": meeting_minutes,
        "preferred_times": _check_times(preferred_times),
        "timezone": zone_checked(caller_timezone or call.timezone).key,
        "cycle_ends_on": cycle_ends_on,
        "size_min": size_min,
        "size_max": size_max,
        "agreements": agreements.strip(),
        "template": template,
    }
    changed = [name for name, value in wanted.items() if getattr(call, name) != value]
    if not changed:
        return call, []
    for name in changed:
        setattr(call, name, wanted[name])
    call.save(update_fields=changed)
    changes = _change_words(call, changed)
    if waiting:
        transaction.on_commit(
            partial(
                tasks.call_changed_notify.enqueue,
                call.pk,
                waiting,
                changes,
            )
        )
    return call, changes


def _change_words(call: CrewCall, changed: list[str]) -> list[str]:
    """Each change as the interested read it, in the caller's words and zone."""
    words: list[str] = []
    if "intention" in changed:
        words.append(_("What it is for: %(intention)s") % {"intention": call.intention})
    if "description" in changed:
        words.append(_("The description is new: read it on the call's page."))
    if "rhythm" in changed:
        words.append(_("How often: %(rhythm)s") % {"rhythm": call.get_rhythm_display()})
    if "meeting_minutes" in changed:
        words.append(_("Each meeting: %(minutes)s minutes") % {"minutes": call.meeting_minutes})
    if "preferred_times" in changed or "timezone" in changed:
        words.append(
            _("Preferred times: %(times)s (%(zone)s)")
            % {"times": call.preferred_times or _("none given"), "zone": call.timezone}
        )
    if "cycle_ends_on" in changed:
        words.append(
            _("The cycle ends on %(date)s") % {"date": call.cycle_ends_on}
            if call.cycle_ends_on
            else _("The cycle has no end date now")
        )
    if "size_min" in changed or "size_max" in changed:
        words.append(
            _("Size: %(min)s to %(max)s people") % {"min": call.size_min, "max": call.size_max}
        )
    if "agreements" in changed:
        words.append(_("The agreements changed: read them on the call's page."))
    if "template" in changed:
        words.append(
            _("Meeting format: %(name)s")
            % {"name": call.template.name if call.template else _("Case Clinic")}
        )
    return words


@transaction.atomic
def call_withdraw(*, by, call: CrewCall) -> CrewCall:
    """The caller takes the call back; those interested simply see it closed."""
    call = _lock(call)
    if not access.is_caller(by, call):
        raise NotAllowed(_("Only the caller can withdraw this call."))
    if call.status != CallStatus.OPEN:
        raise RuleBroken(_("This call is not open any more."))
    call.status = CallStatus.WITHDRAWN
    call.save(update_fields=["status"])
    return call


@transaction.atomic
def interest_express(*, person, call: CrewCall, message: str = "") -> CallInterest:
    call = _lock(call)
    if call.status != CallStatus.OPEN:
        raise RuleBroken(_("This call is not open any more."))
    if call.caller_id == person.pk:
        raise RuleBroken(_("You called this crew: you're in it already."))
    if not group_access.is_active_member(person, call.congregation):
        raise NotAllowed(
            _("Join %(name)s first: calls are for its members.") % {"name": call.congregation.name}
        )
    interest = CallInterest.objects.select_for_update().filter(call=call, person=person).first()
    if interest is not None and interest.state in (
        InterestState.INTERESTED,
        InterestState.ACCEPTED,
    ):
        raise RuleBroken(_("The caller has your interest already."))
    if interest is not None and interest.state == InterestState.DECLINED:
        raise RuleBroken(
            _("This crew won't fit this time. Other calls are open, or call your own.")
        )
    interest = interest or CallInterest(call=call, person=person)
    interest.message = message.strip()[:1000]
    interest.state = InterestState.INTERESTED
    interest.created_at = timezone.now()
    interest.answered_at = None
    interest.save()
    interest_shown_notify(interest=interest)
    return interest


@transaction.atomic
def interest_withdraw(*, person, call: CrewCall) -> CallInterest | None:
    """One click, no reason asked; the row disappears from every list, the caller's too."""
    call = _lock(call)
    if call.status != CallStatus.OPEN:
        raise RuleBroken(_("This call is not open any more: leave the crew from its page."))
    interest = CallInterest.objects.select_for_update().filter(call=call, person=person).first()
    if interest is None or interest.state == InterestState.WITHDRAWN:
        return interest
    interest.state = InterestState.WITHDRAWN
    interest.answered_at = timezone.now()
    interest.save(update_fields=["state", "answered_at"])
    return interest


def _answerable(by, interest: CallInterest) -> tuple[CrewCall, CallInterest]:
    call = _lock(interest.call)
    if not access.is_caller(by, call):
        raise NotAllowed(_("Only the caller answers interest in this call."))
    if call.status != CallStatus.OPEN:
        raise RuleBroken(_("This call is not open any more."))
    interest = CallInterest.objects.select_for_update().select_related("person").get(pk=interest.pk)
    if interest.state == InterestState.WITHDRAWN:
        raise RuleBroken(_("They withdrew their interest."))
    return call, interest


@transaction.atomic
def interest_accept(*, by, interest: CallInterest) -> CallInterest:
    """The caller says yes: a seat in the crew-to-be, if one is left."""
    call, interest = _answerable(by, interest)
    if interest.state == InterestState.ACCEPTED:
        return interest
    # The caller holds one seat.
    if accepted_count(call) + 1 >= call.size_max:
        raise RuleBroken(
            _("The crew is full at %(max)s: raise its size, or decline kindly.")
            % {"max": call.size_max}
        )
    if not group_access.is_active_member(interest.person, call.congregation):
        raise RuleBroken(
            _("%(person)s is no longer an active member of %(name)s.")
            % {"person": interest.person, "name": call.congregation.name}
        )
    interest.state = InterestState.ACCEPTED
    interest.answered_at = timezone.now()
    interest.save(update_fields=["state", "answered_at"])
    return interest


@transaction.atomic
def interest_decline(*, by, interest: CallInterest) -> CallInterest:
    """The caller says no, in one click; only the two of them know."""
    _call, interest = _answerable(by, interest)
    interest.state = InterestState.DECLINED
    interest.answered_at = timezone.now()
    interest.save(update_fields=["state", "answered_at"])
    return interest


def crew_people(call: CrewCall) -> list:
    """The caller first, then the accepted in the order they expressed interest."""
    accepted = [
        interest.person
        for interest in call.interests.filter(state=InterestState.ACCEPTED)
        .select_related("person", "person__profile")
        .order_by("created_at", "pk")
    ]
    return [call.caller, *accepted]


def first_meeting_suggest(call: CrewCall, *, now: datetime | None = None) -> datetime | None:
    """The best shared time of the people in the crew-to-be, from their stored availability."""
    return shared_start_find(
        people=crew_people(call),
        meeting_minutes=call.meeting_minutes,
        after=now or timezone.now(),
        preferred=(call.preferred_times, call.timezone) if call.preferred_times else None,
    )


@transaction.atomic
def call_crew_start(
    *,
    by,
    call: CrewCall,
    first_meeting_at: datetime | None = None,
    call_link: str = "",
    name: str = "",
) -> Group:
    """Start the crew: a crew group in the congregation, its members, and its first cycle.

    The accepted join by invitation (they asked, the caller said yes). The first meeting
    is at the best time everyone shares, unless the caller names one; when nobody shares
    a time the caller is asked to pick one.
    """
    call = _lock(call)
    if not access.is_caller(by, call):
        raise NotAllowed(_("Only the caller starts this crew."))
    if call.status != CallStatus.OPEN:
        raise RuleBroken(_("This call is not open any more."))
    people = crew_people(call)
    if len(people) < call.size_min:
        raise RuleBroken(
            _("The crew needs at least %(min)s people, you included: accept more, or lower it.")
            % {"min": call.size_min}
        )
    if first_meeting_at is None:
        first_meeting_at = first_meeting_suggest(call)
        if first_meeting_at is None:
            raise RuleBroken(
                _("We found no weekly time you all share: pick the first meeting's time."),
                field="first_meeting_at",
            )
    crew = group_create(
        by=call.caller,
        name=(name.strip() or call.intention)[:120],
        scale=Scale.CREW,
        parent=call.congregation,
        description=call.description,
        join_policy=JoinPolicy.INVITATION,
        visibility=Visibility.PARENT,
        group_timezone=call.timezone,
        status=Status.FORMING,
    )
    for person in people[1:]:
        membership_invite(by=call.caller, group=crew, person=person)
        membership_accept(person=person, group=crew)
    call.status = CallStatus.FORMED
    call.crew = crew
    call.save(update_fields=["status", "crew"])
    cycle = cycle_start(
        crew=crew,
        by=call.caller,
        first_meeting_at=first_meeting_at,
        rhythm=call.rhythm,
        meeting_minutes=call.meeting_minutes,
        template=call.template,
        call_link=call_link,
        agreements=call.agreements,
        call=call,
    )
    # The caller's end date holds when it is later than the last meeting.
    if call.cycle_ends_on is not None and call.cycle_ends_on > cycle.ends_on:
        cycle.ends_on = call.cycle_ends_on
        cycle.save(update_fields=["ends_on"])
    return crew
