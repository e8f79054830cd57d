"""Emails about places in a cohort: you're in (with every session as .ics), applications, no."""

from functools import partial

from django.utils.translation import gettext as _

from microsolidarity.gatherings.access import can_see_call_link
from microsolidarity.gatherings.feeds import gathering_ics
from microsolidarity.mail import Attachment, email_send, greeting
from microsolidarity.programs.cohorts import next_session, sessions_of
from microsolidarity.programs.models import Seat, SeatState
from microsolidarity.site import absolute_url
from microsolidarity.zones import person_zone


def _seat(seat_id: int) -> Seat | None:
    return (
        Seat.objects.select_related("person__profile", "cohort__series", "cohort__program")
        .filter(pk=seat_id)
        .first()
    )


def seat_email(*, seat_id: int) -> bool:
    """You have a place: the sessions still ahead in your own time zone, and all as .ics."""

    seat = _seat(seat_id)
    if seat is None or seat.state != SeatState.GOING:
        return False
    person, cohort = seat.person, seat.cohort
    zone = person_zone(person)
    sessions = sessions_of(cohort)
    upcoming = next_session(sessions)
    lines = [greeting(person), ""]
    lines.append(_("You have a place in %(cohort)s.") % {"cohort": cohort.title})
    if upcoming is not None:
        local = upcoming.starts_at.astimezone(zone)
        lines += [
            "",
            _("Your next session: %(number)s. %(title)s, %(when)s (%(zone)s).")
            % {
                "number": upcoming.number,
                "title": upcoming.module.title if upcoming.module else "",
                "when": f"{local:%A %d %B %Y, %H:%M}",
                "zone": zone.key,
            },
        ]
        for session in sessions[upcoming.number :]:
            when = session.starts_at.astimezone(zone)
            lines.append(f"  {session.number}. {when:%a %d %b, %H:%M}")
    if cohort.series.call_link and can_see_call_link(person, cohort.series):
        lines += ["", _("Call link: %(link)s") % {"link": cohort.series.call_link}]
    if cohort.contribution_url:
        lines += [
            "",
            _("Contribute: %(link)s") % {"link": cohort.contribution_url},
            cohort.contribution_note,
        ]
    lines += [
        "",
        _("Each session's page, with what to read and practise: %(link)s")
        % {"link": absolute_url(cohort.get_absolute_url())},
        _("The attached calendar file holds every session; your calendar feed has them too."),
    ]
    sessions_ics = partial(gathering_ics, cohort.series, viewer=person)
    email_send(
        to=[person.email],
        subject=_("You have a place in %(cohort)s") % {"cohort": cohort.title},
        lines=lines,
        attachments=[Attachment("sessions.ics", sessions_ics)],
    )
    return True


def application_email(*, seat_id: int) -> int:
    """Tell the facilitators someone applied; the answer is on the cohort page, not in mail."""
    seat = _seat(seat_id)
    if seat is None or seat.state != SeatState.APPLIED:
        return 0
    cohort = seat.cohort
    emails = [p.email for p in cohort.facilitators.all()]
    if not emails:
        return 0
    email_send(
        to=emails,
        subject=_("%(person)s applied to %(cohort)s") % {"person": seat.person, "cohort": cohort},
        body=_("Read the answer and say yes or not this time: %(link)s\n")
        % {"link": absolute_url(cohort.get_absolute_url()) + "#applications"},
    )
    return len(emails)


def declined_email(*, seat_id: int) -> bool:
    seat = _seat(seat_id)
    if seat is None or seat.state != SeatState.DECLINED:
        return False
    email_send(
        subject=_("About %(cohort)s") % {"cohort": seat.cohort},
        body=_(
            "Hello %(name)s,\n\nThe facilitators of %(cohort)s could not offer you a place "
            "this time. Other cohorts and the congregation's gatherings are open to you, and "
            "you are welcome to write to the facilitators.\n"
        )
        % {"name": seat.person, "cohort": seat.cohort},
        to=[seat.person.email],
    )
    return True
