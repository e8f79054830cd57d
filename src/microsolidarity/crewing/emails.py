"""Emails of the crewing loop: a cycle begins, a meeting is tomorrow, someone left, check in.

Each function takes ids or fresh rows, reads what it needs, and sends through Django's
mail layer. Times are written in the reader's own zone.
"""

from functools import partial

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from microsolidarity.crewing.models import CrewCall, CrewCycle, CrewMeeting, InterestState
from microsolidarity.crewing.retrospective_outcomes import outcome_text
from microsolidarity.gatherings.access import can_see_call_link
from microsolidarity.gatherings.feeds import occurrence_ics
from microsolidarity.groups.models import Group
from microsolidarity.mail import Attachment, email_send, greeting
from microsolidarity.people.models import Person
from microsolidarity.site import absolute_url
from microsolidarity.zones import moment_for


def _send(person, subject: str, lines: list[str], *, ics_of=None) -> None:
    attachments = []
    if ics_of is not None:
        attachments.append(
            Attachment("meeting.ics", partial(occurrence_ics, ics_of, viewer=person))
        )
    email_send(to=[person.email], subject=subject, lines=lines, attachments=attachments)


def _public(person: Person | None, missing: str) -> str:
    """Another member as the crew reads them: a name, never an email address."""
    return person.public_name if person is not None else missing


def _meetings(cycle: CrewCycle) -> list[CrewMeeting]:
    return list(
        cycle.meetings.select_related(
            "occurrence", "occurrence__gathering", "focus", "host"
        ).order_by("number")
    )


def _call_link_line(cycle: CrewCycle, person) -> list[str]:
    series = cycle.series
    if series is None or not series.call_link or not can_see_call_link(person, series):
        return []
    return [_("Call link: %(link)s") % {"link": series.call_link}]


def cycle_started_email_send(*, cycle_id: int) -> int:
    """Tell each member their cycle: every meeting's focus and host, the first as an .ics."""
    cycle = (
        CrewCycle.objects.select_related("crew", "series", "template").filter(pk=cycle_id).first()
    )
    if cycle is None:
        return 0
    meetings = _meetings(cycle)
    if not meetings:
        return 0
    members = [m.focus for m in meetings if m.focus is not None]
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for person in members:
            lines = [
                greeting(person),
                "",
                _("%(crew)s begins cycle %(number)s: one meeting for each of you as focus.")
                % {"crew": cycle.crew.name, "number": cycle.number},
                "",
            ]
            for meeting in meetings:
                lines.append(
                    _("%(number)s. %(when)s: focus %(focus)s, hosted by %(host)s")
                    % {
                        "number": meeting.number,
                        "when": moment_for(meeting.occurrence.starts_at, person),
                        "focus": _public(meeting.focus, _("(left)")),
                        "host": _public(meeting.host, _("(to be agreed)")),
                    }
                )
            lines += ["", *_call_link_line(cycle, person)]
            if cycle.template is not None:
                lines.append(_("Format: %(name)s") % {"name": cycle.template.name})
            if cycle.agreements:
                lines += ["", _("Our agreements:"), cycle.agreements]
            lines += ["", _("The cycle's page:"), absolute_url(cycle.get_absolute_url())]
            _send(
                person,
                _("Your crew's meetings: %(crew)s") % {"crew": cycle.crew.name},
                lines,
                ics_of=meetings[0].occurrence,
            )
            sent += 1
    return sent


def meeting_reminder_email_send(*, meeting: CrewMeeting, person) -> None:
    """A day before: who hosts, who is focus, and the call link."""
    cycle = meeting.cycle
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            greeting(person),
            "",
            _("%(crew)s meets tomorrow: %(when)s.")
            % {"crew": cycle.crew.name, "when": moment_for(meeting.occurrence.starts_at, person)},
            _("Focus: %(focus)s. Host and timekeeper: %(host)s.")
            % {
                "focus": _("you") if meeting.focus == person else _public(meeting.focus, "-"),
                "host": _("you") if meeting.host == person else _public(meeting.host, "-"),
            },
            *_call_link_line(cycle, person),
            "",
            _("The meeting's page, with its format:"),
            absolute_url(meeting.get_absolute_url()),
        ]
        _send(
            person,
            _("Tomorrow: %(crew)s, meeting %(number)s")
            % {"crew": cycle.crew.name, "number": meeting.number},
            lines,
            ics_of=meeting.occurrence,
        )


def _member_left_email(*, crew_name: str, leaver_name: str, changes: list[str], person) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            greeting(person),
            "",
            _("%(leaver)s has left %(crew)s. Thank them for the time you had together.")
            % {"leaver": leaver_name, "crew": crew_name},
        ]
        if changes:
            lines += ["", _("What changes in your cycle:"), *[f"- {line}" for line in changes]]
        _send(
            person,
            _("%(leaver)s left %(crew)s") % {"leaver": leaver_name, "crew": crew_name},
            lines,
        )


def member_left_email_send(
    *, crew_id: int, leaver_name: str, person_ids: list[int], changes: list[str]
) -> int:
    crew = Group.objects.filter(pk=crew_id).first()
    if crew is None:
        return 0
    people = Person.objects.filter(pk__in=person_ids)
    for person in people:
        _member_left_email(
            crew_name=crew.name, leaver_name=leaver_name, changes=changes, person=person
        )
    return len(people)


def check_in_email_send(*, crew, person, page_path: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            greeting(person),
            "",
            _(
                "A few months have passed in %(crew)s. How is the crew? A short check-in, "
                "or a retrospective, helps you choose together: continue, split, re-form or pause."
            )
            % {"crew": crew.name},
            "",
            absolute_url(page_path),
        ]
        _send(person, _("Time to check in: %(crew)s") % {"crew": crew.name}, lines)


def retrospective_closed_email_send(*, cycle_id: int) -> int:
    """Tell everyone who wrote a retrospective, or is still in the crew, that results are in."""
    cycle = CrewCycle.objects.select_related("crew").filter(pk=cycle_id).first()
    if cycle is None:
        return 0
    people = {r.person for r in cycle.retrospectives.select_related("person")}
    people |= {m.person for m in cycle.crew.memberships.current().select_related("person")}
    with translation.override(settings.LANGUAGE_CODE):
        for person in people:
            lines = [
                greeting(person),
                "",
                _("The retrospective of %(cycle)s is complete: read it together.")
                % {"cycle": cycle},
                outcome_text(cycle.outcome),
                "",
                absolute_url(cycle.get_absolute_url()),
            ]
            _send(person, _("Retrospective: %(crew)s") % {"crew": cycle.crew.name}, lines)
    return len(people)


def call_changed_email_send(*, call_id: int, person_ids: list[int], changes: list[str]) -> int:
    """Tell those interested in a call what its caller changed, and that their place stands."""
    call = CrewCall.objects.select_related("caller", "congregation").filter(pk=call_id).first()
    if call is None:
        return 0
    # Read at sending time: someone who withdrew meanwhile is not written to.
    interests = call.interests.filter(
        person_id__in=person_ids, state__in=(InterestState.INTERESTED, InterestState.ACCEPTED)
    ).select_related("person")
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for interest in interests:
            person = interest.person
            lines = [
                greeting(person),
                "",
                _("%(caller)s changed the crew call “%(call)s” in %(congregation)s:")
                % {
                    "caller": call.caller,
                    "call": call.intention,
                    "congregation": call.congregation.name,
                },
                *[f"- {change}" for change in changes],
                "",
                (
                    _("You are still in the crew-to-be: there is nothing you need to do.")
                    if interest.state == InterestState.ACCEPTED
                    else _("Your interest stands and the caller still sees it: nothing to do.")
                ),
                _(
                    "If it no longer suits you, you can withdraw quietly on the call's page; "
                    "only the caller will know."
                ),
                "",
                absolute_url(call.get_absolute_url()),
            ]
            _send(person, _("A crew call changed: %(call)s") % {"call": call.intention}, lines)
            sent += 1
    return sent
