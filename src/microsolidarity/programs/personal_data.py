"""A person's programs data for the export ZIP, and its removal when their account is deleted."""

from microsolidarity.programs.models import PathwayNote, PathwayRating, Seat, SeatState
from microsolidarity.programs.seats import seat_leave


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def programs_export(*, person) -> dict:
    note = PathwayNote.objects.filter(person=person).first()
    return {
        "cohort_places": [
            {
                "cohort": seat.cohort.title,
                "state": seat.state,
                "answer": seat.answer,
                "queued_at": _iso(seat.queued_at),
                "joined_at": _iso(seat.joined_at),
            }
            for seat in Seat.objects.filter(person=person).select_related("cohort")
        ],
        "cohorts_facilitated": list(person.cohorts_facilitated.values_list("title", flat=True)),
        "pathway": {
            "ratings": dict(
                PathwayRating.objects.filter(person=person).values_list("skill", "level")
            ),
            "note": note.text if note else "",
        },
    }


def programs_seats_free(*, person) -> int:
    """Give up every place and queue position, each in its cohort's lock, passing places on."""
    held = Seat.objects.filter(person=person, state__in=(*Seat.TAKING, *Seat.WAITING))
    freed = 0
    for seat in held.select_related("cohort"):
        if seat_leave(person=person, cohort=seat.cohort) is not None:
            freed += 1
    return freed


def programs_personal_delete(*, person) -> None:
    """The pathway is the person's alone: it goes. Places stay as 'left', without the answers."""
    PathwayRating.objects.filter(person=person).delete()
    PathwayNote.objects.filter(person=person).delete()
    Seat.objects.filter(person=person).update(answer="", state=SeatState.LEFT)
    for cohort in person.cohorts_facilitated.all():
        cohort.facilitators.remove(person)
