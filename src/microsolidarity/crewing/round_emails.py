"""Emails when a formation round is published: your crew and why, or why not this time.

Each function takes ids, reads what it needs and sends through Django's mail layer;
times are written in the reader's own zone, and the first meeting comes as an .ics.
"""

from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from microsolidarity.crewing.models import CrewCycle, CrewMeeting, FormationRound, RoundUnplaced
from microsolidarity.crewing.round_reasons import change_words_to_you, reason_words_to_you
from microsolidarity.gatherings.feeds import occurrence_ics
from microsolidarity.groups.models import Group, Membership, MembershipState
from microsolidarity.mail import Attachment, email_send, greeting
from microsolidarity.people.languages import language_label
from microsolidarity.people.models import Person
from microsolidarity.site import absolute_url
from microsolidarity.text_input import unrepeated
from microsolidarity.zones import person_zone


def first_meeting(round_id: int, crew_id: int) -> CrewMeeting | None:
    cycle = (
        CrewCycle.objects.filter(crew_id=crew_id, formation_round_id=round_id)
        .order_by("number")
        .first()
    )
    if cycle is None:
        return None
    return (
        cycle.meetings.select_related("occurrence__gathering", "focus", "host")
        .order_by("number")
        .first()
    )


def why_lines(explanation: dict, person_id: int) -> list[str]:
    """The crew's "why", for one reader: shared times in their own zone first."""
    lines: list[str] = []
    local = (explanation.get("shared_times_local") or {}).get(str(person_id), "")
    zone = (explanation.get("timezones") or {}).get(str(person_id), "")
    if local:
        lines.append(
            _("Weekly times you all share, in your time (%(zone)s): %(times)s")
            % {"zone": zone, "times": local}
        )
    languages = explanation.get("languages") or []
    if languages:
        names = ", ".join(language_label(code) for code in languages)
        lines.append(_("Languages you share: %(list)s") % {"list": names})
    interests = explanation.get("interests") or []
    if interests:
        lines.append(_("Interests you share: %(list)s") % {"list": ", ".join(interests)})
    return lines


def crew_email_send(*, round_id: int, crew_id: int, person_id: int, explanation: dict) -> bool:
    """Tell one person their crew, why these people, and when the first meeting is (.ics)."""
    round_ = FormationRound.objects.select_related("congregation").filter(pk=round_id).first()
    crew = Group.objects.filter(pk=crew_id).first()
    person = Person.objects.select_related("profile").filter(pk=person_id).first()
    if round_ is None or crew is None or person is None:
        return False
    others = [
        membership.person
        for membership in Membership.objects.filter(group=crew, state=MembershipState.ACTIVE)
        .exclude(person=person)
        .select_related("person")
        .order_by("person__display_name")
    ]
    meeting = first_meeting(round_id, crew_id)
    zone = person_zone(
        person, confirmed=(explanation.get("timezones") or {}).get(str(person_id), "")
    )
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            greeting(person),
            "",
            _("The formation round “%(round)s” in %(congregation)s has found you a crew: %(crew)s.")
            % {"round": round_.title, "congregation": round_.congregation.name, "crew": crew.name},
            "",
            _("Your crew-mates:"),
            # Names only: addresses are each member's to share (the crew's page has a thread).
            *[f"  - {other.public_name}" for other in others],
            "",
            _("Why this crew:"),
            *[f"  - {line}" for line in why_lines(explanation, person_id)],
            "",
        ]
        if meeting is not None:
            starts = meeting.occurrence.starts_at.astimezone(zone)
            lines += [
                _("Proposed first meeting: %(when)s (%(zone)s), hosted by %(host)s.")
                % {
                    "when": f"{starts:%A %d %B %Y, %H:%M}",
                    "zone": zone.key,
                    "host": meeting.host.public_name if meeting.host else _("the crew"),
                },
                _("It is attached as a calendar file; any of you can move it if it doesn't suit."),
                "",
            ]
        lines += [
            _("Your crew's page: %(link)s") % {"link": absolute_url(crew.get_absolute_url())},
            _("The round: %(link)s")
            % {"link": absolute_url(reverse("round_detail", args=[round_id]))},
        ]
        attachments = []
        if meeting is not None:
            ics = partial(occurrence_ics, meeting.occurrence, viewer=person)
            attachments.append(Attachment("first-meeting.ics", ics))
        email_send(
            to=[person.email],
            subject=_("Your crew from %(round)s: %(crew)s")
            % {"round": round_.title, "crew": unrepeated(crew.name, after=round_.title)},
            lines=lines,
            attachments=attachments,
        )
    return True


def unplaced_email_send(*, round_id: int, person_id: int) -> bool:
    """Tell someone kindly that no crew was found for them this time, why, and what would help.

    The engine's reason and its one change that would place them are written to the
    reader ("you"); without a stored reason the email says only what often helps.
    """
    round_ = FormationRound.objects.select_related("congregation").filter(pk=round_id).first()
    person = Person.objects.filter(pk=person_id).first()
    if round_ is None or person is None:
        return False
    row = RoundUnplaced.objects.filter(round=round_, person=person).first()
    code, detail = (row.code, row.detail or {}) if row is not None else ("", {})
    with translation.override(settings.LANGUAGE_CODE):
        reason = reason_words_to_you(code, detail)
        change = change_words_to_you(detail)
        lines = [
            greeting(person),
            "",
            _(
                "The formation round “%(round)s” in %(congregation)s is published, and this "
                "time it could not place you in a crew."
            )
            % {"round": round_.title, "congregation": round_.congregation.name},
        ]
        if reason:
            lines += ["", _("Why: %(reason)s") % {"reason": reason}]
        if change:
            lines.append(_("What would place you: %(change)s") % {"change": change})
        lines += [
            "",
            (
                _(
                    "You can change the times and languages you give when you sign up for the "
                    "next round. Meanwhile you can answer or post a crew call."
                )
                if reason or change
                else _(
                    "More weekly availability or another shared language often helps. You can "
                    "also answer or post a crew call, and you will be invited to the next round."
                )
            ),
            "",
            _("%(congregation)s: %(link)s")
            % {
                "congregation": round_.congregation.name,
                "link": absolute_url(round_.congregation.get_absolute_url()),
            },
        ]
        email_send(
            to=[person.email],
            subject=_("No crew this round in %(congregation)s")
            % {"congregation": round_.congregation.name},
            lines=lines,
        )
    return True
