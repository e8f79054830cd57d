"""Registration for camps and multi-day gatherings: answers to the hosts' questions, and the
hosts' export of who is coming, in waitlist order.

Seats and the waitlist are `rsvp.py`'s: registering is saying "going" with answers.
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed
from microsolidarity.gatherings import access
from microsolidarity.gatherings.models import Gathering, Occurrence, Rsvp, RsvpState
from microsolidarity.zones import zone_named

# Going first, then the waitlist in the order it is promoted, then those who said no.
STATE_ORDER: dict[str, int] = {RsvpState.GOING: 0, RsvpState.WAITLISTED: 1, RsvpState.NOT_GOING: 2}
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Registration:
    rsvp: Rsvp
    waitlist_position: int | None


def registration_questions(gathering: Gathering) -> list[dict]:
    """The gathering's questions as {"key", "label", "required"}, in the hosts' order."""
    return [
        {
            "key": question["key"],
            "label": question.get("label") or question["key"],
            "required": bool(question.get("required")),
        }
        for question in gathering.registration_questions or []
        if isinstance(question, dict) and question.get("key")
    ]


def registrations_for(*, by, gathering: Gathering, occurrence: Occurrence | None = None):
    """Everyone who answered, for the hosts: going, then the waitlist in order, then not going."""
    if not access.can_manage_gathering(by, gathering):
        raise NotAllowed(
            _("Only the hosts of %(title)s can see who registered.") % {"title": gathering.title}
        )
    rsvps = Rsvp.objects.filter(occurrence__gathering=gathering).select_related(
        "person", "occurrence"
    )
    if occurrence is not None:
        rsvps = rsvps.filter(occurrence=occurrence)
    rows = sorted(
        rsvps,
        key=lambda r: (
            r.occurrence.starts_at,
            r.occurrence_id,
            STATE_ORDER[r.state],
            r.queued_at,
            r.pk,
        ),
    )
    registrations, place, last_occurrence = [], 0, None
    for row in rows:
        if row.occurrence_id != last_occurrence:
            place, last_occurrence = 0, row.occurrence_id
        position = None
        if row.state == RsvpState.WAITLISTED:
            place += 1
            position = place
        registrations.append(Registration(row, position))
    return registrations


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cells(*values) -> list[str]:
    return [_cell(value) for value in values]


def registrations_csv(*, by, gathering: Gathering, occurrence: Occurrence | None = None) -> str:
    """The hosts' list as CSV: name, email, state, waitlist place, time, and each answer."""
    questions = registration_questions(gathering)
    registrations = registrations_for(by=by, gathering=gathering, occurrence=occurrence)
    zone = zone_named(gathering.timezone)
    out = io.StringIO()
    writer = csv.writer(out)
    # Every cell is escaped, the header too: hosts write the question texts it holds.
    writer.writerow(
        _cells(
            _("Name"),
            _("Email"),
            _("State"),
            _("Waitlist place"),
            _("Starts (%(zone)s)") % {"zone": gathering.timezone},
            _("Answered at (UTC)"),
            *(question["label"] for question in questions),
        )
    )
    for registration in registrations:
        row = registration.rsvp
        writer.writerow(
            _cells(
                row.person,
                row.person.email,
                RsvpState(row.state).label,
                registration.waitlist_position or "",
                timezone.localtime(row.occurrence.starts_at, zone).strftime("%Y-%m-%d %H:%M"),
                row.queued_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                *(row.answers.get(question["key"], "") for question in questions),
            )
        )
    return out.getvalue()


def registrations_filename(gathering: Gathering, occurrence: Occurrence | None = None) -> str:
    """Only letters, digits and dashes: safe in a Content-Disposition header on any system."""
    base = slugify(gathering.slug)[:80] or "gathering"
    if occurrence is not None:
        local = timezone.localtime(occurrence.starts_at, zone_named(gathering.timezone))
        base += f"-{local:%Y-%m-%d}"
    return f"{base}-registrations.csv"
