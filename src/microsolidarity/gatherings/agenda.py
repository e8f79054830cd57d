"""Open-space agenda: participants propose sessions, others show interest, hosts place them.

Placing a session claims a room for a time, so it locks the occurrence row before it
looks for a session already there (the same discipline as seats in `rsvp.py`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.gatherings import access
from microsolidarity.gatherings.models import (
    AgendaSession,
    Gathering,
    Occurrence,
    OccurrenceStatus,
    Rsvp,
    RsvpState,
)
from microsolidarity.groups import access as group_access
from microsolidarity.zones import zone_named

MAX_ROOMS = 40
MAX_ROOM_NAME = 80


@dataclass(frozen=True)
class ScheduleRow:
    """One start time of the printable schedule: a session (or None) per room."""

    starts_at: datetime
    cells: list[AgendaSession | None]


def room_names(gathering: Gathering) -> list[str]:
    """Rooms are kept as names; a {"name": ...} entry is read too."""
    names = []
    for room in gathering.rooms or []:
        name = room.get("name", "") if isinstance(room, dict) else str(room)
        if name.strip():
            names.append(name.strip())
    return names


def agenda_can_take_part(person, occurrence: Occurrence) -> bool:
    """Who is coming (going or waiting), members of the group, and the hosts."""
    if person is None or not person.is_authenticated:
        return False
    gathering = occurrence.gathering
    if not access.gathering_visible(person, gathering):
        return False
    if access.can_manage_gathering(person, gathering) or group_access.is_member(
        person, gathering.group
    ):
        return True
    return Rsvp.objects.filter(
        occurrence=occurrence,
        person=person,
        state__in=(RsvpState.GOING, RsvpState.WAITLISTED),
    ).exists()


def _require_part(person, occurrence: Occurrence) -> None:
    if not agenda_can_take_part(person, occurrence):
        raise NotAllowed(
            _("Say you're going to %(title)s to propose sessions or show interest.")
            % {"title": occurrence.gathering.title}
        )
    if occurrence.status == OccurrenceStatus.CANCELLED:
        raise RuleBroken(_("This gathering is cancelled."))


def _require_host(person, occurrence: Occurrence) -> None:
    if not access.can_manage_gathering(person, occurrence.gathering):
        raise NotAllowed(_("Only the hosts place sessions in the schedule."))


@transaction.atomic
def session_propose(
    *, by, occurrence: Occurrence, title: str, description: str = ""
) -> AgendaSession:
    """Propose a session; the one who proposes it is its first interested person."""
    _require_part(by, occurrence)
    title = title.strip()
    if not title:
        raise RuleBroken(_("Give the session a title, like 'Rest and play'."), field="title")
    if len(title) > 140:
        raise RuleBroken(_("Keep the title under 140 characters."), field="title")
    session = AgendaSession.objects.create(
        occurrence=occurrence, proposed_by=by, title=title, description=description.strip()
    )
    session.interested.add(by)
    return session


@transaction.atomic
def session_interest(*, person, session: AgendaSession, interested: bool | None = None) -> bool:
    """Show or withdraw interest (toggles when `interested` is None); returns the new state."""
    _require_part(person, session.occurrence)
    now_interested = session.interested.filter(pk=person.pk).exists()
    wanted = (not now_interested) if interested is None else interested
    if wanted and not now_interested:
        session.interested.add(person)
    elif not wanted and now_interested:
        session.interested.remove(person)
    return wanted


@transaction.atomic
def session_place(
    *, by, session: AgendaSession, starts_at: datetime, ends_at: datetime, room: str = ""
) -> AgendaSession:
    """Put a session in a time and a room of the gathering; a room holds one session at a time."""
    occurrence = session.occurrence
    _require_host(by, occurrence)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("session_place takes aware datetimes")
    if ends_at <= starts_at:
        raise RuleBroken(_("The session ends before it starts."), field="ends_at")
    if starts_at < occurrence.starts_at or ends_at > occurrence.ends_at:
        raise RuleBroken(_("Place the session within the gathering's own time."), field="starts_at")
    rooms = room_names(occurrence.gathering)
    room = room.strip()
    if rooms and room not in rooms:
        raise RuleBroken(
            _("Choose one of the rooms: %(rooms)s.") % {"rooms": ", ".join(rooms)}, field="room"
        )
    if not rooms and room:
        raise RuleBroken(_("This gathering has no rooms yet: name them first."), field="room")
    Occurrence.objects.select_for_update(of=("self",)).get(pk=occurrence.pk)
    if room:
        taken = (
            AgendaSession.objects.filter(
                occurrence=occurrence,
                room=room,
                starts_at__lt=ends_at,
                ends_at__gt=starts_at,
            )
            .exclude(pk=session.pk)
            .first()
        )
        if taken is not None:
            zone = zone_named(occurrence.gathering.timezone)
            raise Conflict(
                _(
                    "%(room)s is taken then by “%(title)s” (%(start)s–%(end)s). Choose another "
                    "room or time."
                )
                % {
                    "room": room,
                    "title": taken.title,
                    "start": timezone.localtime(taken.starts_at, zone).strftime("%H:%M"),
                    "end": timezone.localtime(taken.ends_at, zone).strftime("%H:%M"),
                },
                field="room",
            )
    session.starts_at, session.ends_at, session.room = starts_at, ends_at, room
    try:
        with transaction.atomic():
            session.save(update_fields=["starts_at", "ends_at", "room"])
    except IntegrityError:
        raise Conflict(
            _("%(room)s was just taken at that time. Choose another room or time.")
            % {"room": room},
            field="room",
        ) from None
    return session


@transaction.atomic
def session_unplace(*, by, session: AgendaSession) -> AgendaSession:
    """Take a session out of the schedule; it stays proposed, with its interest."""
    _require_host(by, session.occurrence)
    session.starts_at = session.ends_at = None
    session.room = ""
    session.save(update_fields=["starts_at", "ends_at", "room"])
    return session


@transaction.atomic
def agenda_rooms_set(*, by, gathering: Gathering, rooms: list[str]) -> list[str]:
    """Name the rooms; a room that still holds a session can't be removed."""
    if not access.can_manage_gathering(by, gathering):
        raise NotAllowed(_("Only the hosts name the rooms."))
    names = list(dict.fromkeys(name.strip() for name in rooms if name.strip()))
    if len(names) > MAX_ROOMS:
        raise RuleBroken(_("Name at most %(n)d rooms.") % {"n": MAX_ROOMS}, field="rooms")
    if any(len(name) > MAX_ROOM_NAME for name in names):
        raise RuleBroken(
            _("Keep each room's name under %(n)d characters.") % {"n": MAX_ROOM_NAME},
            field="rooms",
        )
    in_use = set(
        AgendaSession.objects.filter(occurrence__gathering=gathering)
        .exclude(room="")
        .values_list("room", flat=True)
    )
    still = sorted(in_use - set(names))
    if still:
        raise RuleBroken(
            _("Sessions are still placed in %(rooms)s: move them first.")
            % {"rooms": ", ".join(still)},
            field="rooms",
        )
    gathering.rooms = names
    gathering.save(update_fields=["rooms"])
    return names


def agenda_sessions(occurrence: Occurrence, viewer=None):
    """Sessions with their interest counts, placed ones first in time and room order; one the
    hosts hid only for those who moderate the gathering's group."""
    sessions = AgendaSession.objects.filter(occurrence=occurrence)
    if sessions_hidden_from(viewer, occurrence):
        sessions = sessions.filter(hidden_at__isnull=True)
    return (
        sessions.select_related("proposed_by")
        .annotate(interest_count=Count("interested"))
        .order_by("starts_at", "room", "-interest_count", "created_at")
    )


def sessions_hidden_from(viewer, occurrence: Occurrence) -> bool:
    """Whether hidden sessions are left out for this viewer (all but hosts and operators)."""
    return not group_access.can_moderate(viewer, occurrence.gathering.group)


def agenda_schedule(occurrence: Occurrence, sessions=None) -> tuple[list[str], list[ScheduleRow]]:
    """The placed sessions as a grid: one row per start time, one column per room."""
    if sessions is None:
        sessions = agenda_sessions(occurrence)
    placed = sorted(
        (s for s in sessions if s.starts_at is not None), key=lambda s: (s.starts_at, s.pk)
    )
    rooms = room_names(occurrence.gathering)
    columns = rooms + sorted({s.room for s in placed} - set(rooms))
    if not columns:
        columns = [""]
    rows: list[ScheduleRow] = []
    for session in placed:
        index = columns.index(session.room) if session.room in columns else 0
        # Without rooms, sessions at the same time share the one column: each gets a row.
        row = next(
            (r for r in rows if r.starts_at == session.starts_at and r.cells[index] is None), None
        )
        if row is None:
            row = ScheduleRow(session.starts_at, [None] * len(columns))
            rows.append(row)
        row.cells[index] = session
    return columns, rows
